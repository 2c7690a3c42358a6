/**
 * The model config contract (DESIGN.md "Model config"): one zod schema; the TypeScript type is its
 * z.infer. Every default lives here and is documented in the README. Unknown keys are an error that
 * names the key.
 */
import { z } from 'zod';
import { isoDate } from '../calendar.ts';
import { describeIssue, issueFields } from '../validation.ts';
import { badConfig, type Problem } from '../errors.ts';
import { unknownHolidayCountry } from './holidayCalendar.ts';
import { families } from './familyNames.ts';
import { ROLE_RULES } from '../transforms/check.ts';
import { CURVE_ROLES } from '../transforms/params.ts';
import { curveParameterOwners, hasCurveParameter, transformFamilyProblem, transformTypeSchema } from './configTransforms.ts';
import { checkSubchannels, subchannelSchema } from './subchannels.ts';

export { hasCurveParameter };
export { families };
/**
 * Most warm-up or draw iterations per chain any fit takes: past it the draws alone outgrow memory
 * (100,000 × 312 parameters × 8 bytes is 250 MB a chain). A server allows less by default
 * (MARGINAL_MAX_DRAWS, src/jobs/limits.ts), which its operator may raise up to this.
 */
export const MAX_ITERATIONS = 100_000;
/** Most channels (and controls) a model takes: beyond it, a config is a mistake or an attack, not a media plan. */
export const MAX_CHANNELS = 200;

export const signs = ['auto', 'positive', 'negative'] as const;
export const targetKinds = ['revenue', 'conversions'] as const;

// Transform types come from the registry (src/transforms/registry.ts), read when a config is parsed.
const adstockSchema = z.strictObject({
  type: transformTypeSchema('adstock').default('geometric'),
  maxLag: z.number().int().min(1).max(104).optional(),
});
const saturationSchema = z.strictObject({ type: transformTypeSchema('saturation').default('hill') });
const meanSd = z.strictObject({ mean: z.number().positive(), sd: z.number().positive() });
// A Beta prior by its mean and sd: the sd must leave room for a Beta (sd² < mean·(1 − mean)).
const unitMeanSd = z.strictObject({ mean: z.number().gt(0).lt(1), sd: z.number().positive() })
  .refine((p) => p.sd * p.sd < p.mean * (1 - p.mean), 'sd must be below √(mean·(1 − mean)) for a decay between 0 and 1');
const curvePrior = z.strictObject({ decay: unitMeanSd.optional(), halfSaturation: meanSd.optional(), shape: meanSd.optional() });

const channelSchema = z.strictObject({
  name: z.string().min(1),
  /** Paid channels: the spend column (optional when `subchannels` give it: their sum). Organic channels have none. */
  spend: z.string().min(1).optional(),
  /** The activity the model sees (impressions, sends, …); the spend when absent. An organic channel's volume. */
  exposure: z.string().min(1).optional(),
  /**
   * Organic media (newsletters, posts, word of mouth): carry-over and saturation as paid media, a prior
   * on its share of the outcome instead of an ROI, reported without ROI and held at its volume in plans.
   * A channel with `exposure` and no `spend` is organic too.
   */
  organic: z.boolean().optional(),
  /**
   * Reach and frequency (Meridian's R&F channels): the columns of the period's reach (people reached)
   * and average frequency (exposures per person reached). The response saturates in frequency and is
   * linear in reach (docs/mmm.md); `exposure` is then not given.
   */
  reach: z.string().min(1).optional(),
  frequency: z.string().min(1).optional(),
  subchannels: z.array(subchannelSchema).optional(),
  adstock: adstockSchema.optional(),
  saturation: saturationSchema.optional(),
});

const controlSchema = z.union([
  z.string().min(1),
  z.strictObject({
    column: z.string().min(1), sign: z.enum(signs).default('auto'),
    // The level the control's contribution is measured against (src/models/bayesian/decompose.ts):
    // a value in the control's units, or 'min' (default: Robyn's baseline), 'mean' or 'zero'.
    reference: z.union([z.number().finite(), z.enum(['min', 'mean', 'zero'])]).optional(),
  }),
]);


