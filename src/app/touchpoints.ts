/**
 * The touchpoint-scoring use case: journeys from the workspace → scores by one or more methods, their
 * per-channel summaries and, with a fitted model, the scores calibrated to the MMM with the
 * consistency table. `scoreTouchpoints` is the whole of `marginal touchpoints` (with its exports and
 * share priors); the server runs `prepareTouchpoints` → `touchpointsTask` as a job. Both take the
 * model's contribution series apart in one place, `mmmSeriesOf`.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { badInput, onField } from '../errors.ts';
import { figureUnits, formatCount, plainNumber } from '../units.ts';
import { maxInMemoryEvents, tooLargeInMemory } from './touchpointsAtScale.ts';
import { parseFitSummary } from '../analysis/summary.ts';
import { getDataset, getModel, toCsv, withWorkspace, type StoredModel, type Workspace } from '../data/index.ts';
import { parseModelConfig } from '../models/config.ts';
import { familyOf } from '../models/families.ts';
import { writeConfigBeside } from './writeConfig.ts';
import { renderTouchpointsReport } from '../touchpoints/report.ts';
import {
  attribute, calibrateToMmm, resolveCampaignMap, channelAudience, MAX_SEGMENT_LEVELS, contributionSharePriors, CHEAP_METHODS, exportScores, fitIncremental, journeyShape, loadJourneys, segmentIncremental, summarize, topPaths, writeTouchCsv,
  type AttributeOptions, type AudienceRow, type IncrementalResult, type Journeys, type Method, type MmmSeries, type Scores, type SegmentAnalysis,
} from '../touchpoints/index.ts';

/** Customers kept per channel in a scoring job's audiences (the API exports them). */
export const AUDIENCE_TOP = 1000;

/** Campaign names a scoring job lists (for the web's campaign mapping). */
export const MAX_CAMPAIGNS_LISTED = 200;

/** Below this share of conversions, the incremental model's credit is said to be negligible (and no share priors are written from it). */
const NEGLIGIBLE_INCREMENTAL = 0.005;

/** The per-channel, per-period incremental outcome a model stores: what touchpoint scores are calibrated to. */
export function mmmSeriesOf(model: Pick<StoredModel, 'id' | 'family' | 'result'>): MmmSeries {
  const what = `model '${model.id}'`;
  const { series } = familyOf(model.family, what).checkResult(model.result, what);
  return { dates: series.dates, channels: Object.keys(series.contributions), contributions: series.contributions };
}

/** A model's sub-channels by channel name (`channels[].subchannels`); empty when it has none. */
export function subchannelsOf(model: Pick<StoredModel, 'id' | 'config'>): Record<string, string[]> {
  const config = parseModelConfig(model.config, `model '${model.id}'`);
  return Object.fromEntries(config.channels.flatMap((c) => (c.subchannels ? [[c.name, c.subchannels.map((x) => x.name)]] : [])));
}

/** The unit of a model's contributions (its outcome's) and its currency, from its stored units. */
export function mmmUnitsOf(model: Pick<StoredModel, 'id' | 'config' | 'output'>): { outcome: 'currency' | 'conversions'; currency: string | null } {
  const what = `model '${model.id}'`;
  const u = parseFitSummary(model.output, what).units ?? figureUnits(parseModelConfig(model.config, what).target);
  return { outcome: u.outcome, currency: u.currency };
}

