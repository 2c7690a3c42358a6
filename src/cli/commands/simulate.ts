import type { Command } from 'commander';
import { badInput } from '../../errors.ts';
import { simulate } from '../../models/simulate/index.ts';
import { writeSimulation } from '../../app/writeSimulation.ts';
import { printJson } from '../program.ts';

export function register(program: Command): void {
  program
    .command('simulate')
    .description('Write simulated marketing data with known truth (data.csv, truth.json, model.json)')
    .requiredOption('--out <dir>', 'output folder')
    .option('--weeks <n>', 'number of weeks', '156')
    .option('--channels <n>', 'number of channels', '5')
    .option('--geos <n>', 'number of geos (0 = national)', '0')
    .option('--seed <n>', 'random seed', '1')
    .option('--rf', 'the last channel buys reach and frequency (writes its reach and frequency columns)')
    .option('--late-geos <fraction>', 'unbalanced panel: this share of the geos enters late (no rows before)')
    .option('--late-periods <n>', 'weeks the late geos miss at the start (with --late-geos)', '52')
    .option('--json', 'print the truth as JSON on stdout')
    .action((opts: { out: string; weeks: string; channels: string; geos: string; seed: string; rf?: boolean; lateGeos?: string; latePeriods: string; json?: boolean }) => {
      const weeks = positiveInt('--weeks', opts.weeks, 8);
      const channels = positiveInt('--channels', opts.channels, 1);
      const geos = positiveInt('--geos', opts.geos, 0);
      const seed = positiveInt('--seed', opts.seed, 0);
      if (channels > 20) throw badInput(`--channels must be at most 20; got ${channels}`);
      let lateGeos: { fraction: number; periods: number } | undefined;
      if (opts.lateGeos !== undefined) {
        const fraction = Number(opts.lateGeos);
        if (!(fraction >= 0 && fraction <= 1)) throw badInput(`--late-geos must be a fraction from 0 to 1; got '${opts.lateGeos}'`);
        if (geos < 1) throw badInput('--late-geos needs a geo simulation (--geos 1 or more)');
        lateGeos = { fraction, periods: positiveInt('--late-periods', opts.latePeriods, 0) };
      }
      const sim = simulate({ weeks, channels, geos, seed, lateGeos, rf: opts.rf });
      const paths = writeSimulation(sim, opts.out);
      if (opts.json) printJson({ ...paths, truth: sim.truth });
      else process.stdout.write(`wrote ${paths.data} (${sim.rows.length} rows), ${paths.truth}, ${paths.config}\n`);
    });
}

function positiveInt(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw badInput(`${flag} must be an integer >= ${min}; got '${value}'`);
  return n;
}
