/**
 * The detail section of a classic fit (linear, ridge, Robyn-style search, forest, boosting), in place
 * of the Bayesian parameter table: the method and its settings, the coefficients with bootstrap
 * intervals (linear, ridge), the search's Pareto front and each cluster's recommended model, the tree
 * settings and the channel-pair synergy table (Friedman's H²).
 */
import type { ClassicFit } from '../../models/linear/result.ts';
import { quantile } from '../../models/linear/result.ts';
import { escapeHtml as h } from './escape.ts';
import { methodName, storedView, type StoredRegressionView, type StoredTreesView } from './facts.ts';
import { formatCount, formatParameter, formatValue } from '../../units.ts';
import { isBayesian, type ReportInput } from './types.ts';

export interface CoefficientRow { name: string; value: number; interval: [number, number] | null }

/**
 * The coefficient table of a linear or ridge fit, intercept first: the full-data estimate and, when
 * the stored bootstrap replicates line up with the names, their 5%–95% quantiles. Empty for trees.
 */
export function coefficientRows(fit: ClassicFit): CoefficientRow[] {
  const d = fit.diagnostics;
  if (!d.coefficients) return [];
  const st = storedView(fit);
  const reg = st?.kind === 'regression' ? st : undefined;
  const aligned = reg !== undefined && reg.replicates.length > 0 && reg.replicates.every((r) => Array.isArray(r) && r.length === reg.names.length + 1);
  const iv = (j: number): [number, number] | null => {
    if (!aligned) return null;
    const v = Float64Array.from(reg.replicates, (r) => r[j]).sort();
    return [quantile(v, 0.05), quantile(v, 0.95)];
  };
  const rows: CoefficientRow[] = [];
  if (d.intercept !== undefined) rows.push({ name: '(intercept)', value: d.intercept, interval: iv(0) });
  for (const [name, value] of Object.entries(d.coefficients)) {
    const j = reg ? reg.names.indexOf(name) : -1;
    rows.push({ name, value, interval: j >= 0 ? iv(j + 1) : null });
  }
  return rows;
}

/** H² in words: below 0.05 additive, below 0.2 some interaction, else strong. */
export function synergyReading(h2: number): string {
  if (!Number.isFinite(h2)) return '–';
  return h2 < 0.05 ? 'additive' : h2 < 0.2 ? 'some interaction' : 'strong interaction';
}

/** The Pareto models for the chart (search fits only): objectives, cluster, and whether recommended. */
export function paretoPoints(fit: ClassicFit): { nrmse: number; decompRssd: number; cluster: number; front: number; lambda: number; recommended: boolean; chosen: boolean }[] | null {
  const st = storedView(fit);
  const search = st?.kind === 'regression' ? st.search : undefined;
  if (!search || !Array.isArray(search.pareto)) return null;
  const recs = new Set((search.clusters ?? []).map((c) => c.recommended));
  return search.pareto.map((p, i) => ({ nrmse: p.nrmse, decompRssd: p.decompRssd, cluster: p.cluster, front: p.front, lambda: p.lambda, recommended: recs.has(i), chosen: i === search.recommended }));
}

export function classicSection(input: ReportInput): string {
  const fit = input.result;
  if (isBayesian(fit)) return '';
  const d = fit.diagnostics;
  const st = storedView(fit);
  const facts = [
    `Method: ${methodName(fit)}`,
    ...(d.lambda !== undefined && !d.search ? [`ridge penalty λ ${formatParameter(d.lambda)} (on standardized features)`] : []),
    `${d.bootstrap} bootstrap refit${d.bootstrap === 1 ? '' : 's'} (moving blocks of periods)`,
    `${d.seconds.toFixed(1)} s`,
  ];
  const parts = [`<section class="detail" id="model-details">
<h2>Model details</h2>
<p>${h(facts.join(', '))}. There is no sampler and no convergence to check: ${fit.family === 'linear' || fit.family === 'ridge' ? 'the coefficients are an exact solution' : 'the trees are grown deterministically from the seed'}; the intervals in this report come from refitting the model on resampled blocks of periods.</p>`];
  if (d.search) parts.push(searchPart(input, fit, st?.kind === 'regression' ? st : undefined));
  const coefs = coefficientRows(fit);
  if (coefs.length) parts.push(coefficientPart(coefs, fit, input.target.column));
  if (st?.kind === 'trees' || d.trees) parts.push(treePart(input, fit, st?.kind === 'trees' ? st : undefined));
  parts.push('</section>');
  return parts.join('\n');
}

