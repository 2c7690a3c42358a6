/**
 * The validation report of a harmonized table: coverage and gaps per column, outliers by robust
 * z-score, spend share per channel, pairwise correlation and VIF between channels, and warnings in
 * plain words. Computed from the table itself, so it describes exactly what a model will see.
 */
import type { HarmonizedTable } from './load.ts';
import { lit, type Workspace } from '../workspace.ts';

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

/** Per-column figures the report is assembled from (computed in JS from a table, or in SQL). */
export interface ColumnStats { column: string; present: number; sum: number; min: number; max: number; outliers: number }

/** The report of an in-memory table (small tables, tests); `reportFromWorkspace` computes the same in SQL. */
export function buildReport(t: HarmonizedTable, roleOf: Record<string, string>, filled: Record<string, number>, grain: string): Report {
  const n = t.dates.length;
  const periods = [...new Set(t.dates)].sort();
  const stats: ColumnStats[] = [];
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
    let sum = 0, min = Infinity, max = -Infinity;
    for (const x of present) { sum += x; if (x < min) min = x; if (x > max) max = x; }
    stats.push({ column: name, present: present.length, sum, min, max, outliers: count });
  }
  outliers.sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
  const idx = new Map(periods.map((p, i) => [p, i]));
  const national = (c: string) => {
    const out = new Float64Array(periods.length);
    const v = t.columns[c];
    for (let i = 0; i < n; i++) if (!Number.isNaN(v[i])) out[idx.get(t.dates[i])!] += v[i];
    return out;
  };
  return assembleReport({ grain, periods: periods.length, geos: t.geos ? new Set(t.geos).size : 0, rows: n, stats, outliers: outliers.slice(0, 50), national }, roleOf, filled);
}

/**
 * The report of harmonized table `id` computed in the workspace: per-column aggregates, medians and
 * MADs, outliers and national per-period totals are SQL aggregates; only those small results reach JS.
 */
export async function reportFromWorkspace(ws: Workspace, id: string, roleOf: Record<string, string>, filled: Record<string, number>, grain: string): Promise<Report> {
  // The table's cells as codes (small integers); names are joined only onto the small results.
  await ws.run(`CREATE OR REPLACE TEMP TABLE h_v AS SELECT date, geo, col, value FROM hv_values WHERE h = (SELECT id FROM obs_names WHERE name = ${lit(id)})`);
  const keys = await ws.all<{ periods: number; geos: number; rows: number }>(`SELECT count(DISTINCT date) AS periods, count(DISTINCT geo) AS geos, count(*) AS rows
    FROM (SELECT DISTINCT date, geo FROM h_v)`);
  const { periods, geos, rows } = keys[0];
  const present = 'value IS NOT NULL AND NOT isnan(value)';
  await ws.run(`CREATE OR REPLACE TEMP TABLE h_stats AS SELECT col, count(*) FILTER (WHERE ${present}) AS present, sum(value) FILTER (WHERE ${present}) AS s,
      min(value) FILTER (WHERE ${present}) AS lo, max(value) FILTER (WHERE ${present}) AS hi, median(value) FILTER (WHERE ${present}) AS med
    FROM h_v GROUP BY col`);
  await ws.run(`CREATE OR REPLACE TEMP TABLE h_z AS SELECT v.date, v.geo, v.col, v.value, 0.6745 * (v.value - s.med) / m.mad AS z
    FROM h_v v JOIN h_stats s ON s.col = v.col
    JOIN (SELECT v.col, median(abs(v.value - s.med)) FILTER (WHERE ${present.replaceAll('value', 'v.value')}) AS mad FROM h_v v JOIN h_stats s ON s.col = v.col GROUP BY v.col) m ON m.col = v.col
    WHERE m.mad > 0 AND abs(0.6745 * (v.value - s.med) / m.mad) > ${OUTLIER_Z}`);
  const stats = (await ws.all<{ c: string; present: number; s: number | null; lo: number | null; hi: number | null; outliers: number }>(
    `SELECT n.name AS c, s.present, s.s, s.lo, s.hi, (SELECT count(*) FROM h_z WHERE h_z.col = s.col) AS outliers FROM h_stats s JOIN obs_names n ON n.id = s.col ORDER BY n.name`,
  )).map((r) => ({ column: r.c, present: Number(r.present), sum: r.s === null ? 0 : Number(r.s), min: r.lo === null ? Infinity : Number(r.lo), max: r.hi === null ? -Infinity : Number(r.hi), outliers: Number(r.outliers) }));
  const outliers = (await ws.all<{ c: string; d: string; geo: string | null; value: number; z: number }>(
    `SELECT cn.name AS c, CAST(z.date AS VARCHAR) AS d, gn.name AS geo, z.value, z.z FROM h_z z JOIN obs_names cn ON cn.id = z.col LEFT JOIN obs_names gn ON gn.id = z.geo
     ORDER BY abs(round(z.z, 2)) DESC, cn.name, gn.name NULLS FIRST, z.date LIMIT 50`,
  )).map((r) => ({ column: r.c, date: r.d, geo: r.geo, value: Number(r.value), z: round(Number(r.z), 2) }));
  const dates = (await ws.all<{ d: string }>(`SELECT DISTINCT CAST(date AS VARCHAR) AS d FROM h_v ORDER BY 1`)).map((r) => r.d);
  const idx = new Map(dates.map((d, i) => [d, i]));
  const input = { grain, periods: Number(periods), geos: Number(geos), rows: Number(rows), stats, outliers };
  const chans = chosenChannels(stats.map((x) => x.column), roleOf).chans;
  // Correlations need the national per-period totals of the chosen channels: a small GROUP BY.
  const series = new Map(chans.map((c) => [c, new Float64Array(dates.length)]));
  if (chans.length) {
    const rs = await ws.all<{ c: string; d: string; s: number | null }>(`SELECT n.name AS c, CAST(v.date AS VARCHAR) AS d, sum(v.value) FILTER (WHERE ${present.replaceAll('value', 'v.value')}) AS s
      FROM h_v v JOIN obs_names n ON n.id = v.col WHERE n.name IN (${chans.map(lit).join(', ')}) GROUP BY ALL`);
    for (const r of rs) if (r.s !== null) series.get(r.c)![idx.get(r.d)!] = Number(r.s);
  }
  await ws.run('DROP TABLE IF EXISTS h_stats; DROP TABLE IF EXISTS h_z; DROP TABLE IF EXISTS h_v');
  return assembleReport({ ...input, national: (c) => series.get(c)! }, roleOf, filled);
}

