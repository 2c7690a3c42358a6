/**
 * A test run inside the simulator's true process (issue 27): the outcome per geo and week when one
 * channel's spend is replaced by another path, with the other channels, the baseline and the noise
 * as the simulation had them (or fresh noise, for repeated runs). Written from the simulator's
 * conventions (normalized geometric adstock over maxLag weeks, Hill per geo with half-saturation
 * k·share, β·share·geo effect), like trueResponse.ts, not from src/transforms/.
 */
import { badInput } from '../../errors.ts';
import type { Rng } from '../../util/rng.ts';
import type { Simulation } from './simulate.ts';
import { trueAdstockWeights, trueSpendSeries } from './trueResponse.ts';

/** Channel c's true contribution per [g·T + t] for its spend `spend` per [g·T + t]. */
export function trueChannelEffect(sim: Simulation, c: number, spend: Float64Array): Float64Array {
  const T = sim.truth.weeks, G = sim.truth.geoShares.length, C = sim.truth.channels.length;
  if (spend.length !== G * T) throw badInput(`spend has ${spend.length} values for ${G} geos × ${T} weeks`);
  const ch = sim.truth.channels[c], w = trueAdstockWeights(sim, c);
  const out = new Float64Array(G * T);
  for (let g = 0; g < G; g++) {
    const share = sim.truth.geoShares[g], k = ch.saturation.k * share, scale = ch.beta * share * sim.truth.geoEffects[g * C + c];
    for (let t = 0; t < T; t++) {
      let a = 0;
      for (let l = 0; l < w.length && l <= t; l++) a += w[l] * spend[g * T + t - l];
      out[g * T + t] = a <= 0 ? 0 : scale / (1 + (k / a) ** ch.saturation.s);
    }
  }
  return out;
}

/** The simulation's noise per [g·T + t]: revenue minus the baseline and every channel's contribution. */
export function simulationNoise(sim: Simulation): Float64Array {
  if (!sim.baseSeries) throw badInput('the simulation carries no baseline series');
  const j = sim.columns.indexOf('revenue');
  const noise = Float64Array.from(sim.rows, (r, i) => (r[j] as number) - sim.baseSeries![i]);
  for (const s of sim.contributionSeries) for (let i = 0; i < noise.length; i++) noise[i] -= s[i];
  return noise;
}

/**
 * Revenue per [g·T + t] when channel c spends `spend` instead of what the simulation had: baseline +
 * the other channels + c's true effect + noise — the simulation's own noise, or fresh draws of the
 * same sd from `rng`.
 */
export function trueOutcome(sim: Simulation, c: number, spend: Float64Array, rng?: Rng): Float64Array {
  if (!sim.baseSeries || !sim.noiseSd) throw badInput('the simulation carries no baseline series');
  const T = sim.truth.weeks;
  const effect = trueChannelEffect(sim, c, spend);
  const y = Float64Array.from(sim.baseSeries);
  sim.contributionSeries.forEach((s, k) => { if (k !== c) for (let i = 0; i < y.length; i++) y[i] += s[i]; });
  const noise = rng ? null : simulationNoise(sim);
  for (let i = 0; i < y.length; i++) y[i] += effect[i] + (noise ? noise[i] : sim.noiseSd[Math.floor(i / T)] * rng!.normal());
  return y;
}

export { trueSpendSeries };