/** Refuses (before any job is queued) a dataset that is not touchpoints, a model with no contribution series and a customer attribute the data lacks. */
export async function checkTouchpointsRequest(ws: Workspace, r: Pick<TouchpointsRequest, 'data' | 'model' | 'segment' | 'campaignMap'>): Promise<void> {
  const d = await getDataset(ws, r.data);
  if (d.kind !== 'touchpoints') throw badInput(`dataset '${r.data}' is of kind '${d.kind}'; touchpoint scoring needs a dataset ingested as touchpoints`);
  // A job holds every journey in memory: past this size the server would run out of it.
  if (tooLargeInMemory(d)) {
    throw onField('data', badInput(`dataset '${r.data}' has ${formatCount(d.stored)} events; the app scores at most ${formatCount(maxInMemoryEvents())} at once, with every journey in memory. The command line's touchpoints command scores any number, partition by partition of customers (every method's credit per channel)`));
  }
  const series = r.model ? mmmSeriesOf(await getModel(ws, r.model)) : null;
  if (r.campaignMap && Object.keys(r.campaignMap).length) {
    if (!series) throw onField('campaignMap', badInput('a campaign mapping says which model channel a campaign is: choose the model to calibrate to'));
    const campaigns = (await ws.all<{ campaign: string }>('SELECT DISTINCT campaign FROM touchpoint_events WHERE dataset = ? AND campaign IS NOT NULL ORDER BY campaign', [r.data])).map((x) => x.campaign);
    resolveCampaignMap(campaigns, series.channels, r.campaignMap);
  }
  if (r.segment !== undefined) {
    const attrs = await segmentAttributes(ws, r.data), have = attrs.map((a) => a.attribute);
    if (!have.includes(r.segment)) throw onField('segment', badInput(have.length ? `dataset '${r.data}' has no customer attribute '${r.segment}'; attributes: ${have.join(', ')}` : `dataset '${r.data}' carries no customer attributes: give the attribute columns the role segment when the file is ingested`));
    const values = attrs.find((a) => a.attribute === r.segment)!.values;
    // Each value is a segment with a baseline and an effect per channel: past a few dozen, an id or a free text was taken for an attribute.
    if (values > MAX_SEGMENT_LEVELS) throw onField('segment', badInput(`customer attribute '${r.segment}' has ${values} values; a segment analysis takes at most ${MAX_SEGMENT_LEVELS} (group them into fewer segments in the file)`));
  }
}

export interface SegmentAttributeInfo { attribute: string; levels: { value: string; customers: number }[]; values: number }

/** Values listed per attribute at most (the most common): an id mistaken for a segment has millions. */
export const MAX_LEVELS_LISTED = 100;

/** The customer attributes a touchpoint dataset was ingested with: per attribute how many values, and the most common ones with their customers. */
export async function segmentAttributes(ws: Workspace, data: string): Promise<SegmentAttributeInfo[]> {
  const rows = await ws.all<{ attribute: string; value: string; customers: bigint | number; k: bigint | number; n: bigint | number }>(
    `SELECT attribute, value, customers, k, n FROM (
       SELECT attribute, value, count(*) AS customers,
         row_number() OVER (PARTITION BY attribute ORDER BY count(*) DESC, value) AS k, count(*) OVER (PARTITION BY attribute) AS n
       FROM touchpoint_segments WHERE dataset = ? GROUP BY attribute, value)
     WHERE k <= ${MAX_LEVELS_LISTED} ORDER BY attribute, value`, [data]);
  const out = new Map<string, SegmentAttributeInfo>();
  for (const r of rows) {
    const a = out.get(r.attribute) ?? { attribute: r.attribute, levels: [], values: Number(r.n) };
    a.levels.push({ value: r.value, customers: Number(r.customers) });
    out.set(r.attribute, a);
  }
  return [...out.values()];
}

/** The customers of one segment (attribute = value) of a touchpoint dataset, by id: an audience to seed lookalikes. */
export async function segmentAudience(ws: Workspace, data: string, attribute: string, value: string): Promise<string[]> {
  const attrs = await segmentAttributes(ws, data);
  const attr = attrs.find((a) => a.attribute === attribute);
  if (!attr) throw onField('segment', badInput(attrs.length ? `dataset '${data}' has no customer attribute '${attribute}'; attributes: ${attrs.map((a) => a.attribute).join(', ')}` : `dataset '${data}' carries no customer attributes`));
  const has = attr.levels.some((l) => l.value === value) || (attr.values > attr.levels.length && (await ws.value<number>('SELECT count(*) FROM touchpoint_segments WHERE dataset = ? AND attribute = ? AND value = ?', [data, attribute, value]) ?? 0) > 0);
  if (!has) throw onField('segment', badInput(`no customer of dataset '${data}' has ${attribute} '${value}'; values: ${attr.levels.slice(0, 20).map((l) => l.value).join(', ')}${attr.values > 20 ? ` and ${attr.values - 20} more` : ''}`));
  const r = await ws.columns('SELECT journey_id FROM touchpoint_segments WHERE dataset = ? AND attribute = ? AND value = ? ORDER BY journey_id', [data, attribute, value]);
  return (r.journey_id as unknown[]).map(String);
}

