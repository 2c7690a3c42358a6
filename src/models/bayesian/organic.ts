/**
 * What an organic channel (no spend) added: its contribution, its share of the predicted outcome and
 * its contribution per unit of activity, each with a 90% interval over the same draws as every other
 * figure of the fit. Organic channels sit after the paid ones in the model (prepare.ts); their `roi`
 * parameter is their share of the outcome's revenue, and no ROI is reported for them.
 */
import type { ModelData } from '../design.ts';
import type { CurveSummary } from './curveSummary.ts';
import type { OrganicResult } from '../organic.ts';
import { logNormalSummary } from './priors.ts';
import { meanInterval, type PosteriorQuantities } from './posterior.ts';
import type { PreparedMmm } from './prepare.ts';

export function organicResults(data: ModelData, prep: PreparedMmm, q: PosteriorQuantities, curves: readonly CurveSummary[]): OrganicResult[] {
  const { P, C, G, T } = prep;
  const names = data.organic?.names ?? [];
  const O = names.length;
  let predicted = 0;
  for (let i = 0; i < G * T; i++) predicted += q.predictedMean[i];
  return names.map((name, o) => {
    const c = P + o;
    let activity = 0;
    for (let k = 0; k < G * T; k++) activity += data.organic!.activity[k * O + o];
    const contribution = meanInterval(q.contribution, C, c);
    const scaled = (f: number) => Float64Array.from({ length: q.nDraws }, (_, d) => q.contribution[d * C + c] * f);
    const share = meanInterval(scaled(predicted > 0 ? 1 / predicted : 0), 1, 0);
    const perUnit = meanInterval(scaled(activity > 0 ? 1 / activity : 0), 1, 0);
    return {
      name, activity,
      contribution: contribution.mean, contributionInterval: contribution.interval,
      share: share.mean, shareInterval: share.interval,
      perUnit: perUnit.mean, perUnitInterval: perUnit.interval,
      sharePrior: logNormalSummary(prep.roiPrior[c]),
      ...(Object.keys(curves[c]).length ? { curve: curves[c] } : {}),
    };
  });
}
