/**
 * The simulator's true response to a change of one channel's spend, in the sense of
 * `FittedModel.response` (src/models/fitted.ts): the channel's contribution summed over every period
 * of the data when its spend in periods [t0, t1) of every geo is multiplied by m, minus the same with
 * that spend at zero; carry-over after the window counts while it falls inside the data. With the
 * simulator's own adstock, Hill saturation, β and geo effects, so a plan can be scored against the
 * truth exactly as a fitted model would score it (src/planning/trueCurves.ts builds the curves).
 *
 * Written from the simulator's conventions (normalized geometric adstock over `maxLag` weeks, zero
 * before week 0; Hill per geo with half-saturation k·share), not from src/transforms/, as the
 * simulator and the oracle are: a check against the model must not be the model checking itself.
 */
import { badInput } from '../../errors.ts';
import type { Simulation } from './simulate.ts';

/** Adstock weights of channel `c` per lag, α^l / Σ α^l (l < maxLag): they sum to 1. */
export function trueAdstockWeights(sim: Simulation, c: number): Float64Array {
  const { alpha, maxLag } = sim.truth.channels[c].adstock;
  const w = Float64Array.from({ length: maxLag }, (_, l) => alpha ** l);
  const norm = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / norm);
}

/** Spend of channel `c` per [g·T + t], as the simulator used it (the rounded values it wrote). */
export function trueSpendSeries(sim: Simulation, c: number): Float64Array {
  const j = sim.columns.indexOf(`${sim.truth.channels[c].name}_spend`);
  if (j < 0) throw badInput(`simulation has no column ${sim.truth.channels[c].name}_spend`);
  return Float64Array.from(sim.rows, (r) => r[j] as number);
}

/**
 * The true response of channel `c` to scaling its spend in `window` by a multiplier, as a function of
 * the multiplier (the parts that do not depend on it are computed once, so each call costs one pass
 * over the periods from the window's start to the data's end).
 * `tail` (default 0, as `FittedModel.response`) counts that many periods past the data's end too, with
 * no spend in them: maxLag − 1 counts the whole carry-over exactly, which a model's curves can only add
 * back through φ (src/planning/model.ts; an approximation under saturation).
 * Example: window [0, T) and multiplier 1 give the channel's whole contribution (truth.channels[c]).
 */
export function trueWindowResponse(sim: Simulation, c: number, window: [number, number], tail = 0): (multiplier: number) => number {
  const T = sim.truth.weeks;
  const end = T + tail;
  const [t0, t1] = window;
  if (!(Number.isInteger(t0) && Number.isInteger(t1) && 0 <= t0 && t0 < t1 && t1 <= T)) throw badInput(`window [${t0}, ${t1}) is not inside the simulation's ${T} weeks`);
  const ch = sim.truth.channels[c];
  const G = sim.truth.geoShares.length, C = sim.truth.channels.length;
  const w = trueAdstockWeights(sim, c);
  const x = trueSpendSeries(sim, c);
  const n = end - t0;
  // Adstock at t ≥ t0 = fixed(t) (spend outside the window, unchanged) + m · scaled(t) (the window's).
  const fixed = new Float64Array(G * n), scaled = new Float64Array(G * n);
  const scale = new Float64Array(G), k = new Float64Array(G), base = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    const share = sim.truth.geoShares[g];
    scale[g] = ch.beta * share * sim.truth.geoEffects[g * C + c];
    k[g] = ch.saturation.k * share;
    for (let t = t0; t < end; t++) {
      let f = 0, s = 0;
      for (let l = 0; l < w.length && l <= t; l++) {
        const u = t - l;
        if (u >= T) continue; // past the data's end: no spend
        if (u >= t0 && u < t1) s += w[l] * x[g * T + u]; else f += w[l] * x[g * T + u];
      }
      fixed[g * n + t - t0] = f;
      scaled[g * n + t - t0] = s;
    }
    for (let i = 0; i < n; i++) base[g] += hill(fixed[g * n + i], k[g], ch.saturation.s);
  }
  return (m: number) => {
    let total = 0;
    for (let g = 0; g < G; g++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += hill(fixed[g * n + i] + m * scaled[g * n + i], k[g], ch.saturation.s);
      total += scale[g] * (sum - base[g]);
    }
    return total;
  };
}

/** The simulator's Hill: x^s / (x^s + k^s), 0 at x ≤ 0. */
function hill(x: number, k: number, s: number): number {
  return x <= 0 ? 0 : 1 / (1 + (k / x) ** s);
}
