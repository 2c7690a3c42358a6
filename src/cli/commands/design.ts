import { writeOutput } from '../writeOutput.ts';
import type { Command } from 'commander';
import { renderTable } from '../table.ts';
import { formatAmount as money, formatPercent } from '../../units.ts';
import { badInput } from '../../errors.ts';
import { designModel, testPlanCsv, type DesignOutput } from '../../app/design.ts';
import { ABBA_NOTE, testKindText } from '../../analysis/design/testKind.ts';
import { existingWorkspace, printJson } from '../program.ts';

const number = (name: string) => (v: string) => {
  const x = Number(v);
  if (!Number.isFinite(x)) throw badInput(`${name} must be a number; got '${v}'`);
  return x;
};

export function register(program: Command): void {
  program
    .command('design')
    .description('Design lift tests for the channels the data leave open (always on, weakly identified): expected lift and its standard error, power, the ROI interval after the test, cost; ranked by information per unit of cost')
    .argument('<model>', 'model id (a Bayesian model, see `marginal models`)')
    .option('--channel <name...>', 'design for these channels (default: those the fit flagged)')
    .option('--weeks <n>', 'test length in weeks (default: 4, 8, 12 and 16 for geo tests, 8 and 16 for time-based ones)', number('--weeks'))
    .option('--max-cost <amount>', 'leave out tests that cost more than this (net loss against business as usual)', number('--max-cost'))
    .option('--start <date>', 'first period of the test (default: the period after the data)')
    .option('--json', 'print the design (contract: design-output) as JSON on stdout')
    .option('--csv <file>', 'write the plan of the test ranked --test (default 1) as CSV: geo, group, channel, week, planned spend')
    .option('--test <rank>', 'which test --csv writes', number('--test'), 1)
    .action(async (id: string, flags: { channel?: string[]; weeks?: number; maxCost?: number; start?: string; json?: boolean; csv?: string; test: number }, cmd: Command) => {
      if (flags.weeks !== undefined && !(Number.isInteger(flags.weeks) && flags.weeks >= 1 && flags.weeks <= 52)) throw badInput(`--weeks must be a whole number of weeks from 1 to 52; got ${flags.weeks}`);
      const out = await designModel(existingWorkspace(cmd.optsWithGlobals()), id, { channels: flags.channel, weeks: flags.weeks, maxCost: flags.maxCost, start: flags.start }, { plans: !!flags.csv });
      for (const n of out.notes) process.stderr.write(`note: ${n}\n`);
      if (flags.csv) {
        const rows = out.plans?.[flags.test];
        if (!rows) throw badInput(`--test ${flags.test}: the design has ${out.tests.length} test${out.tests.length === 1 ? '' : 's'}`);
        writeOutput('--csv', flags.csv, testPlanCsv(rows));
        process.stderr.write(`wrote the plan of test ${flags.test} (${rows.length} rows) to ${flags.csv}\n`);
      }
      const { plans: _plans, ...design } = out;
      if (flags.json) printJson(design);
      else process.stdout.write(formatDesign(out));
    });
}

export function formatDesign(d: DesignOutput): string {
  const r = (v: number) => v.toFixed(2);
  const iv = (x: [number, number]) => `${r(x[0])}–${r(x[1])}`;
  const change = (s: number) => (s === -1 ? 'dark' : `${s > 0 ? '+' : ''}${Math.round(100 * s)}%`);
  const lines = [`design on model ${d.model} (${d.draws} posterior draws)`, ''];
  for (const c of d.channels) lines.push(`  ${c.channel}: ${c.reason}; ROI 90% ${iv(c.roiIntervalNow)} now`);
  if (!d.tests.length) return `${lines.join('\n')}\n\nno test to propose\n`;
  lines.push('', ...renderTable([
    { header: '#', align: 'right' }, { header: 'channel' }, { header: 'test' }, { header: 'window' }, { header: 'change' },
    { header: 'expected lift', align: 'right' }, { header: '± se', align: 'right' }, { header: 'power', align: 'right' },
    { header: 'ROI now' }, { header: 'ROI after (expected)' }, { header: 'cost', align: 'right' }, { header: 'narrowing per 1k', align: 'right' },
  ], d.tests.map((t) => [
    String(t.rank), t.channel,
    testKindText(t),
    `${t.start}…${t.end} (${t.periods.length})`, change(t.spendChange),
    money(t.expectedLift), money(t.expectedLiftSe), formatPercent(t.power), iv(t.roiIntervalNow), iv(t.expectedRoiInterval), money(t.cost), (t.informationPerCost).toPrecision(2),
  ]), '  '));
  if (d.tests.some((t) => t.kind === 'time')) lines.push(ABBA_NOTE);
  lines.push('');
  for (const t of d.tests) {
    const where = t.kind === 'geo' ? `treatment ${t.treatment!.geos.join(', ')}; control ${t.control!.geos.join(', ')}` : `changed periods ${t.weeks!.join(', ')}`;
    lines.push(`${t.rank}. ${t.channel}, ${change(t.spendChange)} ${t.start}…${t.end}: ${where}`);
    lines.push(`   spend moved ${money(t.spendMoved)}, expected outcome ${t.outcomeChange >= 0 ? 'gained' : 'lost'} ${money(Math.abs(t.outcomeChange))}${t.netCost === null ? '' : `, net cost ${money(t.netCost)}`}; smallest detectable lift ${money(t.minimumDetectableLift)}; removes ${formatPercent(t.information)} of the ROI interval`);
    for (const w of t.warnings) lines.push(`   WARNING: ${w}`);
  }
  lines.push('', 'Enter a result in the config\'s `experiments` as the test\'s `experiment` (--json) with its `lift` and `liftSe`; `--csv FILE` writes a test\'s plan.', '');
  return lines.join('\n');
}