/** A segment's customers as CSV: `customer_id` (or `hashed_id`, as audienceCsv) and the segment they are in. */
export function segmentAudienceCsv(ids: readonly string[], attribute: string, value: string, hash: boolean): string {
  const key = hash ? 'hashed_id' : 'customer_id';
  return toCsv(ids.map((id) => ({ [key]: audienceId(id, hash), [attribute]: value })), [key, attribute]);
}

/** A touchpoint dataset's journeys, refused when none has a touch in the lookback window. */
export async function scoringJourneys(ws: Workspace, data: string, lookbackDays?: number): Promise<Journeys> {
  const j = await loadJourneys(ws, data, { lookbackDays });
  if (j.offsets.length <= 1) throw badInput(`dataset '${data}' has no journey with a touch in the lookback window`);
  return j;
}

export interface TouchpointsRequest {
  data: string; methods: Method[]; model?: string; channelMap?: Record<string, string>; lookbackDays?: number; options: AttributeOptions;
  /** Campaign → model channel: a campaign's touches count for that channel whatever their touch channel. */
  campaignMap?: Record<string, string>;
  /** A customer attribute: incremental conversions per segment and per segment × channel (segments.ts). */
  segment?: string;
}

export interface TouchpointsTaskInput {
  journeys: Journeys;
  methods: Method[];
  options: AttributeOptions;
  segment?: string;
  /** Where the job writes the per-touch scores (wide CSV, contracts/touchpoint-scores.schema.json): a file the server chose. */
  scoresFile?: string;
  mmm?: { model: string; series: MmmSeries; channelMap: Record<string, string>; campaignMap?: Record<string, string>; units?: { outcome: 'currency' | 'conversions'; currency: string | null } };
}

/** Reads what a scoring job needs (main thread); `scoresFile`, when given, is where the job writes the per-touch scores. */
export async function prepareTouchpoints(ws: Workspace, r: TouchpointsRequest, scoresFile?: string): Promise<TouchpointsTaskInput> {
  const journeys = await scoringJourneys(ws, r.data, r.lookbackDays);
  const model = r.model ? await getModel(ws, r.model) : null;
  const mmm = model ? { model: model.id, series: mmmSeriesOf(model), channelMap: r.channelMap ?? {}, campaignMap: r.campaignMap ?? {}, units: mmmUnitsOf(model) } : undefined;
  return { journeys, methods: r.methods, options: r.options, mmm, ...(r.segment !== undefined ? { segment: r.segment } : {}), ...(scoresFile ? { scoresFile } : {}) };
}

/** One line when the incremental model finds (almost) nothing, with the reason; null otherwise. */
export function negligibleIncremental(j: Journeys, inc: IncrementalResult): string | null {
  let incTotal = 0;
  for (const x of inc.incremental.conversions) incTotal += x;
  const total = incTotal + inc.base + j.untouchedConversions;
  const found = total > 0 ? incTotal / total : 0;
  if (found >= NEGLIGIBLE_INCREMENTAL) return null;
  return `the incremental model finds almost no conversions the touchpoints caused (${plainNumber(incTotal)} of ${plainNumber(total)}, ${(100 * found).toFixed(2)}%): these journeys do not separate converting paths from the rest, so its per-channel credit is a share of almost nothing — read the rule-based or Markov scores, or calibrate to a model`;
}