/**
 * A lift test's result. Without `geos`, `spendChange` and `alternate` (the form before issue 27) it
 * reads as it always did: the channel's contribution over the window at the data's spend (docs/mmm.md).
 * With any of them it is a test that changed the channel's spend by `spendChange` (−1 dark, −0.5
 * halved, +0.5 raised; default −1) in `geos` (all geos, or the national series, when absent) over the
 * window, against business as usual, and `lift` is the outcome that change made, counted positive when
 * more spend brings more outcome (docs/experiments.md has the model's equation).
 */
export const experimentSchema = z.strictObject({
  channel: z.string().min(1),
  geo: z.string().optional(),
  geos: z.array(z.string().min(1)).min(1).optional(),
  start: isoDate,
  end: isoDate,
  spendChange: z.number().min(-1).refine((v) => v !== 0, 'must not be 0: a test changes the spend').optional(),
  // National time-based tests: the change holds in alternating blocks of this many periods, changed first.
  alternate: z.number().int().min(1).optional(),
  lift: z.number(),
  liftSe: z.number().positive(),
  // What the design predicted (marginal design), kept so the refit can show it beside the result.
  design: z.strictObject({
    roiIntervalBefore: z.tuple([z.number(), z.number()]),
    expectedRoiInterval: z.tuple([z.number(), z.number()]),
    expectedLiftSe: z.number().nonnegative().optional(),
    // The lift the model expected before the test, and the 95% range its result was expected in (the
    // model's uncertainty and the test's noise together): a result outside it says the model was off.
    expectedLift: z.number().optional(),
    resultInterval: z.tuple([z.number(), z.number()]).optional(),
    model: z.string().optional(),
  }).optional(),
});
export type Experiment = z.infer<typeof experimentSchema>;

/** True for an experiment written in the form before `geos` / `spendChange` / `alternate` (read the old way). */
export function isLegacyExperiment(e: Experiment): boolean {
  return e.geos === undefined && e.spendChange === undefined && e.alternate === undefined;
}

