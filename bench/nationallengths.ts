/**
 * `npm run bench -- nationallengths` (issue 27): would national time-based tests longer than the
 * design's 16 weeks pay? On the experiments bench's six national worlds (156 weeks, 5 channels,
 * seeds 1–6), the Bayesian fit (Laplace, 1000 draws) and the design of a dark ABBA test of each
 * always-on channel at 8, 16, 24 and 32 weeks: the design's standard error ÷ the expected lift, and the
 * expected share of the ROI's 90% interval removed. Design side only: the experiments bench simulates
 * 16 weeks past the data, so tests longer than that are not run in the true process there.
 */
import { fitTable } from '../src/app/fit.ts';
import { fittedFromStored } from '../src/app/load.ts';
import { flaggedChannels } from '../src/app/design.ts';
import type { BayesianFit } from '../src/models/bayesian/fit.ts';
import { simulate } from '../src/models/simulate/index.ts';
import { designTests } from '../src/analysis/design/design.ts';
import { simulatedConfig } from './forecast.ts';
import { firstWeeks } from './experiments.ts';

const LENGTHS = [8, 16, 24, 32], CHANNELS = ['search', 'social', 'display'];
const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;

interface Reading { seOverExpectedLift: number; information: number }
interface World { seed: number; byLength: ({ weeks: number } & Record<string, Reading | number>)[] }

export async function run(): Promise<object> {
  const worlds: World[] = [];
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const sim = simulate({ weeks: 172, channels: 5, geos: 0, seed });
    const table = firstWeeks(sim, 156), config = simulatedConfig(sim);
    const fit = (await fitTable(config, table, { fast: true, draws: 1000 })) as BayesianFit;
    const fitted = fittedFromStored(`national-${seed}`, 'bayesian', config, fit, table, 1000);
    const flagged = flaggedChannels(fitted.channels, fit.warnings);
    const byLength = LENGTHS.map((weeks) => {
      const d = designTests({ modelId: `national-${seed}`, fitted, flagged, revenueFactor: () => 1 }, { channels: CHANNELS, weeks, spendChanges: [-1], perChannel: 100 });
      const reading = (ch: string): Reading => { const t = d.tests.find((x) => x.channel === ch)!; return { seOverExpectedLift: round(t.expectedLiftSe / t.expectedLift), information: round(t.information) }; };
      return { weeks, ...Object.fromEntries(CHANNELS.map((ch) => [ch, reading(ch)])) };
    });
    worlds.push({ seed, byLength });
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const summary = LENGTHS.map((weeks, i) => ({ weeks, ...Object.fromEntries(CHANNELS.map((ch) => [ch, {
    meanSeOverExpectedLift: round(mean(worlds.map((w) => (w.byLength[i][ch] as Reading).seOverExpectedLift))),
    meanInformation: round(mean(worlds.map((w) => (w.byLength[i][ch] as Reading).information))),
  }])) }));
  for (const s of summary) console.log(JSON.stringify(s));
  return { settings: { worlds: 'national, seeds 1–6, 156 weeks, 5 channels', fit: 'Laplace (--fast), 1000 draws', test: 'dark, ABBA blocks of 2 weeks', lengths: LENGTHS }, summary, worlds };
}
