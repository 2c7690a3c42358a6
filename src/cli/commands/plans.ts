import { writeOutput } from '../writeOutput.ts';
import type { Command } from 'commander';
import { badInput } from '../../errors.ts';
import { PLAN_TABLES, planCsv, planWorkbook, type PlanTable } from '../../app/planExport.ts';
import { withWorkspace } from '../../data/index.ts';
import { deletePlan, getPlan, listPlans, renamePlan } from '../../data/plans.ts';
import { formatPlan } from './optimize.ts';
import { planName, type PlanComparison, type PlanResult } from '../../planning/index.ts';
import { existingWorkspace, printJson } from '../program.ts';
import { formatAmount as money, formatAmountInterval as iv, formatInterval, formatValue } from '../../units.ts';

/** Plan B against plan A (src/app/plan.ts, as the API's comparison). */
export async function comparePlanPair(workspace: string, a: string, b: string): Promise<PlanComparison> {
  return withWorkspace(workspace, async (ws) => (await (await import('../../app/plan.ts')).comparePlanIds(ws, [a, b])).comparisons[0]);
}

// Amounts to every digit; ROI (revenue or conversions per unit of spend: the same digits) to 3 significant digits.
const roi = (v?: number | null) => formatValue(v, 'revenue-per-spend');
const roiInterval = (x?: [number, number]) => formatInterval(x, 'revenue-per-spend');

export function register(program: Command): void {
  const plans = program
    .command('plans')
    .description('List the saved plans; `plans compare A B` puts two side by side')
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }, cmd: Command) => {
      const list = await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), (ws) => listPlans(ws));
      if (flags.json) printJson(list);
      else if (!list.length) process.stdout.write('no plans yet: run `marginal optimize PLAN.json`\n');
      else for (const p of list) process.stdout.write(`${p.id}\t${p.name}\t${p.model}\tbudget ${money(p.budget ?? NaN)}${p.units?.currency ? ` ${p.units.currency}` : ''}\texpected ${money(p.expected ?? NaN)}${p.units?.expected === 'conversions' ? ' conversions' : p.units?.currency ? ` ${p.units.currency}` : ''}\tROI ${roi(p.roi)}\t${p.createdAt}\n`);
    });
  plans
    .command('show')
    .description('One saved plan: its allocation, totals and forecast, as `optimize` printed them')
    .argument('<id>', 'plan id')
    .option('--json', 'print the plan (spec and result) as JSON')
    .action(async (id: string, flags: { json?: boolean }, cmd: Command) => {
      const p = await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), (ws) => getPlan(ws, id));
      if (flags.json || cmd.optsWithGlobals<{ json?: boolean }>().json) printJson(p);
      else process.stdout.write(`name: ${p.name}\n${formatPlan({ planId: p.id, ...(p.result as PlanResult) })}`);
    });
  plans
    .command('export')
    .description('A saved plan as CSV (one table) or as an XLSX workbook (allocation, forecast by period and by month)')
    .argument('<id>', 'plan id')
    .requiredOption('--out <file>', 'FILE.csv or FILE.xlsx')
    .option('--table <t>', `with .csv: ${PLAN_TABLES.join('|')}`, 'allocation')
    .action(async (id: string, flags: { out: string; table: string }, cmd: Command) => {
      if (!(PLAN_TABLES as readonly string[]).includes(flags.table)) throw badInput(`--table must be one of ${PLAN_TABLES.join(', ')}; got '${flags.table}'`);
      if (!/\.(csv|xlsx)$/i.test(flags.out)) throw badInput(`--out must end in .csv or .xlsx; got '${flags.out}'`);
      const p = await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), (ws) => getPlan(ws, id));
      const r = p.result as PlanResult;
      const body = /\.xlsx$/i.test(flags.out) ? await planWorkbook(r, id) : planCsv(r, flags.table as PlanTable);
      writeOutput('--out', flags.out, body);
      process.stdout.write(`wrote ${flags.out}\n`);
    });
  plans
    .command('rename')
    .description('Give a saved plan another name (its id stays)')
    .argument('<id>', 'plan id')
    .argument('<name>', 'the new name')
    .action(async (id: string, name: string, _flags: unknown, cmd: Command) => {
      const checked = planName(name);
      await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), (ws) => renamePlan(ws, id, checked));
      process.stdout.write(`renamed plan '${id}' to '${checked}'\n`);
    });
  plans
    .command('delete')
    .description('Delete a saved plan')
    .argument('<id>', 'plan id')
    .action(async (id: string, _flags: unknown, cmd: Command) => {
      await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), (ws) => deletePlan(ws, id));
      process.stdout.write(`deleted plan '${id}'\n`);
    });
  plans
    .command('compare')
    .description('Two saved plans side by side: budget, spend per channel, expected outcome and ROI with intervals, difference (B − A)')
    .argument('<a>', 'plan id')
    .argument('<b>', 'plan id')
    .option('--json', 'print as JSON')
    .action(async (a: string, b: string, flags: { json?: boolean }, cmd: Command) => {
      const c = await comparePlanPair(existingWorkspace(cmd.optsWithGlobals()), a, b);
      // `plans` has its own --json, which commander gives to the parent when it follows the ids.
      if (flags.json || cmd.optsWithGlobals<{ json?: boolean }>().json) { printJson(c); return; }
      const lines = [
        `A ${c.a.id} (model ${c.a.model}, ${c.a.periods} periods${c.a.currency ? `, ${c.a.currency}` : ''})  vs  B ${c.b.id} (model ${c.b.model}, ${c.b.periods} periods${c.b.currency ? `, ${c.b.currency}` : ''})`, '',
        'channel                 spend A      spend B       B − A     expected A (90%)                   expected B (90%)                   B − A',
        ...c.rows.map((r) => `${r.key.padEnd(18)} ${money(r.spendA).padStart(12)} ${money(r.spendB).padStart(12)} ${money(r.spendDiff).padStart(11)}   ${`${money(r.expectedA)} ${iv(r.expectedIntervalA)}`.padEnd(34)} ${`${money(r.expectedB)} ${iv(r.expectedIntervalB)}`.padEnd(34)} ${money(r.expectedDiff)}${r.expectedDiffInterval ? ` ${iv(r.expectedDiffInterval)}` : ''}`),
        '',
        `budget    A ${money(c.a.budget)}   B ${money(c.b.budget)}   B − A ${money(c.difference.budget)}`,
        `expected  A ${money(c.a.total.expected)} ${iv(c.a.total.expectedInterval)}   B ${money(c.b.total.expected)} ${iv(c.b.total.expectedInterval)}   B − A ${money(c.difference.expected)}${c.difference.expectedInterval ? ` ${iv(c.difference.expectedInterval)} (90%, ${c.difference.intervalBasis})` : ''}`,
        `ROI       A ${roi(c.a.total.roi)} ${roiInterval(c.a.total.roiInterval)}   B ${roi(c.b.total.roi)} ${roiInterval(c.b.total.roiInterval)}   B − A ${roi(c.difference.roi)}`,
        ...(c.a.total.cpa !== undefined && c.b.total.cpa !== undefined ? [`CPA       A ${money(c.a.total.cpa)} ${iv(c.a.total.cpaInterval)}   B ${money(c.b.total.cpa)} ${iv(c.b.total.cpaInterval)}   B − A ${money(c.b.total.cpa - c.a.total.cpa)}`] : []),
        ...c.notes.map((n) => `note: ${n}`), '',
      ];
      process.stdout.write(lines.join('\n'));
    });
}
