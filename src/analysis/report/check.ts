/**
 * Checks that a report input has the shape the report needs before anything is rendered, so a
 * malformed fit (from a stale workspace row or a hand-written JSON) gives one clear error instead of
 * a broken page. Throws a MarginalError (BAD_INPUT) naming the field; returns nothing.
 */
import { badInput } from '../../errors.ts';
import { isBayesian, type ReportInput } from './types.ts';
import { families } from '../../models/familyNames.ts';


export function checkReportInput(input: ReportInput): void {
  const fail = (field: string, message: string): never => { throw badInput(`report: \`${field}\` ${message}`); };
  if (!input || typeof input !== 'object') fail('input', 'must be an object');
  for (const k of ['modelId', 'name', 'createdAt'] as const) if (typeof input[k] !== 'string') fail(k, `must be a string; got ${typeof input[k]}`);
  if (!input.target || typeof input.target.column !== 'string') fail('target.column', 'must be a string');
  if (input.target.kind !== 'revenue' && input.target.kind !== 'conversions') fail('target.kind', `must be one of revenue, conversions; got '${String(input.target.kind)}'`);
  const r = input.result;
  if (!r || typeof r !== 'object') fail('result', 'must be a fit result');
  if (!families.includes(r.family)) fail('result.family', `must be one of ${families.join(', ')}; got '${String(r.family)}'`);
  if (!r.fit || !r.diagnostics) fail('result', 'lacks `fit` or `diagnostics`');
  const bayes = isBayesian(r);
  if (!Array.isArray(r.channels) || r.channels.length === 0) fail('result.channels', 'must list at least one channel');
  if (bayes && !Array.isArray(r.parameters)) fail('result.parameters', 'must be an array');
  if (!bayes && typeof r.diagnostics.bootstrap !== 'number') fail('result.diagnostics.bootstrap', 'must be the number of bootstrap refits');
  if (!Array.isArray(r.warnings)) fail('result.warnings', 'must be an array');
  const s = r.series;
  if (!s || !Array.isArray(s.dates) || !Array.isArray(s.geos)) fail('result.series', 'must have `dates` and `geos` arrays');
  const n = s.dates.length * Math.max(1, s.geos.length);
  // Classic fits have no predictive band.
  for (const k of bayes ? ['actual', 'predicted', 'predictedLow', 'predictedHigh'] as const : ['actual', 'predicted'] as const) {
    const v = (s as Record<string, unknown>)[k];
    if (!Array.isArray(v) || v.length !== n) fail(`result.series.${k}`, `must have ${n} values (${s.dates.length} dates × ${Math.max(1, s.geos.length)} geos); got ${Array.isArray(v) ? v.length : typeof v}`);
  }
  r.channels.forEach((c, i) => {
    if (typeof c?.name !== 'string') fail(`result.channels[${i}].name`, 'must be a string');
    for (const k of ['roiInterval', 'mroiInterval', 'contributionInterval'] as const) {
      if (!Array.isArray(c[k]) || c[k].length !== 2) fail(`result.channels[${i}].${k}`, 'must be a [low, high] pair');
    }
    const series = s.contributions?.[c.name];
    if (!Array.isArray(series) || series.length !== n) fail(`result.series.contributions['${c.name}']`, `must have ${n} values; got ${Array.isArray(series) ? series.length : 'none'}`);
  });
}