/** Scores by each method; the first method's scores are calibrated to the model when there is one (no I/O). */
export async function touchpointsTask(input: TouchpointsTaskInput, progress: (p: unknown) => void): Promise<unknown> {
  const j = input.journeys;
  const summaries = [];
  const notes: string[] = [];
  const all: Scores[] = [];
  let first = null, incremental: Scores | undefined;
  const steps = input.methods.length + (input.segment !== undefined ? 1 : 0);
  for (const [k, method] of input.methods.entries()) {
    progress({ method, done: k, total: steps });
    let scores: Scores;
    if (method === 'incremental') {
      const inc = fitIncremental(j);
      const note = negligibleIncremental(j, inc);
      if (note) notes.push(note);
      scores = incremental = inc.incremental;
    } else scores = attribute(j, method, input.options);
    first ??= scores;
    all.push(scores);
    summaries.push(summarize(j, scores));
  }
  let segments: SegmentAnalysis | null = null;
  if (input.segment !== undefined) {
    progress({ method: 'segments', done: input.methods.length, total: steps });
    segments = segmentIncremental(j, input.segment);
  }
  let calibration = null;
  if (input.mmm && first) {
    const cal = calibrateToMmm(j, first, input.mmm.series, input.mmm.channelMap, input.mmm.campaignMap);
    all.push(cal.scores);
    calibration = {
      model: input.mmm.model, method: first.method,
      // The model's figures are in its outcome's unit (money in its currency, or conversions).
      units: input.mmm.units ?? { outcome: 'currency', currency: null },
      summary: summarize(j, cal.scores),
      consistency: cal.consistency.map((r) => ({ ...r, difference: r.touchpoints - r.mmm })),
      unmatchedChannels: cal.unmatchedChannels, uncovered: cal.uncovered,
    };
  }
  // Per channel, the customers its touches moved most by the first method (an audience to export).
  const audiences = first ? Object.fromEntries(j.channels.map((c) => [c, channelAudience(j, first!, c, AUDIENCE_TOP)])) : {};
  // The per-touch scores, every method side by side (and the calibrated credit), for the download route.
  let perTouch: { rows: number; methods: string[] } | null = null;
  if (input.scoresFile) {
    // A worker on another machine may not have the server's exports folder: the scores stay, the file is said to be missing.
    try { perTouch = { rows: writeTouchCsv(j, all, input.scoresFile), methods: all.map((s) => s.method as string) }; } catch (e) {
      notes.push(`the per-touch scores could not be kept for download (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); the CLI's --out writes them`);
    }
  }
  return { summaries, calibration, topPaths: topPaths(j, 25, incremental), shape: journeyShape(j), audiences, segments, notes, perTouch, campaigns: j.campaigns.slice(0, MAX_CAMPAIGNS_LISTED), journeys: j.offsets.length - 1, touches: j.offsets[j.offsets.length - 1] };
}

export interface ScoreRequest {
  data: string; method: Method; model?: string; channelMap: Record<string, string>; campaignMap?: Record<string, string>; lookbackDays?: number; options: AttributeOptions;
  /** The incremental (hazard) model's time step in hours. */
  stepHours?: number;
  /** Per-touch scores of every method to this CSV or Parquet file, with aggregates beside it. */
  out?: string;
  /** Also the long shape (a row per touch and method) beside it, `<base>.long.<ext>`. */
  long?: boolean;
  /** An audience: the `top` customers `channel`'s touches moved most (by the method's scores), to this CSV; ids SHA-256-hashed with `hash`. */
  audience?: { channel: string; out: string; top?: number; hash?: boolean };
  /** An audience: every customer of one segment (attribute = value), to this CSV; ids SHA-256-hashed with `hash`. */
  segmentAudience?: { attribute: string; value: string; out: string; hash?: boolean };
  /** A customer attribute: incremental conversions per segment and segment × channel, with intervals. */
  segment?: string;
  /** The touchpoints report (self-contained HTML) to this file. */
  report?: string;
  /** A model config to write again, with `priors.contributionShare` from these scores, to `priorsOut`. */
  priorsFor?: string; priorsOut?: string; confidence: number; mediaShare?: number;
}

/** What `scoreTouchpoints` says on the way, for the caller to show (the CLI: on stderr). */
export type Notice = (text: string, level: 'info' | 'warning') => void;

