/**
 * Inputs that cannot give a right model, refused before fitting: a target with nothing to explain
 * (constant, all zero), and the target fed back in as a control or a channel — the same column, or a
 * monotone transform of it (a log, a scaled copy). The second fits perfectly and puts every ROI at
 * zero, so it must never reach the sampler.
 */
import { badConfig } from '../errors.ts';
import { cholSolve } from './linear/solve.ts';

/** Above this rank correlation with the target a series is the target in another form. */
export const DISGUISE_RANK_CORRELATION = 0.999;

/** Ranks with ties averaged (1-based). */
function ranks(x: Float64Array): Float64Array {
  const order = Array.from(x.keys()).sort((a, b) => x[a] - x[b]);
  const r = new Float64Array(x.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && x[order[j + 1]] === x[order[i]]) j++;
    for (let k = i; k <= j; k++) r[order[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** Spearman's rank correlation; 0 when either series is constant. */
export function rankCorrelation(a: Float64Array, b: Float64Array): number {
  const ra = ranks(a), rb = ranks(b);
  const n = a.length, mean = (n + 1) / 2;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { const da = ra[i] - mean, db = rb[i] - mean; sab += da * db; saa += da * da; sbb += db * db; }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** Refuses a target with no variation (over its observed cells: `observed`, default all). */
export function refuseDegenerateTarget(file: string, column: string, y: Float64Array, observed?: Uint8Array): void {
  let lo = Infinity, hi = -Infinity;
  y.forEach((v, i) => { if (observed && !observed[i]) return; if (v < lo) lo = v; if (v > hi) hi = v; });
  if (hi === lo) throw badConfig(`${file}: the target column '${column}' is ${lo} in every row: there is nothing for a model to explain`);
}

/**
 * Refuses `values` (the column `column`, used as `field`) when it is the target or a monotone transform
 * of it. Geo models (`geos` > 1, [g·T + t] layout) are judged within each geo: pooled over geos, a column
 * that only ranks the geos by size (a population, a store count) would follow the target's levels.
 */
export function refuseTargetAsInput(file: string, field: string, column: string, target: string, values: Float64Array, y: Float64Array, geos = 1, observed?: Uint8Array): void {
  if (column === target) throw badConfig(`${file}: \`${field}\` is '${column}', the target itself; a model cannot explain the target with itself`);
  const T = y.length / geos;
  // Only cells whose outcome is observed (an unbalanced panel's absent rows say nothing).
  const seen = (from: number, to: number, x: Float64Array) => (observed ? x.slice(from, to).filter((_, i) => observed[from + i]) : x.subarray(from, to));
  // The weakest geo decides: the column is the target in disguise only if it is in every geo.
  let rho = geos === 1 ? rankCorrelation(seen(0, y.length, values), seen(0, y.length, y)) : Infinity;
  for (let g = 0; geos > 1 && g < geos; g++) {
    const r = rankCorrelation(seen(g * T, (g + 1) * T, values), seen(g * T, (g + 1) * T, y));
    if (Math.abs(r) < Math.abs(rho)) rho = r;
  }
  if (Math.abs(rho) >= DISGUISE_RANK_CORRELATION) {
    throw badConfig(`${file}: \`${field}\` ('${column}') moves in lockstep with the target '${target}' (rank correlation ${rho.toFixed(4)}): it is the target in another form, and would explain all of it`);
  }
}

/**
 * Refuses a target the controls explain entirely (no variation left for media or noise): the least
 * squares fit of the target on an intercept per geo and every control leaves a residual below
 * 1e-9 of the target's variance. `controls` is [i·K + k] as in ModelData.
 */
export function refuseExplainedByControls(file: string, column: string, y: Float64Array, controls: Float64Array, K: number, names: readonly string[], geos = 1, observed?: Uint8Array): void {
  if (K === 0) return;
  if (observed && observed.includes(0)) {
    // Unbalanced panel: the same check on the observed cells, each geo's kept together.
    const T0 = y.length / geos;
    const keep: number[] = [];
    const T = Math.max(...Array.from({ length: geos }, (_, g) => observed.subarray(g * T0, (g + 1) * T0).reduce((a, b) => a + b, 0)));
    // Pad each geo's observed cells to T with copies of its first (a duplicate row adds no information
    // that could make a residual vanish, and keeps the [g·T + t] layout the check reads).
    for (let g = 0; g < geos; g++) {
      const rows: number[] = [];
      for (let t = 0; t < T0; t++) if (observed[g * T0 + t]) rows.push(g * T0 + t);
      while (rows.length < T) rows.push(rows[0]);
      keep.push(...rows);
    }
    const yy = Float64Array.from(keep, (i) => y[i]);
    const cc = new Float64Array(keep.length * K);
    keep.forEach((i, j) => { for (let k = 0; k < K; k++) cc[j * K + k] = controls[i * K + k]; });
    refuseExplainedByControls(file, column, yy, cc, K, names, geos);
    return;
  }
  const n = y.length, T = n / geos, P = geos + K;
  // Controls standardized first (a price near 10 beside a count in millions would ruin the normal
  // equations' precision), then least squares on [geo dummies | controls]; K and the geo count are small.
  const centre = new Float64Array(K), spread = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0, ss = 0;
    for (let i = 0; i < n; i++) { const v = controls[i * K + k]; s += v; ss += v * v; }
    centre[k] = s / n;
    spread[k] = Math.sqrt(Math.max(ss / n - centre[k] ** 2, 0)) || 1;
  }
  const z = (i: number, k: number) => (controls[i * K + k] - centre[k]) / spread[k];
  let yMean = 0;
  for (const v of y) yMean += v;
  yMean /= n;
  let ySd = 0;
  for (const v of y) ySd += (v - yMean) ** 2;
  ySd = Math.sqrt(ySd / n) || 1;
  const A = new Float64Array(P * P), b = new Float64Array(P);
  const row = new Float64Array(P);
  for (let i = 0; i < n; i++) {
    row.fill(0);
    row[Math.floor(i / T)] = 1;
    for (let k = 0; k < K; k++) row[geos + k] = z(i, k);
    const yi = (y[i] - yMean) / ySd;
    for (let p = 0; p < P; p++) { b[p] += row[p] * yi; for (let q = 0; q < P; q++) A[p * P + q] += row[p] * row[q]; }
  }
  const beta = cholSolve(A, b, P); // the normal equations are symmetric positive definite
  if (!beta) return; // collinear controls: the model's priors handle them; not this check's business
  let ssTot = 0, ssRes = 0;
  for (let i = 0; i < n; i++) {
    const yi = (y[i] - yMean) / ySd;
    let fit = beta[Math.floor(i / T)];
    for (let k = 0; k < K; k++) fit += beta[geos + k] * z(i, k);
    ssRes += (yi - fit) ** 2;
    ssTot += yi * yi;
  }
  if (ssTot > 0 && ssRes <= 1e-9 * ssTot) {
    throw badConfig(`${file}: the controls (${names.join(', ')}) explain all of the target '${column}' (${geos > 1 ? 'with a level per geo, ' : ''}nothing is left to vary): there is nothing for media to explain; remove the control built from the target`);
  }
}