export const modelConfigSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'must be a slug of letters, digits, _ . -').optional(),
  data: z.strictObject({
    file: z.string().min(1).optional(),
    harmonized: z.string().min(1).optional(),
    /** The version of the harmonized table (default: its current one; a stored model records the one it was fitted on). */
    version: z.number().int().min(1).optional(),
    date: z.string().min(1).default('date'),
    geo: z.string().min(1).optional(),
    population: z.string().min(1).optional(),
    /**
     * An empty media cell in a row that is present (the geo is in the panel that period): 'refuse'
     * (the default: an empty cell is as likely a gap in the export as no spend) or 'zero' (the user
     * says empty means nothing ran). A row that is absent altogether needs no choice: the geo was not
     * in the panel then, its media are zero and its outcome unobserved (docs/data.md, unbalanced panels).
     */
    missingMedia: z.enum(['refuse', 'zero']).optional(),
  }).refine((d) => (d.file === undefined) !== (d.harmonized === undefined), 'give exactly one of `file` or `harmonized`')
    .refine((d) => d.version === undefined || d.harmonized !== undefined, '`version` is a harmonized table\'s: give it with `harmonized`'),
  target: z.strictObject({
    column: z.string().min(1),
    kind: z.enum(targetKinds).default('revenue'),
    revenuePerConversion: z.union([z.string().min(1), z.number().positive()]).optional(),
  }),
  channels: z.array(channelSchema).min(1).max(MAX_CHANNELS),
  controls: z.array(controlSchema).max(MAX_CHANNELS).default([]),
  // `weekly` (day-of-week harmonics) applies to daily data only; unset, it is 3 there (features.ts).
  seasonality: z.strictObject({ yearly: z.number().int().min(0).max(10).default(2), weekly: z.number().int().min(0).max(3).optional() }).default({ yearly: 2 }),
  trend: z.union([z.enum(['none', 'linear']), z.strictObject({ type: z.literal('piecewise'), changepoints: z.number().int().min(1).max(20).default(4) })]).default('linear'),
  holidays: z.strictObject({ country: z.string().length(2).optional(), file: z.string().optional(), columns: z.array(z.string()).default([]) }).optional(),
  adstock: adstockSchema.default({ type: 'geometric' }),
  saturation: saturationSchema.default({ type: 'hill' }),
  priors: z.strictObject({
    roi: z.record(z.string(), meanSd).default({}),
    defaultRoi: meanSd.optional(),
    contributionShare: z.record(z.string(), z.strictObject({ share: z.number().min(0).max(1), confidence: z.number().gt(0).lt(1) })).default({}),
    // A prior on a channel's marginal ROI instead of its ROI (Meridian's `paid_media_prior_type='mroi'`):
    // what the next unit of spend returns at today's level, e.g. from a test that raised spend a little.
    mroi: z.record(z.string(), meanSd).default({}),
    // Priors on a channel's response curve (Robyn's hyperparameter ranges, Meridian's alpha / ec / slope
    // priors): adstock decay, Hill half-saturation (in units of the channel's typical activity) and
    // Hill shape, each as a mean and sd. For an always-on channel these decide its ROI (docs/mmm.md).
    curves: z.record(z.string(), curvePrior).default({}),
  }).default({ roi: {}, contributionShare: {}, mroi: {}, curves: {} }),
  experiments: z.array(experimentSchema).default([]),
  family: z.enum(families).default('bayesian'),
  inference: z.strictObject({
    chains: z.number().int().min(1).max(64).default(4),
    warmup: z.number().int().min(10).max(MAX_ITERATIONS).default(1000),
    draws: z.number().int().min(10).max(MAX_ITERATIONS).default(1000),
    seed: z.number().int().min(0).default(1),
    maxTreeDepth: z.number().int().min(2).max(15).default(10),
    // Unset: 0.9 for a national model, 0.85 for a geo model (fit.ts `targetAcceptFor`). Measured at
    // 4 × 1000 + 1000: national simulator seeds 1–3 × 5 sampler seeds gave 2 single divergences at
    // 0.85 (seed 2) and none at 0.9, at the same ~15 leapfrog steps per iteration; 40 geos × 156
    // weeks (seeds 1–3) gave none at 0.85, with 25–35% fewer steps than 0.95 (31–40 against 44–50
    // per iteration). Meridian's 20-geo sample gave 1 in 4000 at 0.85 with sampler seed 1, so its
    // example config sets 0.9. A fit that reports divergences says to raise it.
    targetAccept: z.number().gt(0.5).lt(1).optional(),
  }).default({ chains: 4, warmup: 1000, draws: 1000, seed: 1, maxTreeDepth: 10 }),
  holdout: z.strictObject({ periods: z.number().int().min(0).default(0) }).default({ periods: 0 }),
  classic: z.strictObject({
    bootstrap: z.number().int().min(0).max(2000).optional(),
    nonNegative: z.boolean().default(true),
    trees: z.strictObject({
      nTrees: z.number().int().min(1).max(5000),
      maxDepth: z.number().int().min(1).max(40),
      learningRate: z.number().gt(0).max(1),
      minSamplesLeaf: z.number().int().min(1),
      maxFeatures: z.number().gt(0),
      subsample: z.number().gt(0).max(1),
    }).partial().optional(),
  }).optional(),
  search: z.strictObject({
    iterations: z.number().int().min(1).default(2000),
    trials: z.number().int().min(1).default(5),
    seed: z.number().int().min(0).default(1),
  }).optional(),
});

export type ModelConfigInput = z.input<typeof modelConfigSchema>;
export type ModelConfig = z.infer<typeof modelConfigSchema>;
export type ChannelConfig = ModelConfig['channels'][number];

/** True for an organic channel: `organic: true`, or an activity column and no spend (nor sub-channels giving it). */
export function isOrganic(ch: Pick<ChannelConfig, 'organic' | 'spend' | 'subchannels'>): boolean {
  return ch.organic === true || (ch.spend === undefined && ch.subchannels === undefined);
}

/** A paid channel: its spend is its `spend` column or its sub-channels' sum (subchannels.ts `spendColumns`). */
export type PaidChannel = ChannelConfig;

/** The paid channels in config order: the channels of ROI, curves and plans. */
export function paidChannels(config: Pick<ModelConfig, 'channels'>): PaidChannel[] {
  return config.channels.filter((ch): ch is PaidChannel => !isOrganic(ch));
}

