import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { badInput } from '../../errors.ts';
import { existingWorkspace, printJson } from '../program.ts';
import { withWorkspace, type Grain } from '../../data/index.ts';
import { harmonize } from '../../app/harmonize.ts';

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function register(program: Command): void {
  program
    .command('harmonize')
    .description('Join summary, conversions, factors and touchpoint datasets into one weekly or monthly table (date × geo × column)')
    .requiredOption('--grain <grain>', 'week or month')
    .requiredOption('--name <id>', 'id of the harmonized table')
    .option('--week-start <day>', 'first day of a week', 'monday')
    .option('--from <date>', 'first date (YYYY-MM-DD)')
    .option('--to <date>', 'last date (YYYY-MM-DD)')
    .option('--datasets <ids>', 'comma-separated dataset ids (default: every summary, conversions, factors and touchpoint-event dataset)')
    .option('--geo <mode>', "when geo-level and national data meet: 'refuse' (default) or 'aggregate' to national")
    .option('--derive <name=expr>', 'a derived column, e.g. tv_cpm=tv_spend/tv_impressions*1000; repeatable', collect)
    .option('--report <file>', 'also write the validation report as JSON')
    .option('--replace', 'replace a harmonized table with the same id')
    .option('--json', 'print the result as JSON')
    .action(async (opts, cmd: Command) => {
      if (opts.geo && !['refuse', 'aggregate'].includes(opts.geo)) throw badInput(`--geo must be one of refuse, aggregate; got '${opts.geo}'`);
      const result = await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), (ws) => harmonize(ws, {
        name: opts.name, grain: opts.grain as Grain, weekStart: opts.weekStart, from: opts.from, to: opts.to,
        datasets: opts.datasets ? String(opts.datasets).split(',').map((s: string) => s.trim()).filter(Boolean) : undefined,
        geo: opts.geo, derive: opts.derive, replace: !!opts.replace,
      }));
      if (opts.report) writeFileSync(opts.report, `${JSON.stringify(result.report, null, 2)}\n`);
      for (const w of result.report.warnings) process.stderr.write(`warning: ${w}\n`);
      if (opts.json) printJson(result);
      else process.stdout.write(`harmonized '${result.id}': ${result.rows} rows (${result.grain}ly, ${result.from} … ${result.to}${result.geos ? `, ${result.geos} geos` : ', national'}), columns: ${result.columns.join(', ')}\n`);
    });
}
