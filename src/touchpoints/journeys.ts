/**
 * Builds journeys from a touchpoint dataset in the workspace, in DuckDB (out of core), and returns
 * them as typed arrays (`Journeys`).
 *
 * Event datasets (`touchpoint_events`):
 * - a row is a touch when it has a channel and its interaction is not 'conversion'; a row is a
 *   conversion when its interaction is 'conversion' or its `conversion` count is > 0 (a row can be
 *   both: a touch that converted). A conversion counts `conversion` conversions (1 when empty) worth `value`.
 * - sessionization: a conversion ends the customer's journey; touches after it start the next one
 *   (session 1, 2, …). Touches at the same instant as the conversion belong to the journey it ends.
 * - lookback: only touches at most `lookbackDays` before the journey's end (its conversion, or its
 *   last touch for a non-converting journey) count. Conversions with no touch in the window are
 *   reported as `untouchedConversions`.
 * - non-converting journeys are kept (Markov, Shapley and the incremental model need them).
 * Path datasets (`touchpoint_paths`): one journey per row, `path` split on `>`, with its conversions,
 * value and nulls; no timestamps.
 */
import { badInput } from '../errors.ts';
import { getDataset, lit, type Workspace } from '../data/index.ts';
import type { Journeys } from './types.ts';
import { journeysFrom, splitPath } from './build.ts';

export interface JourneyOptions {
  /** Days before the journey's end within which touches count (default 30). */
  lookbackDays?: number;
}

export async function loadJourneys(ws: Workspace, dataset: string, opts: JourneyOptions = {}): Promise<Journeys> {
  const info = await getDataset(ws, dataset);
  if (info.kind !== 'touchpoints') throw badInput(`dataset '${dataset}' is a ${info.kind} dataset; touchpoints needs one ingested with --kind touchpoints`);
  const lookback = opts.lookbackDays ?? 30;
  if (!(lookback > 0 && Number.isFinite(lookback))) throw badInput(`--lookback must be a positive number of days; got ${lookback}`);
  if (info.layout === 'paths') return loadPaths(ws, dataset);
  return loadEvents(ws, dataset, lookback);
}

async function loadPaths(ws: Workspace, dataset: string): Promise<Journeys> {
  const rows = await ws.all<{ path: string; conversions: number | null; value: number | null; nulls: number | null }>(
    `SELECT path, conversions, value, nulls FROM touchpoint_paths WHERE dataset = ${lit(dataset)} ORDER BY rowid`);
  return journeysFrom(rows.map((r, k) => ({
    touches: splitPath(r.path), conversions: r.conversions ?? 0, value: r.value ?? 0, nulls: r.nulls ?? 0, id: String(k + 1),
  })));
}

const TEMP = ['tp_rows', 'tp_j', 'tp_t', 'tp_jx', 'tp_ch', 'tp_cp'];

