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
import { readNumeric } from '../data/index.ts';
import type { Journeys, SegmentAttribute } from './types.ts';
import { journeysFrom, segmentAttribute, splitPath } from './build.ts';

export interface JourneyOptions {
  /** Days before the journey's end within which touches count (default 30). */
  lookbackDays?: number;
}

export async function loadJourneys(ws: Workspace, dataset: string, opts: JourneyOptions = {}): Promise<Journeys> {
  const info = await getDataset(ws, dataset);
  if (info.kind !== 'touchpoints') throw badInput(`dataset '${dataset}' is a ${info.kind} dataset; touchpoints needs one ingested as touchpoints`);
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

const TEMP = ['tp_ids', 'tp_ch', 'tp_cp', 'tp_geo'];

/** SQL: the event row (columns prefixed by `at`, e.g. 'e.') is a touch: it has a channel and its interaction is not 'conversion'. */
export const isTouchSql = (at = '') => `(${at}channel IS NOT NULL AND coalesce(lower(${at}interaction), '') <> 'conversion')`;

/** SQL: the conversions an event row counts: its `conversion` count when > 0, else 1 for a 'conversion' interaction, else 0 (a row may be a touch too). */
export const conversionsSql = (at = '') =>
  `(CASE WHEN coalesce(lower(${at}interaction), '') = 'conversion' OR coalesce(${at}conversion, 0) > 0 THEN CASE WHEN coalesce(${at}conversion, 0) > 0 THEN ${at}conversion ELSE 1 END ELSE 0 END)::DOUBLE`;

/**
 * One sort in DuckDB (customer, time, touches before conversions, file order), then one pass in JS:
 * sessions, lookback and the typed arrays. Customer ids, channels and campaigns travel as integer
 * codes; only the distinct customer ids travel as strings.
 */
async function loadEvents(ws: Workspace, dataset: string, lookbackDays: number): Promise<Journeys> {
  const ds = lit(dataset);
  try {
    await ws.run(`
CREATE OR REPLACE TEMP TABLE tp_ids AS
  SELECT journey_id, (row_number() OVER (ORDER BY journey_id) - 1)::INTEGER AS cid FROM (SELECT DISTINCT journey_id FROM touchpoint_events WHERE dataset = ${ds});
CREATE OR REPLACE TEMP TABLE tp_ch AS
  SELECT channel, (row_number() OVER (ORDER BY channel) - 1)::INTEGER AS code
  FROM (SELECT DISTINCT channel FROM touchpoint_events WHERE dataset = ${ds} AND ${isTouchSql()});
CREATE OR REPLACE TEMP TABLE tp_cp AS
  SELECT campaign, (row_number() OVER (ORDER BY campaign) - 1)::INTEGER AS code FROM (SELECT DISTINCT campaign FROM touchpoint_events WHERE dataset = ${ds} AND campaign IS NOT NULL);
CREATE OR REPLACE TEMP TABLE tp_geo AS
  SELECT geo, (row_number() OVER (ORDER BY geo) - 1)::INTEGER AS code FROM (SELECT DISTINCT geo FROM touchpoint_events WHERE dataset = ${ds} AND geo IS NOT NULL);
`);
    const ids = (await ws.columns(`SELECT journey_id FROM tp_ids ORDER BY cid`)).journey_id as string[];
    const channels = (await ws.all<{ channel: string }>(`SELECT channel FROM tp_ch ORDER BY code`)).map((r) => r.channel);
    const campaigns = (await ws.all<{ campaign: string }>(`SELECT campaign FROM tp_cp ORDER BY code`)).map((r) => r.campaign);
    const geos = (await ws.all<{ geo: string }>(`SELECT geo FROM tp_geo ORDER BY code`)).map((r) => r.geo);
    const rows = await readNumeric(ws, `
      SELECT i.cid, epoch(e.ts)::DOUBLE AS t,
        CASE WHEN ${isTouchSql('e.')} THEN ch.code ELSE -1 END AS ch,
        coalesce(cp.code, -1) AS cp, coalesce(g.code, -1) AS gc, ${conversionsSql('e.')} AS conv,
        coalesce(e.value, 0)::DOUBLE AS val
      FROM touchpoint_events e JOIN tp_ids i USING (journey_id) LEFT JOIN tp_ch ch USING (channel) LEFT JOIN tp_cp cp USING (campaign) LEFT JOIN tp_geo g USING (geo)
      WHERE e.dataset = ${ds}
      ORDER BY i.cid, e.ts, NOT ${isTouchSql('e.')}, e.rowid`,
      { cid: 'int32', t: 'float64', ch: 'int32', cp: 'int32', gc: 'int32', conv: 'float64', val: 'float64' });
    const j = sweep(rows, ids, channels, campaigns, lookbackDays * 86400);
    const segments = await loadSegments(ws, ds, ids, j.ids!);
    return { ...j, ...(geos.length ? { geos } : { touchGeo: undefined }), ...(segments.length ? { segments } : {}) };
  } finally {
    for (const t of TEMP) await ws.run(`DROP TABLE IF EXISTS ${t}`);
  }
}

/** Each declared customer attribute (touchpoint_segments) as every journey's level; customers travel as their codes in tp_ids. */
async function loadSegments(ws: Workspace, ds: string, ids: string[], journeyIds: string[]): Promise<SegmentAttribute[]> {
  const names = (await ws.all<{ attribute: string }>(`SELECT DISTINCT attribute FROM touchpoint_segments WHERE dataset = ${ds} ORDER BY attribute`)).map((r) => r.attribute);
  if (!names.length) return [];
  const cidOf = new Map(ids.map((id, c) => [id, c]));
  const journeyCid = Int32Array.from(journeyIds, (id) => cidOf.get(id)!);
  const out: SegmentAttribute[] = [];
  for (const name of names) {
    const r = await ws.columns(`SELECT i.cid, s.value FROM touchpoint_segments s JOIN tp_ids i USING (journey_id) WHERE s.dataset = ${ds} AND s.attribute = ${lit(name)}`);
    const byCid: (string | null)[] = new Array(ids.length).fill(null);
    (r.cid as number[]).forEach((c, k) => { byCid[Number(c)] = String((r.value as unknown[])[k]); });
    out.push(segmentAttribute(name, Array.from(journeyCid, (c) => byCid[c])));
  }
  return out;
}

export interface EventRows { cid: Int32Array; t: Float64Array; ch: Int32Array; cp: Int32Array; conv: Float64Array; val: Float64Array; /** geo code, −1 none (optional) */ gc?: Int32Array }

/**
 * Sessions and lookback over rows sorted by (customer, time, touches first). A conversion closes the
 * customer's current journey; touches older than `lookback` seconds before the journey's end are dropped.
 */
export function sweep(r: EventRows, ids: string[] | null, channels: string[], campaigns: string[], lookback: number): Journeys {
  const R = r.cid.length;
  // Typed arrays sized for the worst case (every row a journey), cut to size at the end: no growing lists on millions of rows.
  const touchChannel = new Int32Array(R), touchTime = new Float64Array(R), touchCampaign = new Int32Array(R), touchGeo = new Int32Array(R).fill(-1);
  // A journey ends at a conversion or at a customer's last touch: at most one per conversion row plus one per customer.
  let most = R > 0 ? 1 : 0;
  for (let k = 0; k < R; k++) if (r.conv[k] > 0 || (k > 0 && r.cid[k] !== r.cid[k - 1])) most++;
  const offsets = new Int32Array(most + 1), conversions = new Float64Array(most), value = new Float64Array(most), endTime = new Float64Array(most), jid = new Int32Array(most), session = new Int32Array(most);
  let N = 0, J = 0, untouchedConversions = 0, untouchedValue = 0;
  const buf = new Int32Array(R);
  let nb = 0;
  const close = (cid: number, sess: number, end: number, conv: number, val: number) => {
    let kept = 0;
    for (let x = 0; x < nb; x++) {
      const k = buf[x];
      if (r.t[k] < end - lookback) continue;
      touchChannel[N] = r.ch[k]; touchTime[N] = r.t[k]; touchCampaign[N] = r.cp[k]; if (r.gc) touchGeo[N] = r.gc[k]; N++; kept++;
    }
    nb = 0;
    if (kept === 0) { untouchedConversions += conv; untouchedValue += val; return; }
    J++; offsets[J] = N; conversions[J - 1] = conv; value[J - 1] = val; endTime[J - 1] = end; jid[J - 1] = cid; session[J - 1] = sess;
  };
  // The data's end: its latest touch or conversion (an untouched conversion counts: the data ran until then).
  let dataEnd = -Infinity;
  for (let x = 0; x < R; x++) if ((r.ch[x] >= 0 || r.conv[x] > 0) && r.t[x] > dataEnd) dataEnd = r.t[x];
  let k = 0;
  while (k < R) {
    const cid = r.cid[k];
    let sess = 0;
    for (; k < R && r.cid[k] === cid; k++) {
      if (r.ch[k] >= 0) buf[nb++] = k;
      if (r.conv[k] > 0) { close(cid, sess, r.t[k], r.conv[k], r.val[k]); sess++; }
    }
    if (nb) close(cid, sess, r.t[buf[nb - 1]], 0, 0);
  }
  const conv = conversions.slice(0, J);
  return {
    channels, campaigns, offsets: offsets.slice(0, J + 1),
    touchChannel: touchChannel.slice(0, N), touchTime: touchTime.slice(0, N), touchCampaign: touchCampaign.slice(0, N), touchGeo: touchGeo.slice(0, N),
    conversions: conv, value: value.slice(0, J), nulls: conv.map((c) => (c > 0 ? 0 : 1)), endTime: endTime.slice(0, J),
    ...(ids ? { ids: Array.from(jid.subarray(0, J), (c) => ids[c]) } : {}), session: session.slice(0, J),
    untouchedConversions, untouchedValue, ...(Number.isFinite(dataEnd) ? { dataEnd } : {}),
  };
}
