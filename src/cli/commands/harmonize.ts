import { assertWritable, writeOutput } from '../writeOutput.ts';
import type { Command } from 'commander';
import { badInput } from '../../errors.ts';
import { existingWorkspace, printJson } from '../program.ts';
import { renderTable } from '../table.ts';
import { withFlagHints } from '../flagHints.ts';
import { OVERLAP_RULES, harmonizable, listDatasets, withWorkspace, type DatasetChoice, type Grain, type HarmonizeOptions, type HarmonizePreview, type HarmonizeResult, type Workspace } from '../../data/index.ts';
import { harmonize, previewHarmonize } from '../../app/harmonize.ts';

const collect = (v: string, prev: string[] = []) => [...prev, v];
const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

/** The flag behind each field the data layer's messages are about. */
const HINTS: Record<string, string> = {
  name: '--name; --replace replaces an existing harmonized table', grain: '--grain', weekStart: '--week-start', from: '--from', to: '--to',
  datasets: '--datasets, --columns', geo: '--geo aggregate', overlap: '--overlap sum or --overlap priority', derive: '--derive',
};

export function register(program: Command): void {
  program
    .command('harmonize')
    .description('Join summary, conversions, factors and touchpoint datasets into one weekly or monthly table (date × geo × column)')
    .requiredOption('--grain <grain>', 'week, month or year (annual data; a table is at the coarsest grain of its inputs)')
    .requiredOption('--name <id>', 'id of the harmonized table')
    .option('--week-start <day>', 'first day of a week', 'monday')
    .option('--from <date>', 'first date (YYYY-MM-DD)')
    .option('--to <date>', 'last date (YYYY-MM-DD)')
    .option('--datasets <ids>', 'comma-separated dataset ids, in priority order (default: every summary, conversions, factors and touchpoint-event dataset)')
    .option('--columns <dataset:cols>', "take only these columns of a dataset, e.g. media:tv_spend,search_spend; repeatable (--dry-run lists every column with its dataset)", collect)
    .option('--geo <mode>', "when geo-level and national data meet: 'refuse' (default) or 'aggregate' to national")
    .option('--overlap <rule>', "when one column has values from several datasets for the same period: 'refuse' (default), 'sum', or 'priority' (the first of --datasets wins)")
    .option('--derive <name=expr>', 'a derived column, e.g. tv_cpm=tv_spend/tv_impressions*1000; repeatable', collect)
    .option('--dry-run', 'preview the joined table (columns, first rows, warnings) without storing it')
    .option('--rows <n>', 'rows shown by --dry-run', '10')
    .option('--report <file>', 'also write the validation report as JSON')
    .option('--replace', 'make a new version of the harmonized table with the same id (models fitted on the old version keep reading it)')
    .option('--json', 'print the result as JSON')
    .action(async (opts, cmd: Command) => {
      if (opts.geo && !['refuse', 'aggregate'].includes(opts.geo)) throw badInput(`--geo must be one of refuse, aggregate; got '${opts.geo}'`);
      if (opts.overlap && !(OVERLAP_RULES as readonly string[]).includes(opts.overlap)) throw badInput(`--overlap must be one of ${OVERLAP_RULES.join(', ')}; got '${opts.overlap}'`);
      const rows = Number(opts.rows);
      if (!Number.isInteger(rows) || rows < 1 || rows > 1000) throw badInput(`--rows must be a whole number from 1 to 1000; got '${opts.rows}'`);
      // Checked first: the table is stored before the report is written.
      if (opts.report) assertWritable('--report', opts.report);
      type Outcome = { preview: HarmonizePreview } | { saved: HarmonizeResult };
      const result = await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), (ws) => withFlagHints(HINTS, async (): Promise<Outcome> => {
        const options: HarmonizeOptions = {
          name: opts.name, grain: opts.grain as Grain, weekStart: opts.weekStart, from: opts.from, to: opts.to,
          datasets: await choices(ws, opts.datasets, opts.columns), geo: opts.geo, overlap: opts.overlap, derive: opts.derive, replace: !!opts.replace,
        };
        return opts.dryRun ? { preview: await previewHarmonize(ws, options, rows) } : { saved: await harmonize(ws, options) };
      }));
      const done = 'preview' in result ? result.preview : result.saved;
      if (opts.report) writeOutput('--report', opts.report, `${JSON.stringify(done.report, null, 2)}\n`);
      for (const w of done.report.warnings) process.stderr.write(`warning: ${w}\n`);
      if (opts.json) return printJson(done);
      const shape = `${done.rows} rows (${done.grain}ly, ${done.from} … ${done.to}${done.geos ? `, ${done.geos} geos` : ', national'})`;
      if ('saved' in result) return void process.stdout.write(`harmonized '${done.id}': ${shape}${result.saved.version > 1 ? `, version ${result.saved.version}` : ''}, columns: ${result.saved.columns.join(', ')}\n`);
      process.stdout.write(previewText(result.preview, shape));
    });
}

/** `--datasets a,b` and `--columns a:x,y` as the data layer's choices (in --datasets order; without it, every harmonizable dataset). */
async function choices(ws: Workspace, datasets: string | undefined, columns: string[] | undefined): Promise<(string | DatasetChoice)[] | undefined> {
  const ids = datasets ? list(datasets) : undefined;
  if (!columns?.length) return ids;
  const wanted = new Map<string, string[]>();
  for (const item of columns) {
    const i = item.indexOf(':');
    if (i <= 0) throw badInput(`--columns takes dataset:col1,col2; got '${item}'`);
    const id = item.slice(0, i);
    wanted.set(id, [...(wanted.get(id) ?? []), ...list(item.slice(i + 1))]);
  }
  const order = ids ?? (await listDatasets(ws)).filter(harmonizable).map((d) => d.id);
  for (const id of wanted.keys()) if (!order.includes(id)) throw badInput(`--columns names dataset '${id}', which is not ${ids ? 'among --datasets' : 'a dataset harmonize can take'}; datasets: ${order.join(', ')}`);
  return order.map((id) => (wanted.has(id) ? { id, columns: wanted.get(id)! } : id));
}

function previewText(p: HarmonizePreview, shape: string): string {
  const lines = [`preview of '${p.id}' (nothing stored): ${shape}`, ''];
  lines.push(...renderTable([{ header: 'column' }, { header: 'role' }, { header: 'from' }], p.columns.map((c) => [c.name, c.role, c.datasets.join(', ')])), '');
  if (p.sample.length) {
    const cols = p.columns.map((c) => c.name);
    const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'number' ? String(Number(v.toPrecision(10))) : String(v));
    lines.push(`first ${p.sample.length} rows:`, ...renderTable(cols.map((c) => ({ header: c, align: c === 'date' || c === 'geo' ? 'left' as const : 'right' as const })), p.sample.map((r) => cols.map((c) => cell(r[c])))));
  }
  return `${lines.join('\n')}\n`;
}
