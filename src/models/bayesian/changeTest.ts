/**
 * A lift test that changed a channel's spend (issue 27): what the model compares to the measured lift.
 *
 * The test changed channel c's spend by s (spendChange: −1 dark, −0.5 halved, +0.5 raised) in the
 * test geos S over the window's W periods. Business as usual (BAU) there is each geo's mean activity
 * over the P = max(W, 13) periods of data before the window, held flat through the window; the
 * periods before the window come from the data (carry-over into the window is the same with and
 * without the change, and saturation sees it). With h the channel's adstocked, saturated activity and
 * b[g,c] its coefficient (scaled outcome per unit of h), m_g the geo's outcome scale:
 *
 *   lift = sign(s)' · Σ_{g∈S} m_g·b[g,c] · Σ_{t∈window} (h_BAU[g,t] − h_changed[g,t])
 *
 * with sign(s)' = +1 for a cut and −1 for a raise, so the lift is positive when spend brings outcome.
 * A time-based test (`alternate: B`) changes spend in blocks of B periods, changed, unchanged, unchanged,
 * changed (ABBA) and so on, and is read
 * as its estimator reads it (docs/experiments.md): on the outcome net of everything but the channel's
 * spend from the window on, the unchanged blocks' mean minus the changed blocks' mean, times the
 * number of changed periods — so h enters as the test's path minus the path with no spend in the
 * window (the carry-in alone), weighted +n_changed/n_unchanged on unchanged periods and −1 on changed.
 *
 * Each test becomes rows of a small activity series — one per geo and path — and weights on their
 * cells; model.ts sums weight·b·h over them inside the graph, `changeTestLift` outside it (per draw).
 * The series are the channel's scaled activity only (x / xScale[g,c], as the model sees it).
 */
import { badConfig } from '../../errors.ts';
import type { Experiment } from '../config.ts';
import type { ModelData } from '../design.ts';

/** Periods of data before the window whose mean activity is business as usual (at least the window's length). */
export const BAU_PERIODS = 13;

export interface ChangeTestSeries {
  channel: number;
  /** Geo index of each row (a row is one geo on one path). */
  rowGeo: Int32Array;
  /** Periods per row: `lead` periods of carry-in, then the window. */
  length: number;
  lead: number;
  /** Scaled activity [row, length] and the weights on h [row, length] (m_g and the sign folded in). */
  x: Float64Array;
  weights: Float64Array;
}

export interface ChangeTestWindow {
  /** Index of the window's first period on the data's calendar (T or more: after the data). */
  t0: number;
  /** The window's dates. */
  dates: string[];
  /** Which window periods carry the change (all of them unless `alternate`: ABBA blocks). */
  changed: boolean[];
}

const DAY = 86_400_000;
const ABBA = [true, false, false, true];
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const addMonths = (iso: string, n: number) => { const d = new Date(`${iso}T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() + n); return d.toISOString().slice(0, 10); };

/** The k-th period after the data's last date (k ≥ 1), on the data's calendar. */
export function periodAfter(data: Pick<ModelData, 'dates' | 'grain'>, k: number): string {
  const last = data.dates[data.dates.length - 1];
  if (data.grain === 'month') return addMonths(last, k);
  if (data.grain === 'year') return addMonths(last, 12 * k);
  if (data.grain === 'day') return addDays(last, k);
  return addDays(last, 7 * k);
}

/**
 * The window [start, end] on the data's calendar, continued past its last date; `alternate` blocks
 * mark the changed periods. BAD_CONFIG (naming `where`) when the window has no period, or starts
 * before the data has one period of history.
 */
export function changeTestWindow(data: Pick<ModelData, 'dates' | 'grain'>, start: string, end: string, alternate: number | undefined, where: string): ChangeTestWindow {
  const T = data.dates.length;
  const dates: string[] = [];
  let t0 = -1;
  for (let t = 0; t < T; t++) if (data.dates[t] >= start && data.dates[t] <= end) { if (t0 < 0) t0 = t; dates.push(data.dates[t]); }
  if (end > data.dates[T - 1]) {
    for (let k = 1; k <= 5000; k++) {
      const d = periodAfter(data, k);
      if (d > end) break;
      if (d < start) continue;
      if (t0 < 0) t0 = T + k - 1;
      dates.push(d);
    }
  }
  if (dates.length === 0) throw badConfig(`${where}: the window ${start}…${end} holds no period of the data's calendar (${data.dates[0]}, ${data.dates[1] ?? ''}… every ${data.grain})`, [{ field: `${where}.start`, message: `holds no period of the data's calendar` }]);
  if (t0 < 1) throw badConfig(`${where}: the window starts at the data's first period (${data.dates[0]}); a test needs periods of data before it for its business-as-usual spend`, [{ field: `${where}.start`, message: `must be after the data's first period` }]);
  // Blocks in the order changed, unchanged, unchanged, changed (ABBA), repeated: a linear drift of the
  // outcome over the window then weighs the same on both sides. Changed-then-unchanged alternation was
  // measured biased: +0.5 to +0.9 standard errors over 20 simulated worlds (bench/experiments.ts).
  const changed = dates.map((_, k) => (alternate ? ABBA[Math.floor(k / alternate) % 4] : true));
  if (alternate && changed.every(Boolean)) throw badConfig(`${where}: with \`alternate: ${alternate}\` the window of ${dates.length} period(s) has no unchanged block to compare with; make it longer than ${alternate} periods`, [{ field: `${where}.end`, message: `leaves no unchanged block` }]);
  return { t0, dates, changed };
}

