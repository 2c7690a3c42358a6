/**
 * Simulated journeys with a known causal effect per channel (tests, benchmark, demo). No I/O.
 * Each customer is followed for `days` days; every day each channel touches them with its rate, then
 * they convert with the hazard σ(α + Σ_c β_c·a_c), a_c the geometric adstock (λ_c) of channel c's touches.
 * Risk starts at the first touch (customers converting before any touch are not journeys).
 */
import { Rng } from '../inference/index.ts';
import type { HazardParams } from './incremental.ts';
import type { JourneyInput } from './build.ts';

const DAY = 86400;

export interface JourneySimulation {
  channels: string[];
  /** Touch probability per channel per day. */
  rate: number[];
  truth: HazardParams;
  days?: number;
  /** Value of a conversion (default 10). */
  value?: number;
  /**
   * Customer segments of one attribute: each customer falls in a level with its share, and converts
   * with the level's baseline (default truth.alpha) and effects per touch (β per channel); λ stays `truth.lambda`.
   */
  segments?: { attribute: string; levels: { name: string; share: number; alpha?: number; beta: number[] }[] };
}

/** The hazard parameters of each simulated segment level, in the order given (the truth a segment analysis should recover). */
export function segmentTruth(sim: JourneySimulation): { name: string; params: HazardParams }[] {
  return (sim.segments?.levels ?? []).map((l) => ({ name: l.name, params: { alpha: l.alpha ?? sim.truth.alpha, beta: Float64Array.from(l.beta), lambda: sim.truth.lambda } }));
}

/**
 * Three devices whose channels move them differently: display works on desktop, email on mobile,
 * social on nobody; tablets convert least at baseline.
 */
export const SEGMENTED_SIMULATION: JourneySimulation = {
  ...DEFAULT_SIMULATION_BASE(),
  segments: {
    attribute: 'device',
    levels: [
      { name: 'desktop', share: 0.35, beta: [1.2, 0.3, 0] },
      { name: 'mobile', share: 0.45, beta: [0.2, 1.2, 0] },
      { name: 'tablet', share: 0.2, alpha: Math.log(0.002 / 0.998), beta: [0.6, 0.6, 0] },
    ],
  },
};

function DEFAULT_SIMULATION_BASE(): JourneySimulation {
  return {
    channels: ['display', 'email', 'social'],
    rate: [0.15, 0.1, 0.3],
    truth: { alpha: Math.log(0.004 / 0.996), beta: Float64Array.from([0.8, 1.0, 0]), lambda: Float64Array.from([0.7, 0.3, 0.5]) },
  };
}

/** A default scenario: display and email cause conversions, social is frequent and causes nothing. */
export const DEFAULT_SIMULATION: JourneySimulation = DEFAULT_SIMULATION_BASE();

export function simulateJourneys(seed: number, customers: number, sim: JourneySimulation = DEFAULT_SIMULATION): JourneyInput[] {
  const rng = new Rng(seed);
  const C = sim.channels.length, days = sim.days ?? 30, val = sim.value ?? 10;
  const out: JourneyInput[] = [];
  const levels = segmentTruth(sim), shares = sim.segments?.levels.map((l) => l.share) ?? [];
  const totalShare = shares.reduce((x, y) => x + y, 0);
  for (let u = 0; u < customers; u++) {
    const touches: string[] = [], times: number[] = [];
    const a = new Float64Array(C);
    let level = -1;
    if (levels.length) { let x = rng.uniform() * totalShare; level = 0; while (level < levels.length - 1 && x >= shares[level]) { x -= shares[level]; level++; } }
    const truth = level >= 0 ? levels[level].params : sim.truth;
    let converted = false, end = days * DAY;
    for (let t = 0; t < days && !converted; t++) {
      let logit = truth.alpha;
      for (let c = 0; c < C; c++) {
        a[c] *= sim.truth.lambda[c];
        if (rng.uniform() < sim.rate[c]) { a[c] += 1; touches.push(sim.channels[c]); times.push(t * DAY + 3600 * (c % 20)); }
        logit += truth.beta[c] * a[c];
      }
      if (touches.length && rng.uniform() < 1 / (1 + Math.exp(-logit))) { converted = true; end = t * DAY + 20 * 3600; }
    }
    if (!converted) end = (days - 1) * DAY + 23 * 3600;
    out.push({ touches, times, conversions: converted ? 1 : 0, value: converted ? val : 0, end, id: `u${u + 1}`, ...(level >= 0 ? { segment: { [sim.segments!.attribute]: levels[level].name } } : {}) });
  }
  return out;
}
