/**
 * `npm run bench -- fastgap`: how far `--fast` moves each channel's ROI from the NUTS answer (issue 19,
 * item 8). For every example config (examples/*\/*.json, data in data/reference/) and simulator seeds
 * 1–12, national (156 weeks × 5 channels) and geo (40 geos × 156 × 5), as bench/mmm.ts builds them:
 *
 *   gap[c] = |fast ROI mean − NUTS ROI mean| / (width of the NUTS 90% ROI interval)
 *
 * per channel, the share of channels with gap ≤ 0.25 (the goal: every one), the worst gap, and the
 * timings of both. Beside the Laplace path (`--fast` as `marginal fit --fast` runs it: 4 × 1000 Laplace
 * draws at the mode), the same is measured for short NUTS runs (`variants`), candidates for a fast path
 * that moves the mean less.
 *
 * The NUTS reference: the config's own settings (4 chains × 1000 warm-up × 1000 draws) on the examples
 * and the national seeds; geo seeds 4 × FASTGAP_GEO_WARMUP (500) + FASTGAP_GEO_DRAWS (500) to keep the
 * stage under ~15 minutes on the shared 2-core machine (recorded in `settings`). With ~1000 effective
 * draws the reference mean's own Monte Carlo error is ~0.01 of the interval width, far below 0.25.
 *
 * Environment: FASTGAP_PARTS (default "examples,national,geo"), FASTGAP_SEEDS / FASTGAP_GEO_SEEDS
 * (default 1–12), FASTGAP_VARIANTS (default "laplace,nuts2x150"; the names are below), FASTGAP_RESUME=1
 * reuses each case's NUTS reference (and variants) from $TMPDIR/marginal-fastgap.partial.json, where
 * every case is written as soon as it ends.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWideTable } from '../src/data/index.ts';
import { parseModelConfig, type ModelConfig } from '../src/models/config.ts';
import { readModelConfig } from '../src/app/modelConfigFile.ts';
import { buildModelData, type ModelData } from '../src/models/design.ts';
import { buildModelDataReadingHolidays } from '../src/app/modelData.ts';
import { simulate, simulationTable } from '../src/models/simulate/index.ts';
import { fitBayesian, type BayesianFit, type FitOptions } from '../src/models/bayesian/fit.ts';

const repo = fileURLToPath(new URL('../', import.meta.url));
const partialFile = join(tmpdir(), 'marginal-fastgap.partial.json');
const GOAL = 0.25;

/** The fast paths measured against NUTS: the Laplace path as the CLI runs it, and short NUTS runs. */
const VARIANTS: Record<string, FitOptions> = {
  laplace: { fast: true },
  nuts2x150: { chains: 2, warmup: 150, draws: 150 },
  nuts2x300: { chains: 2, warmup: 300, draws: 300 },
  nuts4x150: { chains: 4, warmup: 150, draws: 150 },
};

interface Case { id: string; group: 'example' | 'national' | 'geo'; config: ModelConfig; data: ModelData; reference: FitOptions; truth?: number[] }

async function exampleCases(): Promise<Case[]> {
  const out: Case[] = [];
  for (const dir of readdirSync(join(repo, 'examples')).sort()) {
    for (const file of readdirSync(join(repo, 'examples', dir)).filter((f) => f.endsWith('.json')).sort()) {
      const config = readModelConfig(join(repo, 'examples', dir, file));
      if (config.family !== 'bayesian') continue;
      const t = await readWideTable(config.data.file!);
      const data = buildModelDataReadingHolidays(config, { source: config.data.file!, rowCount: t.rowCount, columns: t.columns, lines: t.lines });
      out.push({ id: `examples/${dir}/${file}`, group: 'example', config, data, reference: {} });
    }
  }
  return out;
}

function simulatedCase(seed: number, geos: number, reference: FitOptions): Case {
  const sim = simulate({ weeks: 156, channels: 5, seed, ...(geos ? { geos } : {}) });
  const config = parseModelConfig({
    data: { file: 'sim.csv', ...(geos ? { geo: 'geo', population: 'population' } : {}) },
    target: { column: 'revenue' },
    channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })),
    controls: [{ column: 'price', sign: 'negative' }],
  });
  return { id: `${geos ? `geo ${geos}` : 'national'} 156x5 seed ${seed}`, group: geos ? 'geo' : 'national', config, data: buildModelData(config, simulationTable(sim)), reference, truth: sim.truth.channels.map((c) => c.roi) };
}

