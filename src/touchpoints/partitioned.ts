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
 * Rows are sorted by the customer's id in DuckDB and travel to JavaScript with a 64-bit hash of it,
 * never the id strings (`customerNumbers`).
 */
import { badInput, onField } from '../errors.ts';
import type { DuckDBConnection } from '@duckdb/node-api';
import { lit, readNumericSlices, type ChunkSource, type Workspace } from '../data/index.ts';
import { METHODS, channelCredits, journeyTotals, type Journeys, type Method } from './types.ts';
import { conversionsSql, isTouchSql, sweep } from './journeys.ts';
import { addRuleChannelSums, checkRuleOptions, addSpreadBase, spreadChannelSums, type RuleMethod } from './rules.ts';
import { ChainCounter, removalEffects, removalEffectTotals } from './markov.ts';
import { addCoalitions, checkShapleyChannels, shapleyTotals, shapleyValues, worthOf, MAX_SHAPLEY_CHANNELS } from './shapley.ts';
import { addHazardSums, discretize, fitHazard, type HazardFit, type HazardSums } from './incremental.ts';
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
  // An instant (with time zone) is read in UTC, whatever the machine's zone: days are UTC days, as at ingest.
  const tsSql = /WITH TIME ZONE/.test(ts.type) ? `timezone('UTC', ${col('ts')})` : `${col('ts')}::TIMESTAMP`;
  for (const name of ['conversion', 'value']) {
    const c = have.get(name);
    // A number stored as text would read as nothing through TRY_CAST: refuse it by name.
    if (c && !/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL|BOOLEAN)/.test(c.type)) {
      throw badInput(`${file}: column '${name}' holds ${c.type}; it must hold numbers`);
    }
  }
  const optional = Object.entries(OPTIONAL).map(([name, type]) => `${have.has(name) ? `TRY_CAST(${col(name)} AS ${type})` : `NULL::${type}`} AS ${name}`);
  return {
    relation: `(SELECT ${col('journey_id')}::VARCHAR AS journey_id, ${tsSql} AS ts, ${col('channel')}::VARCHAR AS channel, ${optional.join(', ')}, file_row_number AS _row FROM ${scan})`,
    label: file,
  };
}

// What a touch and a conversion are: as `loadJourneys` reads them (journeys.ts).
const IS_TOUCH = isTouchSql(), CONVERSIONS = conversionsSql();

export interface PartitionedOptions extends AttributeOptions {
  /** Methods to score (default every one but Shapley when there are more than 20 channels). */
  methods?: Method[];
  /** Days before a journey's end within which touches count (default 30). */
  lookbackDays?: number;
  /** Events per partition at most (default 12.5 million): DuckDB sorts a partition (spilling to disk past its memory limit) while the one before is scored, a slice of about a million rows at a time.  */
  rowsPerPartition?: number;
  /** Rows scored at a time, about (default 2²⁰: a slice's journeys and scores take about 100 MB). */
  sliceRows?: number;
  /** Journeys the incremental model is fitted on at most (default 50,000), a systematic sample of partition 0's (a random sample of customers). */
  fitJourneys?: number;
  /** The incremental model's time step in hours (default 24). */
  stepHours?: number;
  progress?: (p: { stage: string; done: number; total: number }) => void;
}

export interface PartitionedResult {
  source: string;
  events: number;
  partitions: number;
  /** Journeys (a converting journey with a count of 2 conversions is one: a summary's `journeys` counts it twice). */
  journeyCount: number;
  touches: number;
  channelNames: string[];
  summaries: Summary[];
  /** What was not scored, and why. */
  notes: string[];
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
  const rowsPerPartition = opts.rowsPerPartition ?? 12_500_000;
  const src = source.relation;

