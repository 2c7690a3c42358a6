import type { Command } from 'commander';
import { badInput, formatProblem } from '../../errors.ts';
import { printJson, workspacePath } from '../program.ts';
import { KINDS, parseDateFormatOption, withWorkspace, type IngestOptions, type Kind, type MetricKind } from '../../data/index.ts';
import { ingestFile } from '../../app/ingest.ts';

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** Parses repeated `a=b` options into an object. */
export function pairs(list: string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const i = item.lastIndexOf('=');
    if (i <= 0 || i === item.length - 1) throw badInput(`${flag} takes source=target; got '${item}'`);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

export function register(program: Command): void {
  program
    .command('ingest')
    .description('Read a CSV, Parquet or XLSX file into the workspace as a dataset')
    .argument('<file>', 'data file (.csv/.tsv/.txt, .parquet, .xlsx)')
    .requiredOption('--kind <kind>', `one of ${KINDS.join(', ')}`)
    .option('--name <id>', 'dataset id (default: the file name)')
    .option('--map <source=target>', 'map a column: a role (date, geo, channel, metric, value…), <channel>_<metric>, a metric or factor name, or ignore; repeatable', collect)
    .option('--layout <layout>', 'wide or long (default: detected)')
    .option('--date-format <format>', 'YYYY-MM-DD, YYYY-MM-DD hh:mm:ss, YYYY/MM/DD, M/D/YYYY, D/M/YYYY, D.M.YYYY or excel (default: detected)')
    .option('--number-format <format>', 'plain (default), us (1,234.5) or eu (1.234,5)')
    .option('--metric-kind <metric=sum|mean>', 'how a metric resamples to a coarser grain; repeatable', collect)
    .option('--sheet <name>', 'XLSX sheet (default: the first)')
    .option('--currency <code>', 'currency of money values, e.g. USD')
    .option('--replace', 'replace a dataset with the same id')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      if (!(KINDS as readonly string[]).includes(opts.kind)) throw badInput(`--kind must be one of ${KINDS.join(', ')}; got '${opts.kind}'`);
      if (opts.layout && !['wide', 'long'].includes(opts.layout)) throw badInput(`--layout must be one of wide, long; got '${opts.layout}'`);
      if (opts.numberFormat && !['plain', 'us', 'eu'].includes(opts.numberFormat)) throw badInput(`--number-format must be one of plain, us, eu; got '${opts.numberFormat}'`);
      const kinds = pairs(opts.metricKind, '--metric-kind');
      for (const [k, v] of Object.entries(kinds)) if (v !== 'sum' && v !== 'mean') throw badInput(`--metric-kind ${k} must be sum or mean; got '${v}'`);
      let dateFormat;
      try { dateFormat = parseDateFormatOption(opts.dateFormat); } catch (e) { throw badInput((e as Error).message); }
      const options: IngestOptions = {
        kind: opts.kind as Kind, name: opts.name, map: pairs(opts.map, '--map'), layout: opts.layout, dateFormat,
        numberFormat: opts.numberFormat, metricKinds: kinds as Record<string, MetricKind>, sheet: opts.sheet, currency: opts.currency, replace: !!opts.replace,
      };
      const result = await withWorkspace(workspacePath(o), (ws) => ingestFile(ws, file, options));
      for (const p of result.problems) process.stderr.write(`warning: ${formatProblem(p)}\n`);
      if (opts.json) printJson({ ...result, problems: result.problems.map((p) => ({ ...p, text: formatProblem(p) })) });
      else process.stdout.write(`ingested ${result.source} as '${result.id}' (${result.kind}, ${result.layout}): ${result.rows} rows, ${result.stored} values stored\n`);
    });
}
