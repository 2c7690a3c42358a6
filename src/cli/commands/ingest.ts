import type { Command } from 'commander';
import { badInput, formatProblem } from '../../errors.ts';
import { printJson, workspacePath } from '../program.ts';
import { COLUMN_ROLES, KINDS, PRESETS, PRESET_NAMES, parseDateFormatOption, withWorkspace, type ColumnRole, type IngestOptions, type IngestResult, type Kind, type MetricKind, type RoleColumn } from '../../data/index.ts';
import { ingestByRole, ingestFile } from '../../app/ingest.ts';
import { withFlagHints } from '../flagHints.ts';

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
    .description('Read a CSV, Parquet or XLSX file into the workspace as a dataset (or, --kind mixed, a wide file as media, outcome and factors datasets)')
    .argument('<file>', 'data file (.csv/.tsv/.txt, .parquet, .xlsx)')
    .option('--kind <kind>', `one of ${KINDS.join(', ')}, or mixed: one wide file whose columns each have a role (see --role)`)
    .option('--role <column=role>', `with --kind mixed (implied): a column's role, one of ${COLUMN_ROLES.join(', ')} (default: proposed from its name and values); repeatable`, collect)
    .option('--name <id>', 'dataset id (default: the file name); --kind mixed adds -outcome and -factors for those datasets')
    .option('--preset <name>', `read a platform's export by its documented column names, without --map (implies --kind summary): ${PRESET_NAMES.map((n) => `${n} — ${PRESETS[n].label}`).join('; ')}`)
    .option('--map <source=target>', 'map a column: a role (date, geo, channel, metric, value…), <channel>_<metric>, a metric or factor name, or ignore; repeatable', collect)
    .option('--layout <layout>', 'wide or long (default: detected)')
    .option('--date-format <format>', 'YYYY-MM-DD, YYYY-MM-DD hh:mm:ss, YYYY/MM/DD, M/D/YYYY, D/M/YYYY, D.M.YYYY, YYYYMMDD, YYYY (a year: 1 January) or excel (default: detected)')
    .option('--number-format <format>', 'plain (default), us (1,234.5) or eu (1.234,5)')
    .option('--metric-kind <metric=sum|mean>', 'how a metric resamples to a coarser grain; repeatable', collect)
    .option('--sheet <name>', 'XLSX sheet (default: the first)')
    .option('--currency <code>', 'currency of money values, e.g. USD')
    .option('--replace', 'replace a dataset with the same id')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts, cmd: Command) => {
      const o = cmd.optsWithGlobals();
      if (opts.preset && !(PRESET_NAMES as readonly string[]).includes(opts.preset)) throw badInput(`--preset must be one of ${PRESET_NAMES.join(', ')}; got '${opts.preset}'`);
      if (opts.preset && opts.role) throw badInput('--preset reads a platform export as media data; it does not take --role');
      const kind: string = opts.kind ?? (opts.role ? 'mixed' : opts.preset ? 'summary' : '');
      if (!kind) throw badInput(`--kind is required: one of ${KINDS.join(', ')}, or mixed (or give columns roles with --role)`);
      if (![...KINDS, 'mixed'].includes(kind)) throw badInput(`--kind must be one of ${KINDS.join(', ')}, mixed; got '${kind}'`);
      if (opts.role && kind !== 'mixed') throw badInput(`--role gives columns roles in a mixed file; use it with --kind mixed, or --map with --kind ${kind}`);
      if (kind === 'mixed' && (opts.map || opts.layout)) throw badInput('--kind mixed takes --role COLUMN=ROLE, not --map or --layout');
      if (opts.layout && !['wide', 'long'].includes(opts.layout)) throw badInput(`--layout must be one of wide, long; got '${opts.layout}'`);
      if (opts.numberFormat && !['plain', 'us', 'eu'].includes(opts.numberFormat)) throw badInput(`--number-format must be one of plain, us, eu; got '${opts.numberFormat}'`);
      const kinds = pairs(opts.metricKind, '--metric-kind');
      for (const [k, v] of Object.entries(kinds)) if (v !== 'sum' && v !== 'mean') throw badInput(`--metric-kind ${k} must be sum or mean; got '${v}'`);
      let dateFormat;
      try { dateFormat = parseDateFormatOption(opts.dateFormat); } catch (e) { throw badInput((e as Error).message); }
      const common = { name: opts.name, dateFormat, numberFormat: opts.numberFormat, metricKinds: kinds as Record<string, MetricKind>, sheet: opts.sheet, currency: opts.currency, replace: !!opts.replace };
      const withText = (r: IngestResult) => ({ ...r, problems: r.problems.map((p) => ({ ...p, text: formatProblem(p) })) });
      const said = (r: IngestResult) => `ingested ${r.source} as '${r.id}' (${r.kind}, ${r.layout}): ${r.rows} rows, ${r.stored} values stored\n`;
      if (kind === 'mixed') {
        const roles = pairs(opts.role, '--role');
        for (const [c, r] of Object.entries(roles)) if (!(COLUMN_ROLES as readonly string[]).includes(r)) throw badInput(`--role ${c}: the role must be one of ${COLUMN_ROLES.join(', ')}; got '${r}'`);
        const result = await withWorkspace(workspacePath(o), (ws) => withFlagHints(HINTS, () => ingestByRole(ws, file, { ...common, roles: roles as Record<string, ColumnRole> })));
        for (const p of result.datasets.flatMap((d) => d.problems)) process.stderr.write(`warning: ${formatProblem(p)}\n`);
        if (opts.json) return printJson({ datasets: result.datasets.map(withText), columns: result.columns });
        return void process.stdout.write(`${result.datasets.map(said).join('')}${rolesText(result.columns)}`);
      }
      const options: IngestOptions = { ...common, kind: kind as Kind, map: pairs(opts.map, '--map'), layout: opts.layout, preset: opts.preset };
      const result = await withWorkspace(workspacePath(o), (ws) => withFlagHints(HINTS, () => ingestFile(ws, file, options)));
      for (const p of result.problems) process.stderr.write(`warning: ${formatProblem(p)}\n`);
      if (opts.json) printJson(withText(result));
      else process.stdout.write(said(result));
    });
}

const HINTS: Record<string, string> = { name: '--name; --replace overwrites an existing dataset', roles: '--role COLUMN=ROLE', map: '--map COLUMN=ROLE', dateFormat: '--date-format', preset: '--preset, or --map COLUMN=ROLE without it' };

/** `roles: date DATE; media tv_S → tv_spend, …; outcome revenue; ignored note`. */
function rolesText(columns: RoleColumn[]): string {
  const parts = COLUMN_ROLES.map((role) => {
    const cols = columns.filter((c) => c.role === role).map((c) => (c.target && c.target !== c.name ? `${c.name} → ${c.target}` : c.name));
    return cols.length ? `${role === 'ignore' ? 'ignored' : role} ${cols.join(', ')}` : null;
  }).filter(Boolean);
  return `roles: ${parts.join('; ')}\n`;
}