function coefficientPart(rows: CoefficientRow[], fit: ClassicFit, target: string): string {
  const body = rows.map((r) => `<tr><td class="name">${h(r.name)}</td><td>${formatParameter(r.value)}</td><td>${r.interval ? `${formatParameter(r.interval[0])} to ${formatParameter(r.interval[1])}` : '–'}</td></tr>`).join('\n');
  return `<h3>Coefficients${fit.diagnostics.lambda !== undefined ? ` (ridge, λ ${h(formatParameter(fit.diagnostics.lambda))})` : ''}</h3>
<div class="table-wrap"><table id="coef-table"><thead><tr><th class="name">Term</th><th>Coefficient</th><th>90% bootstrap interval</th></tr></thead>
<tbody>
${body}
</tbody></table></div>
<p class="caption">Effect on ${h(target)} per unit of each feature: a channel's feature is its activity relative to its typical period, carried over and saturated; controls are in their own units (<code>control:</code>); seasonality (Fourier terms), trend and geo terms follow. Media coefficients are kept non-negative unless the config's <code>classic.nonNegative</code> is false. The penalty, if any, applies to standardized features.</p>`;
}

function searchPart(input: ReportInput, fit: ClassicFit, st: StoredRegressionView | undefined): string {
  const s = fit.diagnostics.search!;
  const names = fit.channels.map((c) => c.name);
  const conv = input.target.kind === 'conversions';
  const calibrated = s.recommended.some((r) => r.calibration !== undefined);
  const fronts = new Map<number, number>();
  for (const p of st?.search?.pareto ?? []) fronts.set(p.front, (fronts.get(p.front) ?? 0) + 1);
  const frontText = fronts.size ? ` (${[...fronts.entries()].sort((a, b) => a[0] - b[0]).map(([f, n]) => `${n} on front ${f}`).join(', ')})` : '';
  const rows = [...s.recommended].sort((a, b) => a.cluster - b.cluster).map((r) => `<tr${r.chosen ? ' class="chosen"' : ''}><td>${r.cluster}${r.chosen ? ' <b>(this report)</b>' : ''}</td><td>${formatCount(r.size)}</td><td>${formatParameter(r.nrmse)}</td><td>${formatParameter(r.decompRssd)}</td>`
    + (calibrated ? `<td>${r.calibration !== undefined ? formatParameter(r.calibration) : '–'}</td>` : '')
    + `<td>${formatParameter(r.lambda)}</td>${names.map((n) => `<td>${formatValue(r.roi[n] ?? NaN, conv ? 'conversions-per-spend' : 'revenue-per-spend')}</td>`).join('')}</tr>`).join('\n');
  return `<h3>Model search</h3>
<p>${formatCount(s.evaluations)} candidate models (${formatCount(s.iterations)} per trial × ${s.trials} trial${s.trials === 1 ? '' : 's'}, ${s.seconds.toFixed(1)} s) were scored on two goals${calibrated ? ' and the calibration error against experiments' : ''}: the prediction error (NRMSE) and how far each channel's share of effect is from its share of spend (DECOMP.RSSD; lower is more plausible). The ${formatCount(s.paretoSize)} models that no other model beats on every goal form the Pareto front${h(frontText)}; they were grouped into ${s.clusters} cluster${s.clusters === 1 ? '' : 's'} with similar ROI patterns, and each cluster's recommended model is the one closest to the best value of every goal. Different clusters tell different stories with a similar fit: compare their ROIs before acting.</p>
${st?.search ? '<div class="chart" id="chart-pareto" role="img" aria-label="Pareto front of the search: prediction error against effect-versus-spend distance, by cluster"></div>' : ''}
<div class="table-wrap"><table id="search-table"><thead><tr><th>Cluster</th><th>Models</th><th>NRMSE</th><th>DECOMP.RSSD</th>${calibrated ? '<th>Calibration error</th>' : ''}<th>λ</th>${names.map((n) => `<th>${conv ? 'Conv. per unit' : 'ROI'} · ${h(n)}</th>`).join('')}</tr></thead>
<tbody>
${rows}
</tbody></table></div>
<p class="caption">Recommended model of each cluster. The overall recommendation (marked) was refitted with bootstrap intervals and is the model the rest of this report describes; ROI of the other candidates is a point estimate without intervals.</p>`;
}