async function loadEvents(ws: Workspace, dataset: string, lookbackDays: number): Promise<Journeys> {
  try {
    await ws.run(`
CREATE OR REPLACE TEMP TABLE tp_rows AS
WITH ev AS (
  SELECT rowid AS rid, journey_id, ts, channel, campaign, coalesce(lower(interaction), '') AS interaction, conversion, value
  FROM touchpoint_events WHERE dataset = ${lit(dataset)}),
r AS (
  SELECT journey_id, ts, rid, 0 AS kind, channel, campaign, 0.0 AS conv, 0.0 AS val FROM ev
    WHERE channel IS NOT NULL AND interaction <> 'conversion'
  UNION ALL
  SELECT journey_id, ts, rid, 1 AS kind, NULL, NULL, CASE WHEN coalesce(conversion, 0) > 0 THEN conversion ELSE 1 END, coalesce(value, 0) FROM ev
    WHERE interaction = 'conversion' OR coalesce(conversion, 0) > 0)
SELECT *, coalesce(sum(kind) OVER (PARTITION BY journey_id ORDER BY ts, kind, rid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)::INTEGER AS session FROM r;
CREATE OR REPLACE TEMP TABLE tp_j AS
  SELECT journey_id, session, max(CASE WHEN kind = 1 THEN ts END) AS conv_ts, max(ts) AS last_ts, sum(conv) AS conv, sum(val) AS val
  FROM tp_rows GROUP BY journey_id, session;
CREATE OR REPLACE TEMP TABLE tp_t AS
  SELECT t.journey_id, t.session, t.ts, t.rid, t.channel, t.campaign FROM tp_rows t JOIN tp_j j USING (journey_id, session)
  WHERE t.kind = 0 AND t.ts >= coalesce(j.conv_ts, j.last_ts) - to_seconds(${lookbackDays * 86400});
DROP TABLE tp_rows;
CREATE OR REPLACE TEMP TABLE tp_jx AS
  SELECT j.*, (row_number() OVER (ORDER BY j.journey_id, j.session) - 1)::INTEGER AS jix
  FROM tp_j j JOIN (SELECT DISTINCT journey_id, session FROM tp_t) USING (journey_id, session);
CREATE OR REPLACE TEMP TABLE tp_ch AS SELECT channel, (row_number() OVER (ORDER BY channel) - 1)::INTEGER AS code FROM (SELECT DISTINCT channel FROM tp_t);
CREATE OR REPLACE TEMP TABLE tp_cp AS SELECT campaign, (row_number() OVER (ORDER BY campaign) - 1)::INTEGER AS code FROM (SELECT DISTINCT campaign FROM tp_t WHERE campaign IS NOT NULL);
`);
    const untouched = (await ws.all<{ c: number | null; v: number | null }>(
      `SELECT sum(conv)::DOUBLE AS c, sum(val)::DOUBLE AS v FROM tp_j j ANTI JOIN tp_jx x USING (journey_id, session)`))[0];
    const channels = (await ws.all<{ channel: string }>(`SELECT channel FROM tp_ch ORDER BY code`)).map((r) => r.channel);
    const campaigns = (await ws.all<{ campaign: string }>(`SELECT campaign FROM tp_cp ORDER BY code`)).map((r) => r.campaign);
    const jc = await ws.columns(`SELECT journey_id, session, conv::DOUBLE AS conv, val::DOUBLE AS val, epoch(coalesce(conv_ts, last_ts))::DOUBLE AS t_end FROM tp_jx ORDER BY jix`);
    const tc = await ws.columns(`
      SELECT x.jix, ch.code AS ch, epoch(t.ts)::DOUBLE AS t, coalesce(cp.code, -1)::INTEGER AS cp
      FROM tp_t t JOIN tp_jx x USING (journey_id, session) JOIN tp_ch ch USING (channel) LEFT JOIN tp_cp cp USING (campaign)
      ORDER BY x.jix, t.ts, t.rid`);
    const J = jc.journey_id.length, N = tc.jix.length;
    const offsets = new Int32Array(J + 1);
    const jix = tc.jix as number[];
    for (let i = 0; i < N; i++) offsets[jix[i] + 1]++;
    for (let k = 0; k < J; k++) offsets[k + 1] += offsets[k];
    const conversions = Float64Array.from(jc.conv as number[]);
    const nulls = new Float64Array(J);
    for (let k = 0; k < J; k++) nulls[k] = conversions[k] > 0 ? 0 : 1;
    return {
      channels, campaigns, offsets,
      touchChannel: Int32Array.from(tc.ch as number[]), touchTime: Float64Array.from(tc.t as number[]), touchCampaign: Int32Array.from(tc.cp as number[]),
      conversions, value: Float64Array.from(jc.val as number[]), nulls, endTime: Float64Array.from(jc.t_end as number[]),
      ids: jc.journey_id as string[], session: Int32Array.from(jc.session as number[]),
      untouchedConversions: untouched?.c ?? 0, untouchedValue: untouched?.v ?? 0,
    };
  } finally {
    for (const t of TEMP) await ws.run(`DROP TABLE IF EXISTS ${t}`);
  }
}