  // One pass over the events: counts, the end of the data, the first bad row of each kind; then the small lists of names.
  const facts = (await ws.all<{ n: number; last: number | null; no_id: number | null; no_ts: number | null; bad_conv: number | null; bad_value: number | null; channels: string[] | null; campaigns: string[] | null }>(`
    SELECT count(*) AS n, max(epoch(ts)) FILTER (WHERE ${IS_TOUCH} OR ${CONVERSIONS} > 0) AS last,
      min(_row) FILTER (WHERE journey_id IS NULL) AS no_id, min(_row) FILTER (WHERE ts IS NULL) AS no_ts,
      min(_row) FILTER (WHERE conversion < 0 OR NOT isfinite(conversion)) AS bad_conv, min(_row) FILTER (WHERE NOT isfinite(value)) AS bad_value,
      list(DISTINCT channel ORDER BY channel) FILTER (WHERE ${IS_TOUCH}) AS channels, list(DISTINCT campaign ORDER BY campaign) FILTER (WHERE campaign IS NOT NULL) AS campaigns
    FROM ${src}`))[0];
  const at = (row: number | null) => `row ${Number(row) + 1}`;
  if (facts.no_id !== null) throw badInput(`${source.label}: ${at(facts.no_id)} has no journey_id (every event needs its customer)`);
  if (facts.no_ts !== null) throw badInput(`${source.label}: ${at(facts.no_ts)} has no ts (every event needs its time)`);
  if (facts.bad_conv !== null) throw badInput(`${source.label}: ${at(facts.bad_conv)} has a conversion count that is negative or not a number`);
  if (facts.bad_value !== null) throw badInput(`${source.label}: ${at(facts.bad_value)} has a value that is not a number`);
  const events = Number(facts.n);
  if (events === 0) throw badInput(`${source.label} has no events`);
  const channels = (facts.channels ?? []).map(String), campaigns = (facts.campaigns ?? []).map(String);
  if (!channels.length) throw badInput(`${source.label} has no touch (an event with a channel that is not a conversion)`);
  const C = channels.length;
  const notes: string[] = [];
  const methods = opts.methods ?? METHODS.filter((m) => m !== 'shapley' || C <= MAX_SHAPLEY_CHANNELS);
  if (methods.includes('shapley')) checkShapleyChannels(C);
  if (!methods.includes('shapley') && !opts.methods) notes.push(`Shapley values are exact for up to ${MAX_SHAPLEY_CHANNELS} channels and the data have ${C}: not scored`);
  const dataEnd = Number(facts.last);
  seconds.check = (performance.now() - t0) / 1000;

  const P = Math.max(1, Math.ceil(events / rowsPerPartition));
  // Codes of channels and campaigns inline (a second connection does not see this one's temp tables).
  const codes = (name: string, xs: string[]) => `${name}(name, code) AS (SELECT * FROM (VALUES ${(xs.length ? xs : ['']).map((x, k) => `(${lit(x)}, ${k})`).join(', ')}))`;
  // Sorted by customer, time, touches before a conversion at the same instant, then the order given; the id travels as its hash.
  const query = (where: string) => `
    WITH ${codes('tc', channels)}, ${codes('tp', campaigns)}
    SELECT hash(e.journey_id) AS h, epoch(e.ts)::DOUBLE AS t,
      CASE WHEN e.touch THEN tc.code ELSE -1 END::INTEGER AS ch, coalesce(tp.code, -1)::INTEGER AS cp, e.conv, e.val
    FROM (SELECT journey_id, ts, channel, campaign, _row, ${IS_TOUCH} AS touch, ${CONVERSIONS} AS conv, coalesce(value, 0)::DOUBLE AS val
          FROM ${src} ${where}) e
      LEFT JOIN tc ON tc.name = e.channel LEFT JOIN tp ON tp.name = e.campaign
    ORDER BY e.journey_id, t, NOT e.touch, e._row`;
  const columns = { h: 'uint64', t: 'float64', ch: 'int32', cp: 'int32', conv: 'float64', val: 'float64' } as const;

  const rules = methods.filter((m): m is RuleMethod => m === 'first' || m === 'last' || m === 'linear' || m === 'position' || m === 'decay');
  const ruleSums = rules.map(() => ({ conv: new Float64Array(C), val: new Float64Array(C) }));
  const counter = methods.includes('markov') ? new ChainCounter(C, opts.order ?? 1) : null;
  const coalitions = methods.includes('shapley') ? { conv: new Float64Array(1 << C), total: new Float64Array(1 << C) } : null;
  const convBase = new Float64Array(C), valBase = new Float64Array(C);
  const inc: HazardSums | null = methods.includes('incremental') ? { conv: new Float64Array(C), val: new Float64Array(C), nonConverting: new Float64Array(C), infConv: new Float64Array(C), infVal: new Float64Array(C), base: 0 } : null;
  let fit: (HazardFit & { journeysFitted: number }) | null = null;
  const totals = { journeys: 0, converting: 0, touches: 0, conversions: 0, value: 0, untouchedConversions: 0, untouchedValue: 0, journeyCount: 0 };
  const hazardOpts = { stepHours: opts.stepHours, dataEnd };

