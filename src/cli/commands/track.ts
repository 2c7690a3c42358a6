/**
 * `marginal track PLAN --data ID|FILE [--json] [--no-replan]`: a plan in flight — actual outcome
 * against the plan's forecast per period, spend against plan per channel, and the rest re-optimized.
 */
import { existsSync } from 'node:fs';
import { badInput } from '../../errors.ts';
import type { Command } from 'commander';
import { trackPlan, type TrackResult } from '../../app/track.ts';
import { formatAmount as money, formatAmountInterval as iv } from '../../units.ts';
import { renderTable } from '../table.ts';
import { existingWorkspace, printJson } from '../program.ts';
import { formatPlan } from './optimize.ts';

export function register(program: Command): void {
  program
    .command('track')
    .description('A saved plan in flight: actual against forecast per period, spend against plan, and the rest of the budget re-optimized')
    .argument('<plan>', 'plan id (see `marginal plans`)')
    .requiredOption('--data <id|file>', 'the new data: a harmonized table id, or a CSV/Parquet/XLSX file with the model\'s date, outcome and spend columns')
    .option('--json', 'print the tracking as JSON')
    .option('--no-replan', 'do not re-optimize the periods left')
    .action(async (planId: string, flags: { data: string; json?: boolean; replan?: boolean }, cmd: Command) => {
      const isFile = /\.(csv|tsv|txt|parquet|xlsx)$/i.test(flags.data);
      if (isFile && !existsSync(flags.data)) throw badInput(`--data: no file '${flags.data}'`);
      const source = isFile ? { file: flags.data } : { harmonized: flags.data };
      const t = await trackPlan(existingWorkspace(cmd.optsWithGlobals()), planId, source, { replan: flags.replan });
      if (flags.json) printJson(t);
      else process.stdout.write(formatTrack(t));
    });
}

export function formatTrack(t: TrackResult): string {
  const lines = [
    `plan ${t.plan} on model ${t.model} (${t.start} to ${t.end}): ${t.covered} of ${t.periods} periods covered by ${t.data}${t.currency ? `; amounts in ${t.currency}` : ''}`, '',
    ...renderTable([{ header: 'period' }, { header: 'actual', align: 'right' }, { header: 'forecast', align: 'right' }, { header: '[90%]' }, { header: '' }],
      t.weeks.map((w) => [w.period, money(w.actual), money(w.expected), iv([w.low, w.high]), w.inside ? '' : (w.actual > w.high ? 'ABOVE' : 'BELOW')])),
    `${t.outside} of ${t.covered} periods outside the 90% interval (about ${(0.1 * t.covered).toFixed(1)} expected by chance); actual ${money(t.total.actual)} against ${money(t.total.expected)} forecast`, '',
    ...renderTable([{ header: 'channel' }, { header: 'planned spend', align: 'right' }, { header: 'actual spend', align: 'right' }, { header: 'difference', align: 'right' }],
      t.channels.map((c) => [c.channel, money(c.planned), money(c.actual), `${c.difference >= 0 ? '+' : ''}${money(c.difference)}`])),
    '', ...t.notes.map((n) => `note: ${n}`), '',
  ];
  if (t.remainder) lines.push(`the rest of the plan, re-optimized on the ${money(t.remainder.budgetLeft)} left:`, formatPlan({ planId: null, ...t.remainder }));
  return lines.join('\n');
}