/** The whole of `marginal touchpoints`: one method's scores and summary, calibrated, exported, turned into priors as asked. */
export async function scoreTouchpoints(workspace: string, r: ScoreRequest, say: Notice = () => undefined): Promise<Record<string, unknown>> {
  // Warnings also go into the report.
  const warnings: string[] = [];
  const notice: Notice = (text, level) => { if (level === 'warning') warnings.push(text); say(text, level); };
  if ((r.priorsFor === undefined) !== (r.priorsOut === undefined)) throw badInput('--priors-for and --priors-out go together');
  if (r.priorsFor && r.mediaShare === undefined && r.method !== 'incremental') throw badInput('--priors-for needs --media-share (the part of the outcome media drive: from a previous fit, a lift test, or --method incremental)');
  const { j, mmm, subchannels, audienceIds } = await withWorkspace(workspace, async (ws) => {
    const model = r.model ? await getModel(ws, r.model) : null;
    if (r.segment !== undefined) await checkTouchpointsRequest(ws, { data: r.data, segment: r.segment });
    const audienceIds = r.segmentAudience ? await segmentAudience(ws, r.data, r.segmentAudience.attribute, r.segmentAudience.value) : null;
    return { j: await loadJourneys(ws, r.data, { lookbackDays: r.lookbackDays }), mmm: model ? mmmSeriesOf(model) : null, subchannels: model ? subchannelsOf(model) : {}, audienceIds };
  });
  if (j.offsets.length <= 1) throw badInput(`dataset '${r.data}' has no journey with a touch in the lookback window`);
  const all: Scores[] = [];
  let main: Scores | undefined;
  let mediaShare = r.mediaShare;
  let hazard: Record<string, unknown> | undefined;
  if (r.method === 'incremental' || r.out === undefined) {
    if (r.method === 'incremental') {
      const inc = fitIncremental(j, { stepHours: r.stepHours });
      notice(`incremental model: ${inc.iterations} L-BFGS iterations, ${inc.seconds.toFixed(1)} s; base conversions ${inc.base.toFixed(1)}`, 'info');
      main = inc.incremental;
      hazard = {
        base: inc.base, converged: inc.converged, iterations: inc.iterations, seconds: inc.seconds, alpha: inc.params.alpha,
        channels: j.channels.map((channel, c) => ({ channel, beta: inc.params.beta[c], lambda: inc.params.lambda[c] })),
      };
      let incTotal = 0;
      for (const x of inc.incremental.conversions) incTotal += x;
      const total = incTotal + inc.base + j.untouchedConversions;
      const found = total > 0 ? incTotal / total : 0;
      // Near zero, the incremental model says the journeys do not tell converting paths from the rest
      // (as on the public journey sample): its per-channel shares are shares of almost nothing.
      const negligible = negligibleIncremental(j, inc);
      if (negligible) {
        notice(negligible, 'warning');
        if (r.priorsFor && mediaShare === undefined) throw onField('mediaShare', badInput(`the incremental model puts media at ${(100 * found).toFixed(2)}% of conversions, so the contribution-share priors would be near zero; give the part of the outcome media drive (from a fitted model or a lift test) as the media share`));
      }
      if (mediaShare === undefined) mediaShare = total > 0 ? Math.min(1, Math.max(1e-6, found)) : 1;
      all.push(inc.incremental, inc.influenced);
    } else main = attribute(j, r.method, r.options);
  }
  if (r.out !== undefined) {
    for (const m of CHEAP_METHODS) all.push(m === r.method && main ? main : attribute(j, m, r.options));
    main ??= all.find((s) => s.method === r.method);
  }
  const summary: Record<string, unknown> = { ...summarize(j, main!), ...(hazard ? { hazard } : {}), shape: journeyShape(j) };
  if (r.method === 'incremental') summary.topPaths = topPaths(j, 25, main);
  if (r.segment !== undefined) {
    const seg = segmentIncremental(j, r.segment, { stepHours: r.stepHours });
    summary.segments = seg;
    notice(`segment model on ${r.segment}: ${seg.levels.length} segments × ${seg.channels.length} channels, ${seg.iterations} L-BFGS iterations, ${seg.seconds.toFixed(1)} s${seg.journeysFitted < seg.journeys ? ` (fitted on a systematic sample of ${seg.journeysFitted} of ${seg.journeys} journeys)` : ''}`, 'info');
  }
  let consistency: Record<string, unknown>[] | undefined;
  if (mmm) {
    const cal = calibrateToMmm(j, main!, mmm, r.channelMap, r.campaignMap);
    all.push(cal.scores);
    // A model with sub-channels: each row names its channel's sub-channels (the model's figures stay per channel).
    const withSubs = Object.keys(subchannels).length > 0;
    consistency = cal.consistency.map((row) => ({ ...row, touchChannels: row.touchChannels.join('|'), ...(row.campaigns ? { campaigns: row.campaigns.join('|') } : {}), ...(withSubs ? { subchannels: (subchannels[row.channel] ?? []).join('|') } : {}), difference: row.touchpoints - row.mmm }));
    summary.consistency = cal.consistency.map(({ channel, period, mmm: m, touchpoints }) => (period === undefined ? { channel, mmm: m, touchpoints } : { channel, period, mmm: m, touchpoints }));
    summary.model = r.model;
    summary.unmatchedChannels = cal.unmatchedChannels;
    summary.uncovered = cal.uncovered;
    if (cal.unmatchedChannels.length) notice(`touchpoint channels with no model channel (scored 0 after calibration): ${cal.unmatchedChannels.join(', ')}; map them to model channels`, 'warning');
    if (cal.uncovered > 0) notice(`${plainNumber(cal.uncovered)} of the model's incremental outcome falls in channel-periods without touchpoint scores`, 'warning');
  }
  if (r.priorsFor && r.priorsOut) {
    let raw: { channels?: { name?: unknown }[]; priors?: Record<string, unknown> };
    try { raw = JSON.parse(readFileSync(r.priorsFor, 'utf8')); } catch (err) { throw badInput(`--priors-for ${r.priorsFor}: cannot read a JSON model config (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`); }
    parseModelConfig(raw, r.priorsFor);
    const names = (raw.channels ?? []).map((c) => String(c.name));
    if (!names.length) throw badInput(`--priors-for ${r.priorsFor}: the config names no channels`);
    const priors = contributionSharePriors(summarize(j, main!).channels, names, r.confidence, r.channelMap, mediaShare);
    raw.priors = { ...(raw.priors ?? {}), contributionShare: { ...((raw.priors?.contributionShare as object) ?? {}), ...priors } };
    // Relative file paths are re-based onto the new config's folder; validated before it is written.
    writeConfigBeside(raw, r.priorsFor, r.priorsOut);
    summary.priors = priors; summary.mediaShare = mediaShare;
    notice(`wrote ${r.priorsOut} with contribution-share priors for ${Object.keys(priors).join(', ')}`, 'info');
  }
  if (r.audience) {
    const rows = channelAudience(j, main!, r.audience.channel, r.audience.top ?? AUDIENCE_TOP);
    writeFileSync(r.audience.out, audienceCsv(rows, !!r.audience.hash));
    summary.audience = { channel: r.audience.channel, customers: rows.length, out: r.audience.out, hashed: !!r.audience.hash };
    notice(`wrote ${rows.length} customers ${r.audience.channel} moved most (${main!.method}) to ${r.audience.out}${r.audience.hash ? ' (ids SHA-256-hashed)' : ''}`, 'info');
  }
  if (r.segmentAudience && audienceIds) {
    const a = r.segmentAudience;
    writeFileSync(a.out, segmentAudienceCsv(audienceIds, a.attribute, a.value, !!a.hash));
    summary.segmentAudience = { attribute: a.attribute, value: a.value, customers: audienceIds.length, out: a.out, hashed: !!a.hash };
    notice(`wrote the ${audienceIds.length} customers with ${a.attribute} '${a.value}' to ${a.out}${a.hash ? ' (ids SHA-256-hashed)' : ''}`, 'info');
  }
  if (r.report) {
    const segments = (summary.segments as SegmentAnalysis | undefined) ?? null;
    writeFileSync(r.report, renderTouchpointsReport({
      data: r.data, createdAt: new Date().toISOString().slice(0, 16).replace('T', ' '), summaries: [summarize(j, main!)], shape: journeyShape(j),
      topPaths: topPaths(j, 25, r.method === 'incremental' ? main : undefined), segments, notes: [...warnings, ...(segments?.notes ?? [])],
      journeys: j.offsets.length - 1, touches: j.offsets[j.offsets.length - 1], model: r.model ?? null,
    }));
    summary.report = r.report;
    say(`wrote the touchpoints report to ${r.report}`, 'info');
  }
  if (r.out !== undefined) {
    const x = await exportScores(j, all, r.out, consistency, { long: r.long });
    summary.out = x.out; summary.files = x.files;
    notice(`wrote ${x.rows} touch rows to ${x.out} and ${Object.keys(x.files).length} aggregate files`, 'info');
  }
  return summary;
}

/**
 * An audience as CSV: `customer_id` (or `hashed_id`, the SHA-256 of the id trimmed and lower-cased, as
 * ad platforms match them), the credit the channel's touches earned the customer, and their journeys.
 */
export function audienceCsv(rows: readonly AudienceRow[], hash: boolean): string {
  const key = hash ? 'hashed_id' : 'customer_id';
  return toCsv(rows.map((r) => ({ [key]: audienceId(r.customer, hash), credit: r.credit, journeys: r.journeys })), [key, 'credit', 'journeys']);
}

/** A customer id as an audience file carries it: as given, or the SHA-256 of it trimmed and lower-cased (as ad platforms match hashed ids). */
function audienceId(id: string, hash: boolean): string {
  return hash ? createHash('sha256').update(id.trim().toLowerCase()).digest('hex') : id;
}