function chosenChannels(columns: string[], roleOf: Record<string, string>): { media: string[]; chans: string[]; basis: string } {
  // Sub-channel columns (`search__brand_spend`) are parts of their channel's total: not channels of their own.
  const media = columns.filter((c) => (roleOf[c] ?? 'media') === 'media' && !c.includes('__'));
  let basis = 'spend';
  let chans = media.filter((c) => c.endsWith('_spend'));
  if (chans.length < 2) { const alt = media.filter((c) => /_(impressions|clicks|touchpoints)$/.test(c)); if (alt.length > chans.length) { chans = alt; basis = 'exposure'; } }
  return { media, chans, basis };
}

interface ReportInput {
  grain: string; periods: number; geos: number; rows: number;
  stats: ColumnStats[];
  /** The top 50 outliers, largest |z| first. */
  outliers: Outlier[];
  /** National per-period totals of a column (missing values skipped). */
  national: (column: string) => Float64Array;
}

function assembleReport(input: ReportInput, roleOf: Record<string, string>, filled: Record<string, number>): Report {
  const { grain, rows: n, stats } = input;
  const warnings: string[] = [];
  const columns: ColumnReport[] = [];
  for (const st of stats) {
    const name = st.column;
    const f = filled[name] ?? 0;
    const role = roleOf[name] ?? 'media';
    const missing = n - st.present;
    const count = st.outliers;
    columns.push({ column: name, role, cells: n, observed: st.present - (role === 'media' ? f : 0), missing, filledWithZero: role === 'media' ? f : 0,
      coverage: round((st.present - (role === 'media' ? f : 0)) / Math.max(n, 1), 4), sum: st.sum, mean: st.present ? st.sum / st.present : NaN,
      min: st.present ? st.min : NaN, max: st.present ? st.max : NaN, outliers: count });
    if (role === 'media' && f > 0) warnings.push(`${name}: ${f} missing cells were set to 0 (no spend recorded)`);
    if ((role === 'outcome' || role === 'factor') && missing > 0) warnings.push(`${name}: ${missing} of ${n} cells are missing; they stay empty (never invented)`);
    if (count > 0) warnings.push(`${name}: ${count} outlier${count > 1 ? 's' : ''} (robust z-score above ${OUTLIER_Z})`);
  }
  // Channels: spend columns; or exposures when there is no spend.
  const { media, chans, basis } = chosenChannels(stats.map((x) => x.column), roleOf);
  const series = chans.map((c) => input.national(c));
  const totalSpend = media.filter((c) => c.endsWith('_spend')).reduce((s, c) => s + columns.find((x) => x.column === c)!.sum, 0);
  const spendShare = media.filter((c) => c.endsWith('_spend')).map((c) => {
    const spend = columns.find((x) => x.column === c)!.sum;
    // Unrounded: the formatter rounds once (a share rounded here to 4 digits, then to 1 decimal of a
    // per cent on the page, read 43.5% where the insights read 43.4%).
    return { channel: c.replace(/_spend$/, ''), spend, share: totalSpend > 0 ? spend / totalSpend : 0 };
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
  // Annual series are short by nature (Lydia Pinkham's has 54 years); 20 is where a model with a lag or two and a trend starts to be determined.
  const minPeriods = grain === 'year' ? 20 : grain === 'month' ? 24 : 52;
  if (input.periods < minPeriods) warnings.push(`only ${input.periods} ${grain === 'year' ? 'years' : grain === 'month' ? 'months' : 'weeks'}: at least ${minPeriods} are recommended for a media mix model`);
  return { grain, periods: input.periods, geos: input.geos, rows: n, columns, outliers: input.outliers, spendShare, correlation: { channels: chans.map(label), basis, matrix }, vif, warnings };
}

function round(x: number, d: number): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}
