/**
 * Touchpoint scoring for event logs too large to hold in memory (hundreds of millions of events):
 * customers are split into partitions by a hash of their id, and each partition's journeys are built
 * in DuckDB (one filtered scan and a sort), scored in JavaScript and let go. Only what sums across
 * customers is kept: per-channel credit of every method, the Markov chain's transition counts, the
 * Shapley coalitions, the spread bases. The figures are those of the in-memory methods on all
 * journeys at once (tested: `partitioned.test.ts`), except the incremental model's parameters, which
 * are fitted on a random sample of customers (partition 0, then a systematic sample of its journeys)
 * before every journey is scored with them.
 *
 * A customer is told apart by two 64-bit hashes of their id (odds of two ids colliding on both
 * about 10⁻²⁴ at 100 million customers): the id strings never travel to JavaScript.
 */
import { badInput, onField } from '../errors.ts';
import { lit, readNumeric, type Workspace } from '../data/index.ts';
import { METHODS, channelCredits, journeyTotals, type Journeys, type Method } from './types.ts';
import { sweep } from './journeys.ts';
import { ruleScores, checkRuleOptions, addSpreadBase, spreadChannelSums, type RuleMethod } from './rules.ts';
import { ChainCounter, removalEffects, removalEffectTotals } from './markov.ts';
import { addCoalitions, checkShapleyChannels, shapleyTotals, shapleyValues, worthOf } from './shapley.ts';
import { discretize, fitHazard, scoreHazard, type HazardFit } from './incremental.ts';
import type { AttributeOptions, Summary } from './attribute.ts';

/** Events as a SQL relation with the workspace's event columns and `_row` (the order rows were given in: ties in time keep it). */
export interface EventSource { relation: string; label: string }

/** A touchpoint dataset of the workspace. */
export function datasetEvents(dataset: string): EventSource {
  return { relation: `(SELECT *, rowid AS _row FROM touchpoint_events WHERE dataset = ${lit(dataset)})`, label: `dataset '${dataset}'` };
}

const REQUIRED = ['journey_id', 'ts', 'channel'] as const;
const OPTIONAL = { interaction: 'VARCHAR', conversion: 'DOUBLE', value: 'DOUBLE', geo: 'VARCHAR', campaign: 'VARCHAR' } as const;

/**
 * An event file in Parquet, read where it lies (never copied into the workspace). Columns by name:
 * `journey_id`, `ts`, `channel` required; `interaction`, `conversion`, `value`, `geo`, `campaign` optional.
 */