  /** Everything that sums across customers, from one slice of whole customers. */
  const score = (j: Journeys, withIncremental: boolean) => {
    totals.untouchedConversions += j.untouchedConversions; totals.untouchedValue += j.untouchedValue;
    const J = j.offsets.length - 1;
    if (J === 0) return;
    const tot = journeyTotals(j);
    totals.journeys += tot.journeys; totals.conversions += tot.conversions; totals.value += tot.value;
    totals.touches += j.offsets[J]; totals.journeyCount += J;
    for (let q = 0; q < J; q++) if (j.conversions[q] > 0) totals.converting++;
    rules.forEach((m, r) => addRuleChannelSums(j, m, opts, ruleSums[r].conv, ruleSums[r].val));
    counter?.add(j);
    if (coalitions) addCoalitions(j, coalitions.conv, coalitions.total);
    addSpreadBase(j, convBase, valBase);
    if (inc && withIncremental) addHazardSums(j, fit!.params, discretize(j, hazardOpts), inc);
  };

  /** Journeys of the rows a query gives, slice by slice of whole customers. */
  const journeysOf = (result: ChunkSource, each: (j: Journeys) => void) => readNumericSlices(result, columns, opts.sliceRows ?? SLICE_ROWS, (rows, n, last) => {
    const cid = customerNumbers(rows.h);
    // Whole customers only: the rows of the last one may go on in the next chunk.
    const used = last ? n : lastCustomerStart(cid);
    if (used === 0) return 0;
    const cut = <T extends Float64Array | Int32Array>(a: T) => a.subarray(0, used) as T;
    each(sweep({ cid: cut(cid), t: cut(rows.t), ch: cut(rows.ch), cp: cut(rows.cp), conv: cut(rows.conv), val: cut(rows.val) }, null, channels, campaigns, lookbackDays * 86400));
    return used;
  });

  // Two connections take turns: DuckDB's threads scan and sort partition k + 1 while this thread scores partition k.
  const conns = [await ws.connection(), await ws.connection()];
  let next: ReturnType<DuckDBConnection['stream']> | undefined;
  try {
    const start = (k: number) => {
      const pending = conns[k % 2].stream(query(P > 1 ? `WHERE hash(journey_id) % ${P} = ${k}` : ''));
      // Awaited in its turn; if scoring stops first (an error), its failure must not go unhandled.
      pending.catch(() => {});
      return pending;
    };
    next = start(0);
    // The incremental model is fitted on partition 0's journeys, a random sample of customers (by the hash of their id); they
    // wait (about 300 MB at 12 million events) to be scored by it. A partition without a converting journey passes its turn on.
    const held: Journeys[] = [];
    for (let k = 0; k < P; k++) {
      opts.progress?.({ stage: 'partitions', done: k, total: P });
      let t1 = performance.now();
      const result = await next;
      if (k + 1 < P) next = start(k + 1);
      seconds.read += (performance.now() - t1) / 1000;
      t1 = performance.now();
      await journeysOf(result, (j) => { score(j, !inc || fit !== null); if (inc && !fit) held.push(j); });
      seconds.score += (performance.now() - t1) / 1000;
      if (inc && !fit && held.some((j) => j.conversions.some((c) => c > 0))) {
        t1 = performance.now();
        opts.progress?.({ stage: 'incremental model', done: 0, total: 1 });
        fit = fitOnSample(held, opts.fitJourneys ?? 50_000, hazardOpts);
        seconds.fit = (performance.now() - t1) / 1000;
        t1 = performance.now();
        for (const j of held) addHazardSums(j, fit.params, discretize(j, hazardOpts), inc);
        held.length = 0;
        seconds.score += (performance.now() - t1) / 1000;
      }
    }
    if (inc && !fit) notes.push('the incremental model needs converting journeys, and no journey converts after a touch in the lookback: not scored');
  } finally {
    // A partition still being sorted (scoring stopped early) is interrupted before its connection closes.
    for (const c of conns) c.interrupt();
    await next?.catch(() => {});
    for (const c of conns) c.closeSync();
  }
  if (totals.journeyCount === 0) throw badInput(`${source.label} has no journey with a touch in the lookback window`);
  opts.progress?.({ stage: 'partitions', done: P, total: P });