/** The organic channels in config order (the model appends them after the paid ones). */
export function organicChannels(config: Pick<ModelConfig, 'channels'>): ChannelConfig[] {
  return config.channels.filter((ch) => isOrganic(ch));
}

/** The channels in the order the model holds them: paid ones first, then organic ones. */
export function modelChannels(config: Pick<ModelConfig, 'channels'>): ChannelConfig[] {
  return [...paidChannels(config), ...organicChannels(config)];
}

/** Object.prototype's member names (`__proto__`, `constructor`, `toString`, …): never a channel's name. */
const RESERVED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/** Validates a parsed config; cross-field checks (channel names referenced by priors and experiments) too. */
export function parseModelConfig(raw: unknown, source = 'config'): ModelConfig {
  const parsed = modelConfigSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    const problems: Problem[] = parsed.error.issues.map((issue) => ({ file: source, message: describeIssue(issue), field: issueFields(issue, 'config')[0]?.field ?? 'config' }));
    throw badConfig(`${source}: ${problems[0].message}`, problems);
  }
  const config = parsed.data;
  // Priors are looked up by channel name: keep them in null-prototype objects so a channel named
  // `constructor` or `__proto__` finds its own prior (or none), never Object.prototype's members.
  for (const key of ['roi', 'contributionShare', 'mroi', 'curves'] as const) {
    (config.priors as Record<string, unknown>)[key] = Object.assign(Object.create(null), config.priors[key]);
  }
  const names = config.channels.map((c) => c.name);
  // Names become keys of result objects all through analysis, reports and plans; these few would
  // reach Object.prototype's members instead of a channel's own entry, so they are refused by name.
  const reserved = names.find((n) => RESERVED_NAMES.has(n));
  if (reserved) throw badConfig(`${source}: channel name '${reserved}' is reserved by JavaScript; give the channel another \`name\` (its columns may keep theirs)`);
  const seen = new Set<string>();
  const dup = names.find((n) => (seen.has(n) ? true : (seen.add(n), false)));
  if (dup) throw badConfig(`${source}: channel '${dup}' is listed twice in \`channels\``);
  channelKindProblems(config.channels, source);
  checkSubchannels(config.channels, source);
  const known = new Set(names);
  const refs: [string, string][] = [
    ...Object.keys(config.priors.roi).map((k): [string, string] => [`priors.roi.${k}`, k]),
    ...Object.keys(config.priors.contributionShare).map((k): [string, string] => [`priors.contributionShare.${k}`, k]),
    ...Object.keys(config.priors.mroi).map((k): [string, string] => [`priors.mroi.${k}`, k]),
    ...config.experiments.map((e, i): [string, string] => [`experiments[${i}].channel`, e.channel]),
  ];
  for (const [path, name] of refs) {
    if (!known.has(name)) throw badConfig(`${source}: \`${path}\` names a channel that is not configured: must be one of ${names.join(', ')}; got '${name}'`, [{ field: `config.${path}`, message: `names a channel that is not in the model: choose one of ${names.join(', ')}` }]);
  }
  for (const [name, prior] of Object.entries(config.priors.curves)) {
    const ch = config.channels.find((c) => c.name === name);
    if (!ch) throw badConfig(`${source}: \`priors.curves.${name}\` names a channel that is not configured: must be one of ${names.join(', ')}; got '${name}'`);
    const adstock = (ch.adstock ?? config.adstock).type, saturation = (ch.saturation ?? config.saturation).type;
    for (const key of CURVE_ROLES) {
      if (!prior[key] || hasCurveParameter(key, adstock, saturation)) continue;
      const kind = ROLE_RULES[key].kind;
      throw badConfig(`${source}: \`priors.curves.${name}.${key}\` is ${curveParameterOwners(key)}; ${name}'s ${kind} is ${kind === 'adstock' ? adstock : saturation}`);
    }
  }
  const unfit = transformFamilyProblem(config);
  if (unfit) throw badConfig(`${source}: ${unfit}`);
  organicPriorProblems(config, source);
  const both = Object.keys(config.priors.mroi).find((k) => k in config.priors.roi);
  if (both) throw badConfig(`${source}: channel '${both}' has both \`priors.roi\` and \`priors.mroi\`: give one (a channel's prior is on its ROI or on its marginal ROI)`);
  // The built-in calendar is checked here so the error names the config; a table (`holidays.file`) is checked when read.
  const country = config.holidays?.country;
  const unknownCountry = country !== undefined && config.holidays?.file === undefined ? unknownHolidayCountry(country) : null;
  if (unknownCountry) throw badConfig(`${source}: ${unknownCountry}`);
  for (const [i, e] of config.experiments.entries()) {
    if (e.end < e.start) throw badConfig(`${source}: \`experiments[${i}]\` ends (${e.end}) before it starts (${e.start})`, [{ field: `config.experiments[${i}].end`, message: `is before the start (${e.start}); the end must be on or after the start` }]);    if (e.geo !== undefined && e.geos !== undefined) throw badConfig(`${source}: \`experiments[${i}]\` has both \`geo\` and \`geos\`: give the test's geos as \`geos\``, [{ field: `config.experiments[${i}].geo`, message: 'give the geos in `geos` only' }]);
    const dupGeo = e.geos?.find((g, j) => e.geos!.indexOf(g) !== j);
    if (dupGeo !== undefined) throw badConfig(`${source}: \`experiments[${i}].geos\` lists '${dupGeo}' twice`, [{ field: `config.experiments[${i}].geos`, message: `lists '${dupGeo}' twice` }]);
  }
  return config;
}

