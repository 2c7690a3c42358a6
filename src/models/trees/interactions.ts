/**
 * Interaction strength between channels: Friedman & Popescu's H² statistic from centred partial
 * dependence on a sample of rows, H²_jk = Σ_i (PD_jk − PD_j − PD_k)² / Σ_i PD_jk², in [0, 1]; 0 means
 * the two channels act additively, larger values mean the effect of one depends on the other (synergy
 * or cannibalization). Cost O(m² · trees) per pair for m sample rows.
 */
import type { ClassicDesign } from '../linear/design.ts';
import { predictEnsemble, type Ensemble } from './ensemble.ts';

export function hStatistics(e: Ensemble, design: ClassicDesign, names: string[], C: number, maxRows: number): { a: string; b: string; h2: number }[] {
  const rows = design.inRows;
  const m = Math.min(maxRows, rows.length);
  const sample = Array.from({ length: m }, (_, k) => rows[Math.floor((k * rows.length) / m)]);
  const P = design.P;
  const base = new Float64Array(m * P);
  sample.forEach((r, k) => base.set(design.X.subarray(r * P, (r + 1) * P), k * P));
  /** Centred partial dependence of the feature set at each sample row's own values. */
  const pd = (features: number[]): Float64Array => {
    const out = new Float64Array(m);
    const X = new Float64Array(m * P);
    for (let k = 0; k < m; k++) {
      X.set(base);
      for (let i = 0; i < m; i++) for (const f of features) X[i * P + f] = base[k * P + f];
      const p = predictEnsemble(e, X);
      let s = 0; for (let i = 0; i < m; i++) s += p[i];
      out[k] = s / m;
    }
    let mean = 0; for (let k = 0; k < m; k++) mean += out[k];
    mean /= m;
    for (let k = 0; k < m; k++) out[k] -= mean;
    return out;
  };
  const single = Array.from({ length: C }, (_, c) => pd([c]));
  const result: { a: string; b: string; h2: number }[] = [];
  for (let a = 0; a < C; a++) for (let b = a + 1; b < C; b++) {
    const joint = pd([a, b]);
    let num = 0, den = 0;
    for (let k = 0; k < m; k++) { num += (joint[k] - single[a][k] - single[b][k]) ** 2; den += joint[k] ** 2; }
    result.push({ a: names[a], b: names[b], h2: den > 0 ? num / den : 0 });
  }
  return result.sort((x, y) => y.h2 - x.h2);
}