interface Measured { seconds: number; cpuSeconds: number; roi: number[]; roiMedian: number[]; interval: [number, number][]; rhatMax: number; divergences: number }

async function measure(c: Case, opts: FitOptions): Promise<Measured> {
  const cpu = process.cpuUsage();
  const fit: BayesianFit = await fitBayesian(c.config, c.data, opts);
  const used = process.cpuUsage(cpu);
  return {
    seconds: +fit.diagnostics.seconds.toFixed(2), cpuSeconds: +((used.user + used.system) / 1e6).toFixed(2),
    roi: fit.channels.map((x) => x.roi), roiMedian: fit.channels.map((x) => x.roiMedian ?? x.roi), interval: fit.channels.map((x) => x.roiInterval),
    rhatMax: fit.diagnostics.rhatMax, divergences: fit.diagnostics.divergences,
  };
}

/** Per channel: |fast mean − NUTS mean| / NUTS 90% width, signed too, and the fast interval's width relative to NUTS's. */
function gaps(channels: string[], ref: Measured, fast: Measured) {
  const rows = channels.map((name, c) => {
    const width = ref.interval[c][1] - ref.interval[c][0];
    const signed = (fast.roi[c] - ref.roi[c]) / width;
    return {
      channel: name, nutsRoi: +ref.roi[c].toPrecision(4), nutsInterval: ref.interval[c].map((v) => +v.toPrecision(4)), fastRoi: +fast.roi[c].toPrecision(4),
      gap: +Math.abs(signed).toFixed(3), signedGap: +signed.toFixed(3),
      widthRatio: +((fast.interval[c][1] - fast.interval[c][0]) / width).toFixed(3),
      medianGap: +(Math.abs(fast.roiMedian[c] - ref.roiMedian[c]) / width).toFixed(3),
    };
  });
  return { channels: rows, within: rows.filter((r) => r.gap <= GOAL).length, worst: Math.max(...rows.map((r) => r.gap)) };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const seedList = (v: string | undefined) => (v ?? '1,2,3,4,5,6,7,8,9,10,11,12').split(',').map(Number);

export async function run(): Promise<object> {
  const parts = new Set((process.env.FASTGAP_PARTS ?? 'examples,national,geo').split(','));
  const variants = (process.env.FASTGAP_VARIANTS ?? 'laplace,nuts2x150').split(',');
  for (const v of variants) if (!VARIANTS[v]) throw new Error(`unknown variant '${v}'; known: ${Object.keys(VARIANTS).join(', ')}`);
  const geoRef: FitOptions = { warmup: Number(process.env.FASTGAP_GEO_WARMUP ?? 500), draws: Number(process.env.FASTGAP_GEO_DRAWS ?? 500) };
  const previous = process.env.FASTGAP_RESUME && existsSync(partialFile) ? JSON.parse(readFileSync(partialFile, 'utf8')) as { cases?: any[] } : {};
  const load = [loadavg()[0]];
  const cases: any[] = [];
  const out: Record<string, unknown> = {
    settings: {
      goal: `|fast ROI mean − NUTS ROI mean| ≤ ${GOAL} × NUTS 90% interval width, every channel`,
      reference: { examples: 'config inference (4 × 1000 + 1000)', national: '4 × 1000 + 1000', geo: `4 × ${geoRef.warmup} + ${geoRef.draws}` },
      variants: Object.fromEntries(variants.map((v) => [v, VARIANTS[v]])), parts: [...parts], machine: '2 cores shared with other jobs', loadAverage1m: load,
    },
    cases,
  };
  const save = () => writeFileSync(partialFile, `${JSON.stringify(out, null, 2)}\n`);

  const todo: (() => Case)[] = [];
  if (parts.has('examples')) for (const c of await exampleCases()) todo.push(() => c);
  if (parts.has('national')) for (const seed of seedList(process.env.FASTGAP_SEEDS)) todo.push(() => simulatedCase(seed, 0, {}));
  if (parts.has('geo')) for (const seed of seedList(process.env.FASTGAP_GEO_SEEDS)) todo.push(() => simulatedCase(seed, 40, geoRef));

  for (const make of todo) {
    const c = make();
    const before = previous.cases?.find((x) => x.id === c.id && JSON.stringify(x.referenceOptions) === JSON.stringify(c.reference));
    const reference: Measured = before?.reference ?? await measure(c, c.reference);
    const row: Record<string, any> = { id: c.id, group: c.group, channels: c.data.channels, referenceOptions: c.reference, reference, reused: before ? ['reference'] : [], variants: {} };
    if (c.truth) row.truth = c.truth.map((v) => +v.toPrecision(4));
    for (const v of variants) {
      const kept = before?.variants?.[v];
      const m: Measured = kept?.measured ?? await measure(c, VARIANTS[v]);
      if (kept) row.reused.push(v);
      row.variants[v] = { measured: m, ...gaps(c.data.channels, reference, m) };
    }
    cases.push(row);
    console.error(`[${c.id}] NUTS ${reference.seconds.toFixed(1)} s; ${variants.map((v) => `${v} ${row.variants[v].measured.seconds.toFixed(1)} s: ${row.variants[v].within}/${c.data.C} within ${GOAL}, worst ${row.variants[v].worst.toFixed(2)}× (${row.variants[v].channels.map((x: { gap: number }) => x.gap.toFixed(2)).join(' ')})`).join('; ')}`);
    load.push(loadavg()[0]);
    save();
  }

  // Summary per variant, per group and overall.
  const summary: Record<string, unknown> = {};
  for (const v of variants) {
    const by = (rows: any[]) => {
      const g = rows.flatMap((r) => r.variants[v].channels.map((x: { gap: number }) => x.gap)) as number[];
      if (!g.length) return null;
      return {
        cases: rows.length, channels: g.length, within: g.filter((x) => x <= GOAL).length, shareWithin: +(g.filter((x) => x <= GOAL).length / g.length).toFixed(3),
        meanGap: +mean(g).toFixed(3), medianGap: +[...g].sort((a, b) => a - b)[Math.floor(g.length / 2)].toFixed(3), worst: +Math.max(...g).toFixed(3),
        worstCase: rows.reduce((w, r) => (r.variants[v].worst > w.worst ? { id: r.id, worst: r.variants[v].worst } : w), { id: '', worst: -1 }).id,
        meanSeconds: +mean(rows.map((r) => r.variants[v].measured.seconds)).toFixed(2), meanNutsSeconds: +mean(rows.map((r) => r.reference.seconds)).toFixed(2),
        meanWidthRatio: +mean(rows.flatMap((r) => r.variants[v].channels.map((x: { widthRatio: number }) => x.widthRatio))).toFixed(3),
      };
    };
    summary[v] = { all: by(cases), example: by(cases.filter((r) => r.group === 'example')), national: by(cases.filter((r) => r.group === 'national')), geo: by(cases.filter((r) => r.group === 'geo')) };
    const a = (summary[v] as { all: ReturnType<typeof by> }).all;
    if (a) console.error(`[${v}] ${a.within}/${a.channels} channels (${(100 * a.shareWithin).toFixed(0)}%) within ${GOAL} of the NUTS 90% width; mean gap ${a.meanGap}, worst ${a.worst}× (${a.worstCase}); ${a.meanSeconds} s against NUTS ${a.meanNutsSeconds} s on average`);
  }
  out.summary = summary;
  save();
  return compact(out);
}

/**
 * The results file without the raw per-fit arrays (kept in the partial file for FASTGAP_RESUME): each
 * channel row already holds both means and the NUTS interval; each fit keeps its time and diagnostics.
 */
export function compact(out: Record<string, unknown>): Record<string, unknown> {
  const slim = (m: Measured) => ({ seconds: m.seconds, cpuSeconds: m.cpuSeconds, rhatMax: +m.rhatMax.toFixed(4), divergences: m.divergences });
  const cases = (out.cases as any[]).map((c) => ({
    ...c, reference: slim(c.reference),
    variants: Object.fromEntries(Object.entries(c.variants as Record<string, any>).map(([k, v]) => [k, { ...v, measured: slim(v.measured) }])),
  }));
  return { ...out, cases };
}
