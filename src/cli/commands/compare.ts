/**
 * `marginal compare MODEL_A MODEL_B … [--json]`: fit and holdout metrics and ROI per channel of stored
 * models side by side, whatever their family (Bayesian intervals are credible intervals, the others'
 * bootstrap intervals).
 */
import type { Command } from 'commander';
import { badInput } from '../../errors.ts';
import { existingWorkspace, printJson } from '../program.ts';
import { formatInterval, formatPercent, formatValue } from '../../units.ts';
import type { Comparison } from '../../analysis/compare.ts';
import { withWorkspace } from '../../data/index.ts';
import { compareModelIds } from '../../app/compare.ts';

export function formatComparison(c: Comparison): string {
  const ids = c.models.map((m) => m.id);
  const w = Math.max(24, ...ids.map((id) => id.length + 2));
  const cell = (s: string) => s.padStart(w);
  const num = (v: number | null | undefined, d = 3) => (v === null || v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(d));
  const pct = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '-' : formatPercent(v));
  const lines = [
    `${''.padEnd(16)}${ids.map(cell).join('')}`,
    `${'family'.padEnd(16)}${c.models.map((m) => cell(m.approximate ? `${m.family} (APPROXIMATE)` : m.family)).join('')}`,
    `${'currency'.padEnd(16)}${c.models.map((m) => cell(m.currency ?? 'not given')).join('')}`,
    `${'R²'.padEnd(16)}${c.models.map((m) => cell(num(m.r2))).join('')}`,
    `${'MAPE'.padEnd(16)}${c.models.map((m) => cell(pct(m.mape))).join('')}`,
    `${'NRMSE'.padEnd(16)}${c.models.map((m) => cell(num(m.nrmse))).join('')}`,
    `${'holdout R²'.padEnd(16)}${c.models.map((m) => cell(num(m.holdout?.r2))).join('')}`,
    `${'holdout MAPE'.padEnd(16)}${c.models.map((m) => cell(pct(m.holdout?.mape))).join('')}`,
    `${'warnings'.padEnd(16)}${c.models.map((m) => cell(String(m.warnings))).join('')}`,
    '',
    `ROI [90% interval]${c.models.some((m) => m.roiUnit === 'conversions-per-spend') ? ' (conversions per unit of spend for conversions models without a revenue per conversion)' : ''}`,
    ...c.channels.map((ch) => `${ch.name.padEnd(16)}${ids.map((id) => {
      const v = ch.models[id];
      const u = c.models.find((m) => m.id === id)!.roiUnit;
      return cell(v ? `${formatValue(v.roi, u)}${v.roiInterval ? ` ${formatInterval(v.roiInterval, u)}` : ''}` : '-');
    }).join('')}`),
    '',
    `marginal ROI [90% interval]`,
    ...c.channels.map((ch) => `${ch.name.padEnd(16)}${ids.map((id) => {
      const v = ch.models[id];
      const u = c.models.find((m) => m.id === id)!.roiUnit;
      return cell(v ? `${formatValue(v.mroi, u)}${v.mroiInterval ? ` ${formatInterval(v.mroiInterval, u)}` : ''}` : '-');
    }).join('')}`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  program
    .command('compare')
    .description('Compare stored models side by side: fit, holdout fit and ROI per channel')
    .argument('<models...>', 'model ids (at least two; see `marginal models`)')
    .option('--json', 'print the comparison as JSON')
    .action(async (ids: string[], flags: { json?: boolean }, cmd: Command) => {
      if (ids.length < 2) throw badInput(`compare needs at least two model ids; got ${ids.length}`);
      const comparison = await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), (ws) => compareModelIds(ws, ids));
      if (flags.json) printJson(comparison);
      else process.stdout.write(formatComparison(comparison));
    });
}
