import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { renderTable } from '../table.ts';
import { formatAmount as money, formatAmountInterval as iv, formatPercent, formatValue } from '../../units.ts';
import { badFile } from '../../errors.ts';
// The optimizer's modules (the fitted models, planning) load when a plan runs; `formatPlan` serves `plans` too.
import type { PlanOutput } from '../../app/plan.ts';
import { EXTRAPOLATION_RATIO, parsePlan } from '../../planning/index.ts';
import { existingWorkspace, printJson } from '../program.ts';

/** Reads a plan file, then the plan use case (src/app/plan.ts): optimize, save; returns the output with `planId`. */
export async function optimizePlanFile(workspace: string, file: string, opts: { save?: boolean } = {}): Promise<PlanOutput> {
  let raw: unknown;
  try { raw = JSON.parse(readFileSync(file, 'utf8')); } catch (e) { throw badFile({ file, message: `cannot read the plan as JSON: ${(e as Error).message.split('\n')[0]}` }); }
  return (await import('../../app/plan.ts')).optimizePlan(workspace, parsePlan(raw, file), opts);
}

export function register(program: Command): void {
  program
    .command('optimize')
    .description('Optimize a budget plan (PLAN.json) on a fitted model; the plan is saved in the workspace')
    .argument('<plan>', 'plan file (JSON): { "model", "budget", "periods", "objective", "constraints", … }')
    .option('--json', 'print the plan output (contract: optimize-output) as JSON on stdout')
    .option('--no-save', 'do not save the plan in the workspace')
    .action(async (file: string, flags: { json?: boolean; save?: boolean }, cmd: Command) => {
      const out = await optimizePlanFile(existingWorkspace(cmd.optsWithGlobals()), file, { save: flags.save });
      for (const w of out.warnings) process.stderr.write(`WARNING: ${w}\n`);
      if (flags.json) printJson(out);
      else process.stdout.write(formatPlan(out));
    });
}

/** The guardrail in one line: the band each free channel kept to, or that there was none. */
export function guardrailLine(o: Pick<PlanOutput, 'band'>): string {
  if (!o.band) return 'guardrail: none (band "none"): channels may move anywhere the constraints allow';
  const widened = o.band.applied > o.band.requested ? ` (widened from ±${o.band.requested}% so the budget can be spent)` : '';
  return `guardrail: ${o.band.curves} channel${o.band.curves === 1 ? '' : 's'} kept within ±${o.band.applied}% of the reference mix${widened}; set "band" in the plan to widen it, or give a channel its own constraints`;
}

export function formatPlan(o: PlanOutput): string {
  // In the model's units: ROI is outcome per unit of spend (conversions per unit for a conversions
  // model), with revenue ROI beside it where a revenue per conversion makes one (as in insights).
  const roiName = o.units?.roi === 'conversions-per-spend' ? 'conversions per unit of spend' : 'ROI';
  const ratio = (v: number | undefined) => formatValue(v, o.units?.roi ?? 'revenue-per-spend');
  const roiText = (t: { roi: number; revenueRoi?: number }) => `${roiName} ${ratio(t.roi)}${t.revenueRoi !== undefined ? `, revenue ROI ${formatValue(t.revenueRoi, 'revenue-per-spend')} (at ${money(o.units.revenuePerConversion ?? NaN)} per conversion)` : ''}`;
  const expected = o.units?.expected === 'conversions' ? 'expected conversions' : 'expected';
  const lines = [
    `plan ${o.planId ?? '(not saved)'} on model ${o.model}: ${o.goal}, budget ${money(o.budget)} over ${o.periods} periods (${o.start} to ${o.end})`,
    `units: spend in ${o.units?.currency ?? 'the data\'s currency (not given)'}; ${expected} in ${o.units?.expected === 'conversions' ? 'conversions' : o.units?.currency ?? 'that currency'}`,
    '',
    ...renderTable([{ header: 'channel' }, { header: 'spend', align: 'right' }, { header: 'reference mix spend', align: 'right' }, { header: expected, align: 'right' }, { header: '[90%]' }, { header: o.units?.roi === 'conversions-per-spend' ? 'marginal (conv. per unit)' : 'marginal ROI', align: 'right' }],
      o.allocation.map((a, i) => [`${a.key}${a.extrapolated ? ' *' : ''}`, money(a.spend), money(o.baseline.allocation[i].spend), money(a.expected), iv(a.expectedInterval), ratio(a.mroi)])),
    ...(o.allocation.some((a) => a.extrapolated) ? [`* extrapolation: spend past ${EXTRAPOLATION_RATIO}× the most the data spent on it in any ${o.periods} periods; the curve there is the model's guess`] : []),
    '',
    `total          spend ${money(o.total.spend)}, ${expected} ${money(o.total.expected)} ${iv(o.total.expectedInterval)}, ${roiText(o.total)}`,
    `reference mix  spend ${money(o.baseline.spend)}, ${expected} ${money(o.baseline.expected)} ${iv(o.baseline.expectedInterval)}, ${roiText(o.baseline)}`,
    `gain over the reference mix: ${money(o.total.expected - o.baseline.expected)} (${o.baseline.expected > 0 ? formatPercent(o.total.expected / o.baseline.expected - 1) : "-"})${o.allocation.some((a) => a.extrapolated) ? ', partly from extrapolated spend (*)' : ''}; marginal ROI at the optimum: ${o.equalMroi !== null ? `${ratio(o.equalMroi)} on every channel not at a bound` : o.flights ? 'per flight, below' : 'none (every channel at a bound)'}`,
    guardrailLine(o),
    ...(o.flights ? ['', 'flights:', ...renderTable([{ header: 'flight' }, { header: 'from' }, { header: 'to' }, { header: 'periods', align: 'right' }, { header: 'budget', align: 'right' }, { header: expected, align: 'right' }, { header: '[90%]' }, { header: 'marginal ROI', align: 'right' }],
      o.flights.map((f) => [f.name, f.start, f.end, String(f.periods), money(f.budget), money(f.expected), iv(f.expectedInterval), f.equalMroi === null ? '-' : ratio(f.equalMroi)]))] : []),
  ];
  for (const f of o.forecast) {
    lines.push('', `forecast (${f.model}, total outcome = base + media, 90% prediction intervals):`);
    for (const p of f.periods) lines.push(`  ${p.period}  ${money(p.expected).padStart(12)} ${iv(p.expectedInterval)}  (base ${money(p.base)}, media ${money(p.media)})`);
    lines.push(`  total ${money(f.total.expected)} ${iv(f.total.expectedInterval)}; media carry-over after the plan: ${money(f.carryOverAfter)}`);
  }
  lines.push('', ...o.notes.map((n) => `note: ${n}`), '');
  return lines.join('\n');
}