/** Each channel is paid (a spend column), organic (an activity column, no spend) or reach & frequency (spend, reach and frequency). */
function channelKindProblems(channels: readonly ChannelConfig[], source: string): void {
  channels.forEach((ch, i) => {
    const at = (key: string, message: string) => badConfig(`${source}: channel '${ch.name}': ${message}`, [{ field: `config.channels[${i}].${key}`, message }]);
    if (ch.organic === true && ch.spend !== undefined) throw at('spend', 'an organic channel has no spend: leave the spend column out and give its volume (sends, posts, visits) as the activity column');
    if (ch.spend === undefined && ch.exposure === undefined && ch.subchannels === undefined) throw at('spend', 'needs a spend column (a paid channel) or sub-channels with theirs, or an activity column (an organic channel)');
    if (ch.organic === true && ch.subchannels !== undefined) throw at('subchannels', 'sub-channels split a paid channel\'s spend; an organic channel has none');
    if ((ch.reach === undefined) !== (ch.frequency === undefined)) throw at(ch.reach === undefined ? 'reach' : 'frequency', 'a reach and frequency channel needs both its reach column and its frequency column');
    if (ch.reach !== undefined && isOrganic(ch)) throw at('reach', 'reach and frequency are modeled for paid channels (with a spend column); organic reach and frequency is not supported yet');
    if (ch.reach !== undefined && ch.exposure !== undefined) throw at('exposure', 'a reach and frequency channel takes its activity from reach × frequency: leave the activity column out');
  });
}

/** An organic channel has no ROI: its prior is on its share of the outcome, and a lift test on it is read as none of the paid kind. */
function organicPriorProblems(config: ModelConfig, source: string): void {
  const organic = new Set(organicChannels(config).map((c) => c.name));
  for (const key of ['roi', 'mroi'] as const) {
    const name = Object.keys(config.priors[key]).find((n) => organic.has(n));
    if (name !== undefined) throw badConfig(`${source}: \`priors.${key}.${name}\`: '${name}' is organic (no spend), so it has no ROI; give its prior as a share of the outcome (\`priors.contributionShare\`)`, [{ field: `config.priors.${key}.${name}`, message: `'${name}' is organic (no spend), so it has no ROI: give its prior as a share of the outcome instead` }]);
  }
  const i = config.experiments.findIndex((e) => organic.has(e.channel));
  if (i >= 0) throw badConfig(`${source}: \`experiments[${i}].channel\` is organic ('${config.experiments[i].channel}'): lift tests are read for paid channels`, [{ field: `config.experiments[${i}].channel`, message: 'is an organic channel: lift tests are read for paid channels' }]);
}
