/**
 * `npm run bench -- nationalfit`: national NUTS fits as `marginal fit` runs them (4 chains × (1000 +
 * 1000), 2 cores) on simulator seeds 1–6 (156 weeks × 5 channels; NATIONAL_SEEDS) and Meridian's
 * national sample (examples/meridian/national.json), against issue 23's goal of 3 s with R-hat ≤ 1.01,
 * bulk ESS ≥ 400 and no divergences; each with its gradient's cost on the same model (f32 media kernel,
 * as the chains run it) and the phases of the fit (start, sampling, summaries).
 *
 * No reference implementation runs this model here, so the figures stand against the goal; the
 * gradient before the national kernel layout (docs/mmm.md) was measured by hand in the same session.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWideTable } from '../src/data/index.ts';
import { readModelConfig } from '../src/app/modelConfigFile.ts';
import { buildModelDataReadingHolidays } from '../src/app/modelData.ts';
import { parseModelConfig } from '../src/models/config.ts';
import { buildModelData } from '../src/models/design.ts';
import { simulate, simulationTable } from '../src/models/simulate/index.ts';
import { fitCase } from './geoprofile.ts';

const SEEDS = (process.env.NATIONAL_SEEDS ?? '1,2,3,4,5,6').split(',').map(Number);
const repo = fileURLToPath(new URL('../', import.meta.url));
const GOAL_SECONDS = 3;

export async function run(): Promise<object> {
  type Row = Pick<Awaited<ReturnType<typeof fitCase>>, 'case' | 'size' | 'gradient' | 'fit'>;
  const fits: Row[] = [];
  for (const seed of SEEDS) {
    const sim = simulate({ weeks: 156, channels: 5, seed });
    const config = parseModelConfig({
      data: { file: 'sim.csv' }, target: { column: 'revenue' },
      channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })), controls: [{ column: 'price', sign: 'negative' }],
    });
    const c = await fitCase(`national seed ${seed}`, config, buildModelData(config, simulationTable(sim)));
    fits.push({ case: c.case, size: c.size, gradient: c.gradient, fit: c.fit });
  }
  const config = readModelConfig(join(repo, 'examples', 'meridian', 'national.json'));
  const t = await readWideTable(config.data.file!);
  const m = await fitCase('examples/meridian/national.json', config, buildModelDataReadingHolidays(config, { source: config.data.file!, rowCount: t.rowCount, columns: t.columns, lines: t.lines }));
  fits.push({ case: m.case, size: m.size, gradient: m.gradient, fit: m.fit });
  const seconds = fits.map((f) => f.fit.seconds);
  const ok = (f: Row) => f.fit.seconds <= GOAL_SECONDS && f.fit.rhatMax <= 1.01 && f.fit.essBulkMin >= 400 && f.fit.divergences === 0;
  return {
    settings: { chains: 4, warmup: 1000, draws: 1000, machine: '2 cores', simulator: { weeks: 156, channels: 5, seeds: SEEDS } },
    goal: { seconds: GOAL_SECONDS, rhat: 1.01, essBulkMin: 400, divergences: 0 },
    summary: { secondsRange: [Math.min(...seconds), Math.max(...seconds)], meetingGoal: fits.filter(ok).length, of: fits.length, loadAverageAtEnd: loadavg().map((x) => +x.toFixed(2)) },
    fits,
  };
}
