/**
 * The validation report of a harmonized table: coverage and gaps per column, outliers by robust
 * z-score, spend share per channel, pairwise correlation and VIF between channels, and warnings in
 * plain words. Computed from the table itself, so it describes exactly what a model will see.
 */
import type { HarmonizedTable } from './load.ts';

export interface ColumnReport { column: string; role: string; cells: number; observed: number; missing: number; filledWithZero: number; coverage: number; sum: number; mean: number; min: number; max: number; outliers: number }
export interface Outlier { column: string; date: string; geo: string | null; value: number; z: number }
export interface Report {
  grain: string; periods: number; geos: number; rows: number;
  columns: ColumnReport[];
  outliers: Outlier[];
  spendShare: { channel: string; spend: number; share: number }[];
  correlation: { channels: string[]; basis: string; matrix: number[][] };
  vif: { channel: string; vif: number | null }[];
  warnings: string[];
}

/** Robust z-score threshold for an outlier: |0.6745 (x − median) / MAD| > 3.5 (Iglewicz & Hoaglin). */
export const OUTLIER_Z = 3.5;
export const CORRELATION_WARN = 0.8;
export const VIF_WARN = 10;

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function pearson(a: Float64Array, b: Float64Array): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { const x = a[i] - ma, y = b[i] - mb; sab += x * y; saa += x * x; sbb += y * y; }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** Variance inflation factors: the diagonal of the inverse correlation matrix; null where it is singular. */
export function vifs(r: number[][]): (number | null)[] {
  const n = r.length;
  const a = r.map((row, i) => [...row.map((x) => (Number.isNaN(x) ? 0 : x)), ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let i = c + 1; i < n; i++) if (Math.abs(a[i][c]) > Math.abs(a[p][c])) p = i;
    if (Math.abs(a[p][c]) < 1e-10) return r.map(() => null);
    [a[c], a[p]] = [a[p], a[c]];
    const d = a[c][c];
    for (let j = 0; j < 2 * n; j++) a[c][j] /= d;
    for (let i = 0; i < n; i++) if (i !== c) { const f = a[i][c]; for (let j = 0; j < 2 * n; j++) a[i][j] -= f * a[c][j]; }
  }
  return a.map((row, i) => row[n + i]);
}

export function buildReport(t: HarmonizedTable, roleOf: Record<string, string>, filled: Record<string, number>, grain: string): Report {
  const n = t.dates.length;
  const periods = [...new Set(t.dates)].sort();
  const geos = t.geos ? new Set(t.geos).size : 0;
  const warnings: string[] = [];
  const columns: ColumnReport[] = [];
  const outliers: Outlier[] = [];
  for (const [name, v] of Object.entries(t.columns)) {
    const present: number[] = [];
    for (let i = 0; i < n; i++) if (!Number.isNaN(v[i])) present.push(v[i]);
    const med = median(present);
    const mad = median(present.map((x) => Math.abs(x - med)));
    let count = 0;
    if (mad > 0) {
      for (let i = 0; i < n; i++) {
        const z = (0.6745 * (v[i] - med)) / mad;
        if (Math.abs(z) > OUTLIER_Z) { count++; outliers.push({ column: name, date: t.dates[i], geo: t.geos ? t.geos[i] : null, value: v[i], z: round(z, 2) }); }
      }
    }
    const f = filled[name] ?? 0;
    const role = roleOf[name] ?? 'media';
    const missing = n - present.length;
    const sum = present.reduce((a, b) => a + b, 0);
    columns.push({ column: name, role, cells: n, observed: present.length - (role === 'media' ? f : 0), missing, filledWithZero: role === 'media' ? f : 0,
      coverage: round((present.length - (role === 'media' ? f : 0)) / Math.max(n, 1), 4), sum, mean: present.length ? sum / present.length : NaN,
      min: present.length ? Math.min(...present) : NaN, max: present.length ? Math.max(...present) : NaN, outliers: count });
    if (role === 'media' && f > 0) warnings.push(`${name}: ${f} missing cells were set to 0 (no spend recorded)`);
    if ((role === 'outcome' || role === 'factor') && missing > 0) warnings.push(`${name}: ${missing} of ${n} cells are missing; they stay empty (never invented)`);
    if (count > 0) warnings.push(`${name}: ${count} outlier${count > 1 ? 's' : ''} (robust z-score above ${OUTLIER_Z})`);
  }
  outliers.sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
  // Channels: spend columns; or exposures when there is no spend.
  const media = Object.keys(t.columns).filter((c) => (roleOf[c] ?? 'media') === 'media');
  let basis = 'spend';
  let chans = media.filter((c) => c.endsWith('_spend'));
  if (chans.length < 2) { const alt = media.filter((c) => /_(impressions|clicks|touchpoints)$/.test(c)); if (alt.length > chans.length) { chans = alt; basis = 'exposure'; } }
  const national = (c: string) => {
    const idx = new Map(periods.map((p, i) => [p, i]));
    const out = new Float64Array(periods.length);
    const v = t.columns[c];
    for (let i = 0; i < n; i++) if (!Number.isNaN(v[i])) out[idx.get(t.dates[i])!] += v[i];
    return out;
  };
  const series = chans.map(national);
  const totalSpend = media.filter((c) => c.endsWith('_spend')).reduce((s, c) => s + columns.find((x) => x.column === c)!.sum, 0);
  const spendShare = media.filter((c) => c.endsWith('_spend')).map((c) => {
    const spend = columns.find((x) => x.column === c)!.sum;
    return { channel: c.replace(/_spend$/, ''), spend, share: totalSpend > 0 ? round(spend / totalSpend, 4) : 0 };
  });
  const matrix = series.map((a) => series.map((b) => round(pearson(a, b), 4)));
  const label = (c: string) => c.replace(/_(spend|impressions|clicks|touchpoints)$/, '');
  for (let i = 0; i < chans.length; i++) for (let j = i + 1; j < chans.length; j++) {
    if (Math.abs(matrix[i][j]) >= CORRELATION_WARN) warnings.push(`${label(chans[i])} and ${label(chans[j])} ${basis} are ${matrix[i][j].toFixed(2)} correlated: the model will struggle to separate them`);
  }
  const v = chans.length > 1 ? vifs(matrix) : chans.map(() => 1);
  const vif = chans.map((c, i) => ({ channel: label(c), vif: v[i] === null ? null : round(v[i]!, 2) }));
  if (chans.length > 1 && v.every((x) => x === null)) warnings.push(`the ${basis} of ${chans.map(label).join(', ')} are perfectly collinear: their effects cannot be told apart`);
  for (const x of vif) if (x.vif !== null && x.vif > VIF_WARN) warnings.push(`${x.channel} has a variance inflation factor of ${x.vif.toFixed(1)} (above ${VIF_WARN}): its ${basis} is largely explained by the other channels`);
  for (const s of spendShare) if (s.share > 0 && s.share < 0.01) warnings.push(`${s.channel} is ${(s.share * 100).toFixed(2)}% of spend: too little to estimate its effect reliably`);
  const minPeriods = grain === 'month' ? 24 : 52;
  if (periods.length < minPeriods) warnings.push(`only ${periods.length} ${grain === 'month' ? 'months' : 'weeks'}: at least ${minPeriods} are recommended for a media mix model`);
  return { grain, periods: periods.length, geos, rows: n, columns, outliers: outliers.slice(0, 50), spendShare, correlation: { channels: chans.map(label), basis, matrix }, vif, warnings };
}

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