const treeParamLabels: Record<string, string> = {
  maxDepth: 'Maximum depth', minSamplesLeaf: 'Minimum rows per leaf', minSamplesSplit: 'Minimum rows to split',
  maxFeatures: 'Features tried per split', learningRate: 'Learning rate', subsample: 'Row subsample per round', bootstrap: 'Each tree on a bootstrap sample of rows',
};

/** One tree setting as shown: fractions of features as a share ("33% of the features"), flags as yes/no. */
function treeSetting(key: string, value: unknown): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value !== 'number') return String(value);
  if (key === 'maxFeatures') return value <= 1 ? `${Math.round(100 * value)}% of the features` : `${value} features`;
  return formatParameter(value);
}

function treePart(input: ReportInput, fit: ClassicFit, st: StoredTreesView | undefined): string {
  const settings: [string, string][] = [];
  for (const [k, v] of Object.entries(st?.params ?? {})) {
    if (typeof v !== 'number' && typeof v !== 'boolean') continue;
    settings.push([k === 'nTrees' ? (fit.family === 'boosting' ? 'Rounds (trees)' : 'Trees') : treeParamLabels[k] ?? k, treeSetting(k, v)]);
  }
  const t = fit.diagnostics.trees ?? {};
  if (t.maxDepth !== undefined) settings.push(['Deepest tree grown', formatParameter(t.maxDepth)]);
  if (t.leaves !== undefined) settings.push(['Leaves per tree (mean)', formatParameter(t.leaves)]);
  const limits = st?.maxPeriodSpend && st.maxPeriodSpend.length === fit.channels.length
    ? `<p>Largest spend per period seen in training (the trees predict nothing new above it): ${fit.channels.map((c, i) => `<b>${h(c.name)}</b> ${formatValue(st.maxPeriodSpend![i], 'count')}`).join(', ')}.</p>` : '';
  const synergy = st?.synergy ?? [];
  const synergyPart = synergy.length
    ? `<h3>Synergy between channels</h3>
<p>Friedman's H² for each pair of channels, largest first: the share of the pair's joint effect that is not the sum of their separate effects. 0 means the channels act independently (additive); larger values mean the effect of one depends on how much is spent on the other.</p>
<div class="table-wrap"><table id="synergy-table"><thead><tr><th class="name">Channels</th><th>H²</th><th>Reading</th></tr></thead>
<tbody>
${synergy.map((p) => `<tr><td class="name">${h(p.a)} × ${h(p.b)}</td><td>${formatParameter(p.h2)}</td><td>${synergyReading(p.h2)}</td></tr>`).join('\n')}
</tbody></table></div>
<p class="caption">Computed from centred partial dependence on up to 60 fit periods of the point model (no interval). Interactions a tree finds can also come from channels whose spend moves together.</p>`
    : '';
  return `<h3>${fit.family === 'forest' ? 'Random forest' : 'Gradient boosting'} settings</h3>
<div class="table-wrap"><table id="tree-table"><thead><tr><th class="name">Setting</th><th>Value</th></tr></thead>
<tbody>
${settings.map(([k, v]) => `<tr><td class="name">${h(k)}</td><td>${h(v)}</td></tr>`).join('\n')}
</tbody></table></div>
${limits}
${synergyPart}`;
}