  const summary = (method: Method, conv: Float64Array, val: Float64Array): Summary => {
    const credits = channelCredits(channels, conv, val);
    return {
      method, totalConversions: credits.reduce((a, c) => a + c.conversions, 0), totalValue: credits.reduce((a, c) => a + c.value, 0), channels: credits,
      journeys: totals.journeys, convertingJourneys: totals.converting, touches: totals.touches, untouchedConversions: totals.untouchedConversions, untouchedValue: totals.untouchedValue,
    };
  };
  const out: PartitionedResult = { source: source.label, events, partitions: P, journeyCount: totals.journeyCount, touches: totals.touches, channelNames: channels, summaries: [], notes, seconds };
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

/** Rows a slice of a partition holds at most (plus one customer's): its journeys and scores take about 100 MB. */
const SLICE_ROWS = 1 << 20;

/** Where the last customer's rows begin (customer numbers ascending); 0 when every row is one customer's. */
function lastCustomerStart(cid: Int32Array): number {
  const n = cid.length, last = cid[n - 1];
  let k = n - 1;
  while (k > 0 && cid[k - 1] === last) k--;
  return k;
}

/** Journeys of several slices as one (for the incremental model's sample). */
function concatJourneys(parts: Journeys[]): Journeys {
  if (parts.length === 1) return parts[0];
  const N = parts.reduce((a, j) => a + j.offsets[j.offsets.length - 1], 0), J = parts.reduce((a, j) => a + j.offsets.length - 1, 0);
  const offsets = new Int32Array(J + 1), touchChannel = new Int32Array(N), touchTime = new Float64Array(N), touchCampaign = new Int32Array(N);
  const conversions = new Float64Array(J), value = new Float64Array(J), nulls = new Float64Array(J), endTime = new Float64Array(J);
  let n = 0, q = 0;
  for (const j of parts) {
    const Jp = j.offsets.length - 1, Np = j.offsets[Jp];
    touchChannel.set(j.touchChannel, n); touchTime.set(j.touchTime, n); touchCampaign.set(j.touchCampaign, n);
    conversions.set(j.conversions, q); value.set(j.value, q); nulls.set(j.nulls, q); endTime.set(j.endTime, q);
    for (let x = 1; x <= Jp; x++) offsets[q + x] = n + j.offsets[x];
    n += Np; q += Jp;
  }
  return { channels: parts[0].channels, campaigns: parts[0].campaigns, offsets, touchChannel, touchTime, touchCampaign, conversions, value, nulls, endTime, untouchedConversions: 0, untouchedValue: 0 };
}

/**
 * Customer numbers 0, 1, … along rows sorted by customer id: a new number where the id's hash changes
 * (compared as 32-bit words, no BigInt per row). Only ids next to each other in sorted order could be
 * taken for one by sharing a 64-bit hash: odds under 1 in 10¹² at 10 million customers (10⁷ neighbours × 2⁻⁶⁴).
 */
export function customerNumbers(h: BigUint64Array): Int32Array {
  const a = new Int32Array(h.buffer, h.byteOffset, 2 * h.length);
  const n = h.length, cid = new Int32Array(n);
  let c = 0;
  for (let r = 1; r < n; r++) {
    const x = 2 * r;
    if (a[x] !== a[x - 2] || a[x + 1] !== a[x - 1]) c++;
    cid[r] = c;
  }
  return cid;
}

/**
 * The hazard model fitted on a systematic sample of at most `cap` of the journeys of `parts` (every
 * `stride`-th across the parts; all of them when fewer, or when the sample missed every conversion).
 */
function fitOnSample(parts: Journeys[], cap: number, opts: { stepHours?: number; dataEnd: number }): HazardFit & { journeysFitted: number } {
  const J = parts.reduce((a, j) => a + j.offsets.length - 1, 0);
  const stride = Math.max(1, Math.ceil(J / cap));
  let at = 0;
  let sample = concatJourneys(stride === 1 ? parts : parts.map((j) => { const p = pickJourneys(j, stride, (stride - (at % stride)) % stride); at += j.offsets.length - 1; return p; }));
  if (!sample.conversions.some((c) => c > 0)) sample = concatJourneys(parts);
  return { ...fitHazard(sample, opts), journeysFitted: sample.offsets.length - 1 };
}

/** Every `stride`-th journey of `j` from journey `first`, as journeys of their own. */
function pickJourneys(j: Journeys, stride: number, first = 0): Journeys {
  const J = j.offsets.length - 1;
  const which: number[] = [];
  for (let q = first; q < J; q += stride) which.push(q);
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