export interface ChangeTestSpec {
  channel: number;
  /** Test geos (indices); [0] for a national model. */
  geos: number[];
  window: ChangeTestWindow;
  spendChange: number;
  /** A time-based test read as its estimator reads it (default) or as the total outcome its change moves (see ChangeTestRequest). */
  reading?: 'estimator' | 'total';
}

/**
 * Business-as-usual activity per test geo (raw units): the mean over the BAU periods before the window.
 * Exported for the design, which plans spend from it.
 */
export function bauActivity(data: Pick<ModelData, 'T' | 'C' | 'activity'>, channel: number, geo: number, t0: number, periods: number, source: Float64Array = data.activity): number {
  const end = Math.min(t0, data.T), P = Math.min(Math.max(periods, BAU_PERIODS), end);
  let s = 0;
  for (let t = end - P; t < end; t++) s += source[(geo * data.T + t) * data.C + channel];
  return s / P;
}

/**
 * The test's rows. `xScale` [g, c] and `outcomeScale` [g] are the model's (prepare.ts); `maxLag` the
 * channel's adstock length (carry-in periods).
 */
export function changeTestSeries(data: Pick<ModelData, 'T' | 'C' | 'activity'>, xScale: Float64Array, outcomeScale: ArrayLike<number>, maxLag: number, spec: ChangeTestSpec): ChangeTestSeries {
  const { T, C } = data, { channel: c, window, spendChange: s } = spec;
  const W = window.dates.length, lead = Math.max(1, maxLag), length = lead + W;
  // A time-based test read by its estimator compares its own path with the carry-in alone; read as
  // a total (what the change costs), with business as usual, like any other test.
  const alternating = window.changed.some((v) => !v) && spec.reading !== 'total';
  const paths = 2;
  const rows = spec.geos.length * paths;
  const rowGeo = new Int32Array(rows), x = new Float64Array(rows * length), weights = new Float64Array(rows * length);
  const sign = s < 0 ? 1 : -1;
  const nChanged = window.changed.filter(Boolean).length, nSame = W - nChanged;
  spec.geos.forEach((g, i) => {
    const scale = xScale[g * C + c], m = outcomeScale[g];
    const bau = bauActivity(data, c, g, window.t0, W) / scale;
    for (let p = 0; p < paths; p++) {
      const r = i * paths + p;
      rowGeo[r] = g;
      // Path 0 is the test's own path (the change where `changed`); path 1 business as usual, or for
      // a time-based test the carry-in alone (no spend in the window).
      for (let k = 0; k < length; k++) {
        const t = window.t0 - lead + k;
        let v: number;
        if (k < lead) v = t < 0 ? 0 : t < T ? data.activity[(g * T + t) * C + c] / scale : bau;
        else if (p === 0) v = window.changed[k - lead] ? bau * (1 + s) : bau;
        else v = alternating ? 0 : bau;
        x[r * length + k] = v;
        if (k < lead) continue;
        const w = alternating ? (window.changed[k - lead] ? -1 : nChanged / nSame) : -1;
        weights[r * length + k] = sign * m * (p === 0 ? w : -w);
      }
    }
  });
  return { channel: c, rowGeo, length, lead, x, weights };
}

/** The test of a config's experiment (not a legacy one), its geos by name checked against the data. */
export function experimentSpec(e: Experiment, data: Pick<ModelData, 'dates' | 'grain' | 'geos' | 'channels'>, national: boolean, where: string): ChangeTestSpec {
  const names = e.geos ?? (e.geo !== undefined ? [e.geo] : null);
  if (names && national) throw badConfig(`${where}: the test names geos (${names.join(', ')}), but the model is national (no \`data.geo\`): leave the geos out, or fit a geo model`, [{ field: `${where}.geos`, message: 'the model is national: leave the geos out' }]);
  const geos = names ? names.map((n) => {
    const g = data.geos.indexOf(n);
    if (g < 0) throw badConfig(`${where}: geo '${n}' is not in the data; the geos are ${data.geos.slice(0, 12).join(', ')}${data.geos.length > 12 ? ', …' : ''}`, [{ field: `${where}.geos`, message: `'${n}' is not a geo of the data` }]);
    return g;
  }) : data.geos.map((_, g) => g);
  return { channel: data.channels.indexOf(e.channel), geos, window: changeTestWindow(data, e.start, e.end, e.alternate, where), spendChange: e.spendChange ?? -1 };
}

/**
 * Σ weight·b·h over the test's rows for one draw: `h` is the channel's saturated activity of every row
 * ([row, length], from its own transforms), `b` the channel's coefficient per geo ([G], or one value).
 */
export function changeTestSum(series: ChangeTestSeries, h: Float64Array, b: ArrayLike<number>): number {
  let total = 0;
  for (let r = 0; r < series.rowGeo.length; r++) {
    const bg = b.length > 1 ? b[series.rowGeo[r]] : b[0];
    let s = 0;
    for (let k = series.lead; k < series.length; k++) s += series.weights[r * series.length + k] * h[r * series.length + k];
    total += bg * s;
  }
  return total;
}