export async function parquetEvents(ws: Workspace, file: string): Promise<EventSource> {
  const scan = `read_parquet(${lit(file)}, file_row_number = true)`;
  let columns: { name: string; type: string }[];
  try {
    columns = (await ws.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${scan}`)).map((r) => ({ name: r.column_name, type: r.column_type }));
  } catch (e) {
    throw badInput(`${file}: cannot read it as Parquet (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
  const have = new Map(columns.map((c) => [c.name.toLowerCase(), c]));
  for (const need of REQUIRED) {
    if (!have.has(need)) throw badInput(`${file} has no column '${need}'; an event file needs journey_id (the customer), ts (the time) and channel, and may have ${Object.keys(OPTIONAL).join(', ')}. Its columns: ${columns.map((c) => c.name).filter((n) => n !== 'file_row_number').join(', ')}`);
  }
  const col = (name: string) => `"${have.get(name)!.name.replace(/"/g, '""')}"`;
  const ts = have.get('ts')!;
  if (!/^(TIMESTAMP|DATE)/.test(ts.type)) throw badInput(`${file}: column 'ts' holds ${ts.type}; it must hold dates and times (a Parquet timestamp or date)`);
  const optional = Object.entries(OPTIONAL).map(([name, type]) => `${have.has(name) ? `TRY_CAST(${col(name)} AS ${type})` : `NULL::${type}`} AS ${name}`);
  return {
    relation: `(SELECT ${col('journey_id')}::VARCHAR AS journey_id, ${col('ts')}::TIMESTAMP AS ts, ${col('channel')}::VARCHAR AS channel, ${optional.join(', ')}, file_row_number AS _row FROM ${scan})`,
    label: file,
  };
}

// A row is a touch when it has a channel and its interaction is not 'conversion'; a conversion when its interaction is 'conversion' or its count is > 0 (journeys.ts).
const IS_TOUCH = `(channel IS NOT NULL AND coalesce(lower(interaction), '') <> 'conversion')`;
const CONVERSIONS = `(CASE WHEN coalesce(lower(interaction), '') = 'conversion' OR coalesce(conversion, 0) > 0 THEN CASE WHEN coalesce(conversion, 0) > 0 THEN conversion ELSE 1 END ELSE 0 END)::DOUBLE`;

export interface PartitionedOptions extends AttributeOptions {
  /** Methods to score (default every one but Shapley when there are more than 20 channels). */
  methods?: Method[];
  /** Days before a journey's end within which touches count (default 30). */
  lookbackDays?: number;
  /** Events per partition at most (default 8 million: a partition's rows, journeys and scores take about 1 GB). */
  rowsPerPartition?: number;
  /** Journeys the incremental model is fitted on at most (default 50,000). */
  fitJourneys?: number;
  /** The incremental model's time step in hours (default 24). */
  stepHours?: number;
  progress?: (p: { stage: string; done: number; total: number }) => void;
}

export interface PartitionedResult {
  source: string;
  events: number;
  partitions: number;
  journeys: number;
  touches: number;
  channels: string[];
  summaries: Summary[];
  markov?: { order: number; conversionProbability: number; removalEffect: Record<string, number> };
  incremental?: { base: number; journeysFitted: number; iterations: number; converged: boolean; params: { alpha: number; channels: { channel: string; beta: number; lambda: number }[] }; influenced: Summary };
  seconds: { check: number; read: number; score: number; fit: number; total: number };
}

/** Every method's per-channel credit over all journeys of `source`, partition by partition. */
export async function scorePartitioned(ws: Workspace, source: EventSource, opts: PartitionedOptions = {}): Promise<PartitionedResult> {
  const t0 = performance.now();
  const seconds = { check: 0, read: 0, score: 0, fit: 0, total: 0 };
  const lookbackDays = opts.lookbackDays ?? 30;
  if (!(lookbackDays > 0 && Number.isFinite(lookbackDays))) throw onField('lookbackDays', badInput(`the lookback must be a positive number of days; got ${lookbackDays}`));
  checkRuleOptions(opts);
  const rowsPerPartition = opts.rowsPerPartition ?? 8_000_000;
  const src = source.relation;

  // One pass over the events: counts, the end of the data, the first bad row of each kind; then the small lists of names.
  const facts = (await ws.all<{ n: number; last: number | null; no_id: number | null; no_ts: number | null; bad_conv: number | null; bad_value: number | null }>(`
    SELECT count(*) AS n, max(epoch(ts)) AS last,
      min(_row) FILTER (WHERE journey_id IS NULL) AS no_id, min(_row) FILTER (WHERE ts IS NULL) AS no_ts,
      min(_row) FILTER (WHERE conversion < 0 OR NOT isfinite(conversion)) AS bad_conv, min(_row) FILTER (WHERE NOT isfinite(value)) AS bad_value
    FROM ${src}`))[0];
  const at = (row: number | null) => `row ${Number(row) + 1}`;
  if (facts.no_id !== null) throw badInput(`${source.label}: ${at(facts.no_id)} has no journey_id (every event needs its customer)`);
  if (facts.no_ts !== null) throw badInput(`${source.label}: ${at(facts.no_ts)} has no ts (every event needs its time)`);
  if (facts.bad_conv !== null) throw badInput(`${source.label}: ${at(facts.bad_conv)} has a conversion count that is negative or not a number`);
  if (facts.bad_value !== null) throw badInput(`${source.label}: ${at(facts.bad_value)} has a value that is not a number`);
  const events = Number(facts.n);
  if (events === 0) throw badInput(`${source.label} has no events`);
  const channels = (await ws.all<{ channel: string }>(`SELECT DISTINCT channel FROM ${src} WHERE ${IS_TOUCH} ORDER BY channel`)).map((r) => r.channel);
  if (!channels.length) throw badInput(`${source.label} has no touch (an event with a channel that is not a conversion)`);
  const campaigns = (await ws.all<{ campaign: string }>(`SELECT DISTINCT campaign FROM ${src} WHERE campaign IS NOT NULL ORDER BY campaign`)).map((r) => r.campaign);
  const C = channels.length;
  const methods = opts.methods ?? METHODS.filter((m) => m !== 'shapley' || C <= 20);
  if (methods.includes('shapley')) checkShapleyChannels(C);
  const dataEnd = Number(facts.last);
  seconds.check = (performance.now() - t0) / 1000;

  await ws.run(`CREATE OR REPLACE TEMP TABLE tp_part_ch AS SELECT unnest(${listOf(channels)}) AS channel, (generate_subscripts(${listOf(channels)}, 1) - 1)::INTEGER AS code`);
  await ws.run(`CREATE OR REPLACE TEMP TABLE tp_part_cp AS SELECT unnest(${listOf(campaigns.length ? campaigns : [''])}) AS campaign, (generate_subscripts(${listOf(campaigns.length ? campaigns : [''])}, 1) - 1)::INTEGER AS code`);
  const P = Math.max(1, Math.ceil(events / rowsPerPartition));
  // Sorted by customer (two hashes), time, touches before a conversion at the same instant, then the order given.
  const query = (k: number) => `
    SELECT hash(e.journey_id) AS h1, hash(e.journey_id || '#') AS h2, epoch(e.ts)::DOUBLE AS t,
      CASE WHEN e.touch THEN tc.code ELSE -1 END AS ch, coalesce(tp.code, -1) AS cp, e.conv, e.val
    FROM (SELECT journey_id, ts, channel, campaign, _row, ${IS_TOUCH} AS touch, ${CONVERSIONS} AS conv, coalesce(value, 0)::DOUBLE AS val
          FROM ${src} ${P > 1 ? `WHERE hash(journey_id) % ${P} = ${k}` : ''}) e
      LEFT JOIN tp_part_ch tc ON tc.channel = e.channel LEFT JOIN tp_part_cp tp ON tp.campaign = e.campaign
    ORDER BY h1, h2, t, NOT e.touch, e._row`;
  const read = (k: number) => readNumeric(ws, query(k), { h1: 'uint64', h2: 'uint64', t: 'float64', ch: 'int32', cp: 'int32', conv: 'float64', val: 'float64' }, { materialize: true });

  const rules = methods.filter((m): m is RuleMethod => m === 'first' || m === 'last' || m === 'linear' || m === 'position' || m === 'decay');
  const ruleSums = rules.map(() => ({ conv: new Float64Array(C), val: new Float64Array(C) }));
  const counter = methods.includes('markov') ? new ChainCounter(C, opts.order ?? 1) : null;
  const coalitions = methods.includes('shapley') ? { conv: new Float64Array(1 << C), total: new Float64Array(1 << C) } : null;
  const convBase = new Float64Array(C), valBase = new Float64Array(C);
  const inc = methods.includes('incremental') ? { conv: new Float64Array(C), val: new Float64Array(C), nonConverting: new Float64Array(C), infConv: new Float64Array(C), infVal: new Float64Array(C), base: 0 } : null;
  let fit: (HazardFit & { journeysFitted: number }) | null = null;
  const totals = { journeys: 0, converting: 0, touches: 0, conversions: 0, value: 0, untouchedConversions: 0, untouchedValue: 0, journeyCount: 0 };
  const hazardOpts = { stepHours: opts.stepHours, dataEnd };

  let next = read(0);
  for (let k = 0; k < P; k++) {
    opts.progress?.({ stage: 'partitions', done: k, total: P });
    let t1 = performance.now();
    const rows = await next;
    // The next partition is read and sorted by DuckDB's threads while this one is scored here.
    if (k + 1 < P) next = read(k + 1);
    seconds.read += (performance.now() - t1) / 1000;
    t1 = performance.now();
    const j = sweep({ ...rows, cid: customerNumbers(rows.h1, rows.h2) }, null, channels, campaigns, lookbackDays * 86400);
    totals.untouchedConversions += j.untouchedConversions; totals.untouchedValue += j.untouchedValue;
    const J = j.offsets.length - 1;
    if (J === 0) { seconds.score += (performance.now() - t1) / 1000; continue; }
    const tot = journeyTotals(j);
    totals.journeys += tot.journeys; totals.conversions += tot.conversions; totals.value += tot.value;
    totals.touches += j.offsets[J]; totals.journeyCount += J;
    for (let q = 0; q < J; q++) if (j.conversions[q] > 0) totals.converting++;
    rules.forEach((m, r) => addByChannel(j, ruleScores(j, m, opts), ruleSums[r]));
    counter?.add(j);
    if (coalitions) addCoalitions(j, coalitions.conv, coalitions.total);
    addSpreadBase(j, convBase, valBase);
    seconds.score += (performance.now() - t1) / 1000;
    if (inc) {
      if (!fit) {
        t1 = performance.now();
        opts.progress?.({ stage: 'incremental model', done: 0, total: 1 });
        fit = fitOnSample(j, opts.fitJourneys ?? 50_000, hazardOpts);
        seconds.fit = (performance.now() - t1) / 1000;
      }
      t1 = performance.now();
      // Scored with value 0 per conversion for non-converting journeys: their value is added at the end, at the data's value per conversion.
      const s = scoreHazard(j, fit.params, discretize(j, hazardOpts), 0);
      inc.base += s.base;
      addByChannel(j, s.incremental, { conv: inc.conv, val: inc.val });
      addByChannel(j, s.influenced, { conv: inc.infConv, val: inc.infVal });
      for (let q = 0; q < J; q++) {
        if (j.conversions[q] > 0) continue;
        for (let i = j.offsets[q]; i < j.offsets[q + 1]; i++) inc.nonConverting[j.touchChannel[i]] += s.incremental.conversions[i];
      }
      seconds.score += (performance.now() - t1) / 1000;
    }
  }
  await ws.run('DROP TABLE IF EXISTS tp_part_ch; DROP TABLE IF EXISTS tp_part_cp');
  if (totals.journeyCount === 0) throw badInput(`${source.label} has no journey with a touch in the lookback window`);
  opts.progress?.({ stage: 'partitions', done: P, total: P });

  const summary = (method: Method, conv: Float64Array, val: Float64Array): Summary => {
    const credits = channelCredits(channels, conv, val);
    return {
      method, totalConversions: credits.reduce((a, c) => a + c.conversions, 0), totalValue: credits.reduce((a, c) => a + c.value, 0), channels: credits,
      journeys: totals.journeys, convertingJourneys: totals.converting, touches: totals.touches, untouchedConversions: totals.untouchedConversions, untouchedValue: totals.untouchedValue,
    };
  };
  const out: PartitionedResult = { source: source.label, events, partitions: P, journeys: totals.journeyCount, touches: totals.touches, channels, summaries: [], seconds };
  for (const m of methods) {
    if (rules.includes(m as RuleMethod)) { const r = ruleSums[rules.indexOf(m as RuleMethod)]; out.summaries.push(summary(m, r.conv, r.val)); }
    if (m === 'markov' && counter) {
      const { conversionProbability, removalEffect } = removalEffects(counter.chain(), C);
      const t = removalEffectTotals(removalEffect, totals.conversions, totals.value);
      out.summaries.push(summary('markov', spreadChannelSums(t.conversions, convBase), spreadChannelSums(t.value, convBase)));
      out.markov = { order: counter.order, conversionProbability, removalEffect: Object.fromEntries(channels.map((c, x) => [c, removalEffect[x]])) };
    }
    if (m === 'shapley' && coalitions) {
      const phi = shapleyValues(worthOf(coalitions.conv, coalitions.total, C, opts), C);
      const t = shapleyTotals(phi, totals.conversions, totals.value);
      out.summaries.push(summary('shapley', spreadChannelSums(t.conversions, convBase), spreadChannelSums(t.value, convBase)));
    }
    if (m === 'incremental' && inc && fit) {
      const valuePerConversion = totals.conversions > 0 ? totals.value / totals.conversions : 0;
      const val = inc.val.map((v, c) => v + valuePerConversion * inc.nonConverting[c]);
      out.summaries.push(summary('incremental', inc.conv, val));
      out.incremental = {
        base: inc.base, journeysFitted: fit.journeysFitted, iterations: fit.iterations, converged: fit.converged,
        params: { alpha: fit.params.alpha, channels: channels.map((channel, c) => ({ channel, beta: fit!.params.beta[c], lambda: fit!.params.lambda[c] })) },
        influenced: summary('influenced' as Method, inc.infConv, inc.infVal), // as summarize names the influenced scores
      };
    }
  }
  seconds.total = (performance.now() - t0) / 1000;
  return out;
}

const listOf = (xs: readonly string[]) => `[${xs.map(lit).join(', ')}]::VARCHAR[]`;

/** Customer numbers 0, 1, … along rows sorted by customer: a new number where either hash changes (compared as 32-bit words, no BigInt per row). */
export function customerNumbers(h1: BigUint64Array, h2: BigUint64Array): Int32Array {
  const a = new Int32Array(h1.buffer, h1.byteOffset, 2 * h1.length), b = new Int32Array(h2.buffer, h2.byteOffset, 2 * h2.length);
  const n = h1.length, cid = new Int32Array(n);
  let c = 0;
  for (let r = 1; r < n; r++) {
    const x = 2 * r;
    if (a[x] !== a[x - 2] || a[x + 1] !== a[x - 1] || b[x] !== b[x - 2] || b[x + 1] !== b[x - 1]) c++;
    cid[r] = c;
  }
  return cid;
}

function addByChannel(j: Journeys, s: { conversions: Float64Array; value: Float64Array }, into: { conv: Float64Array; val: Float64Array }): void {
  const N = j.offsets[j.offsets.length - 1];
  for (let i = 0; i < N; i++) { into.conv[j.touchChannel[i]] += s.conversions[i]; into.val[j.touchChannel[i]] += s.value[i]; }
}

/** The hazard model fitted on a systematic sample of at most `cap` of the journeys (all of them when fewer). */
function fitOnSample(j: Journeys, cap: number, opts: { stepHours?: number; dataEnd: number }): HazardFit & { journeysFitted: number } {
  const J = j.offsets.length - 1;
  const stride = Math.max(1, Math.ceil(J / cap));
  const sample = stride === 1 ? j : pickJourneys(j, stride);
  let conversions = 0;
  for (const c of sample.conversions) conversions += c;
  if (!(conversions > 0)) throw badInput('the incremental model needs converting journeys in its sample of customers; score with the other methods, or give more data');
  return { ...fitHazard(sample, opts), journeysFitted: sample.offsets.length - 1 };
}

/** Every `stride`-th journey of `j`, as journeys of their own. */
function pickJourneys(j: Journeys, stride: number): Journeys {
  const J = j.offsets.length - 1;
  const which: number[] = [];
  for (let q = 0; q < J; q += stride) which.push(q);
  let N = 0;
  for (const q of which) N += j.offsets[q + 1] - j.offsets[q];
  const offsets = new Int32Array(which.length + 1), touchChannel = new Int32Array(N), touchTime = new Float64Array(N), touchCampaign = new Int32Array(N);
  let n = 0;
  which.forEach((q, x) => {
    for (let i = j.offsets[q]; i < j.offsets[q + 1]; i++) { touchChannel[n] = j.touchChannel[i]; touchTime[n] = j.touchTime[i]; touchCampaign[n] = j.touchCampaign[i]; n++; }
    offsets[x + 1] = n;
  });
  const pick = (a: Float64Array) => Float64Array.from(which, (q) => a[q]);
  return {
    channels: j.channels, campaigns: j.campaigns, offsets, touchChannel, touchTime, touchCampaign,
    conversions: pick(j.conversions), value: pick(j.value), nulls: pick(j.nulls), endTime: pick(j.endTime),
    untouchedConversions: 0, untouchedValue: 0,
  };
}
