/**
 * `npm run bench -- fewperiods`: the Bayesian model on two to three years of monthly data (issue 19,
 * item 7). Monthly data from the weekly simulator (test/fewPeriods/monthly.ts: weeks spread over their
 * days and summed by calendar month, the truth recomputed over the kept months), 3 channels and a price
 * control, 24 / 30 / 36 months and, at 36 months, 5 channels; simulator seeds 1–12; full NUTS
 * (4 × 1000 + 1000, as `marginal fit` runs it) and the Laplace path.
 *
 * Recorded per fit: the true ROI inside the 90% interval (per channel), the interval's width relative
 * to the truth, the relative error of the posterior mean, divergences, R-hat, whether FEW PERIODS was
 * issued, wall time. FEWPERIODS_SEEDS overrides the seeds.
 */
import { loadavg } from 'node:os';
import { fitTable } from '../src/app/fit.ts';
import type { BayesianFit, FitOptions } from '../src/models/bayesian/fit.ts';
import { bayesianMinimumPeriods } from '../src/models/linear/families.ts';
import { buildModelData } from '../src/models/design.ts';
import { simulateMonthly } from '../test/fewPeriods/monthly.ts';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
interface FitsOf { fits: { seed: number; channels: { roi: number; interval: number[] }[] }[] }

/** Per channel |Laplace ROI mean − NUTS ROI mean| / NUTS 90% width over the same data (fits in seed order). */
function fastGap([nuts, laplace]: FitsOf[]) {
  const gaps = nuts.fits.flatMap((f, i) => f.channels.map((c, j) => Math.abs(laplace.fits[i].channels[j].roi - c.roi) / (c.interval[1] - c.interval[0])));
  return { channels: gaps.length, within: gaps.filter((g) => g <= 0.25).length, medianGap: +median(gaps).toFixed(3), meanGap: +mean(gaps).toFixed(3), worst: +Math.max(...gaps).toFixed(3) };
}
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

export async function run(): Promise<object> {
  const seeds = (process.env.FEWPERIODS_SEEDS ?? '1,2,3,4,5,6,7,8,9,10,11,12').split(',').map(Number);
  const sizes = [{ months: 24, channels: 3 }, { months: 30, channels: 3 }, { months: 36, channels: 3 }, { months: 36, channels: 5 }];
  const methods: Record<string, FitOptions> = { nuts: {}, laplace: { fast: true } };
  const load = [loadavg()[0]];
  const groups: Record<string, any>[] = [];
  for (const size of sizes) {
    const first = simulateMonthly({ ...size, seed: seeds[0] });
    const counts = bayesianMinimumPeriods(first.config, buildModelData(first.config, first.table));
    const byMethod: Record<string, unknown> = {};
    for (const [method, opts] of Object.entries(methods)) {
      const fits = [];
      for (const seed of seeds) {
        const s = simulateMonthly({ ...size, seed });
        const fit = await fitTable(s.config, s.table, opts) as BayesianFit;
        const channels = fit.channels.map((c, i) => ({
          name: c.name, truth: +s.truth[i].roi.toFixed(3), roi: +c.roi.toFixed(3), interval: c.roiInterval.map((v) => +v.toFixed(3)),
          inside: s.truth[i].roi >= c.roiInterval[0] && s.truth[i].roi <= c.roiInterval[1],
          widthOverTruth: +((c.roiInterval[1] - c.roiInterval[0]) / s.truth[i].roi).toFixed(3), relError: +(c.roi / s.truth[i].roi - 1).toFixed(3),
        }));
        fits.push({ seed, seconds: +fit.diagnostics.seconds.toFixed(2), rhatMax: +fit.diagnostics.rhatMax.toFixed(4), divergences: fit.diagnostics.divergences, fewPeriodsWarning: fit.warnings.some((w) => w.startsWith('FEW PERIODS')), inside: channels.filter((c) => c.inside).length, channels });
        const f = fits[fits.length - 1];
        console.error(`[${size.months} months × ${size.channels}, ${method}, seed ${seed}] ${f.seconds} s, inside ${f.inside}/${size.channels}, ${f.divergences} div, R-hat ${f.rhatMax}: ${channels.map((c) => `${c.name} ${c.truth} → ${c.roi} [${c.interval.join(', ')}]`).join('; ')}`);
      }
      const all = fits.flatMap((f) => f.channels);
      byMethod[method] = {
        fits,
        inside: all.filter((c) => c.inside).length, channels: all.length, shareInside: +(all.filter((c) => c.inside).length / all.length).toFixed(3),
        medianWidthOverTruth: +median(all.map((c) => c.widthOverTruth)).toFixed(3), meanAbsRelError: +mean(all.map((c) => Math.abs(c.relError))).toFixed(3),
        divergentFits: fits.filter((f) => f.divergences > 0).length, divergences: fits.reduce((a, f) => a + f.divergences, 0), maxRhat: Math.max(...fits.map((f) => f.rhatMax)),
        fewPeriodsWarned: fits.filter((f) => f.fewPeriodsWarning).length, meanSeconds: +mean(fits.map((f) => f.seconds)).toFixed(2),
      };
      const b = byMethod[method] as { inside: number; channels: number; medianWidthOverTruth: number; meanAbsRelError: number; divergentFits: number };
      console.error(`[${size.months} months × ${size.channels}, ${method}] truths inside ${b.inside}/${b.channels}; median 90% width ${b.medianWidthOverTruth}× the truth; mean |error| ${(100 * b.meanAbsRelError).toFixed(1)}%; fits with divergences ${b.divergentFits}/${seeds.length}`);
      load.push(loadavg()[0]);
    }
    groups.push({ ...size, floor: counts.min, comfortable: counts.comfortable, coefficients: counts.coefficients, curves: counts.curves, ...byMethod, fastGap: fastGap([byMethod.nuts, byMethod.laplace] as FitsOf[]) });
  }
  // --fast against NUTS at this size, as bench/fastgap.ts measures it: |Laplace mean − NUTS mean| / NUTS 90% width.
  const fastGapAll = fastGap(['nuts', 'laplace'].map((m) => ({ fits: groups.flatMap((g) => (g[m as 'nuts'] as FitsOf).fits) })));
  console.error(`[--fast vs NUTS, all sizes] ${fastGapAll.within}/${fastGapAll.channels} channels within 0.25 of the NUTS 90% width; median ${fastGapAll.medianGap}, worst ${fastGapAll.worst}×`);
  return { fastGap: fastGapAll, settings: { seeds, nuts: '4 × 1000 + 1000 (config defaults)', laplace: '--fast (4 × 1000 Laplace draws)', machine: '2 cores shared with other jobs', loadAverage1m: load }, groups };
}
