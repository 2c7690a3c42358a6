import type { Command } from 'commander';
import { renderTable, type Cell } from '../table.ts';
import { formatInterval, formatPercent, formatValue, unitLabel, type Unit } from '../../units.ts';
import { unitsLine } from './fit.ts';
import { insightTables, type Insights } from '../../analysis/index.ts';
import { describeWritten, writeTables } from '../../data/tables.ts';
import { modelInsights } from '../../app/insights.ts';
import { existingWorkspace, printJson } from '../program.ts';
import { SUBCHANNEL_NOTE } from '../../analysis/subchannelRule.ts';

export function register(program: Command): void {
  program
    .command('insights')
    .description('What a fitted model says: decomposition, ROI and marginal ROI, response curves, adstock, fit, health')
    .argument('<model>', 'model id (see `marginal models`)')
    .option('--json', 'print every table as JSON on stdout')
    .option('--out <dir>', 'write every table as CSV and Parquet into this folder')
    .option('--no-geo-curves', 'national response curves only (geo models)')
    .action(async (id: string, flags: { json?: boolean; out?: string; geoCurves?: boolean }, cmd: Command) => {
      const x = await modelInsights(existingWorkspace(cmd.optsWithGlobals()), id, { perGeo: flags.geoCurves });
      if (flags.out) {
        const written = await writeTables(flags.out, insightTables(x));
        (flags.json ? process.stderr : process.stdout).write(`${describeWritten(written, flags.out)}\n`);
      }
      if (flags.json) printJson(x);
      else if (!flags.out) process.stdout.write(formatInsights(x));
    });
}

function formatInsights(x: Insights): string {
  const n = (v: unknown, d = 2) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '-');
  const u = x.units, cur = u.currency;
  const f = (v: unknown, unit: Unit) => formatValue(typeof v === 'number' ? v : null, unit, cur, { compact: false });
  const iv = (lo: unknown, hi: unknown, unit: Unit): Cell => ({ text: formatInterval([lo as number, hi as number], unit, cur, { compact: false }), short: formatInterval([lo as number, hi as number], unit, cur, { compact: true }) });
  const cpa = u.cpa !== null;
  const channelRows = x.channels.map((c) => [
    String(c.channel), f(c.spend, 'currency'), f(c.shareOfSpend, 'share'), f(c.shareOfEffect, 'share'),
    f(c.roi, u.roi), iv(c.roiLow, c.roiHigh, u.roi), f(c.mroi, u.mroi), iv(c.mroiLow, c.mroiHigh, u.mroi),
    ...(cpa ? [f(c.cpa, 'currency-per-conversion'), iv(c.cpaLow, c.cpaHigh, 'currency-per-conversion')] : []),
    c.breakEvenSpend === null ? '-' : f(c.breakEvenSpend, 'currency'),
  ]);
  const lines = [
    `model ${x.modelId} (${x.family}), target ${x.target.column} (${x.target.kind}, in ${unitLabel(u.outcome, cur)})`, '',
    'health:', ...x.health.map((h) => `  [${h.level.toUpperCase()}] ${h.topic}: ${h.text}`), '',
    'fit:', ...x.fit.map((r) => `  ${String(r.sample).padEnd(10)} n ${r.n}  R² ${n(r.r2, 3)}  MAPE ${formatPercent(r.mape as number)}  sMAPE ${formatPercent(r.smape as number)}  RMSE ${f(r.rmse, u.outcome)}  NRMSE ${n(r.nrmse, 3)}`), '',
    `  ${unitsLine(u)}`,
    ...renderTable([
      { header: 'channel' }, { header: 'spend', align: 'right' }, { header: 'share', align: 'right' }, { header: 'effect', align: 'right' },
      { header: u.roi === 'revenue-per-spend' ? 'ROI' : 'conv./spend', align: 'right' }, { header: '[90%]' }, { header: u.roi === 'revenue-per-spend' ? 'marginal ROI' : 'marginal', align: 'right' }, { header: '[90%]' },
      ...(cpa ? [{ header: 'CPA', align: 'right' as const }, { header: '[90%]' }] : []),
      { header: 'break-even spend', align: 'right' },
    ], channelRows, '  '),
    ...organicLines(x, f, iv),
    ...subchannelLines(x, f, iv),
    '', `contributions (${unitLabel(u.outcome, cur)}; share of the prediction):`,
    ...renderTable([{ header: 'kind' }, { header: 'part' }, { header: 'total', align: 'right' }, { header: 'share', align: 'right' }, { header: 'measured' }],
      x.contributions.map((r) => [String(r.kind), String(r.name), f(r.total, u.outcome), f(r.share, 'share'), String(r.reference ?? '')]), '  '),
    ...liftTestLines(x, f, iv),
    '', 'Every table: --json, or --out DIR for CSV and Parquet.', '',
  ];
  return lines.join('\n');
}

/** Organic channels: what they added, with no ROI (they have no spend). */
function organicLines(x: Insights, f: (v: unknown, unit: Unit) => string, iv: (lo: unknown, hi: unknown, unit: Unit) => Cell): string[] {
  if (!x.organic.length) return [];
  const u = x.units;
  return [
    '', `organic channels (no spend, so no ROI; ${unitLabel(u.outcome, u.currency)}, 90% intervals):`,
    ...renderTable([
      { header: 'channel' }, { header: 'activity', align: 'right' }, { header: 'contribution', align: 'right' }, { header: '[90%]' },
      { header: 'share', align: 'right' }, { header: '[90%]' }, { header: 'per unit of activity', align: 'right' }, { header: '[90%]' },
    ], x.organic.map((o) => [
      String(o.channel), f(o.activity, 'count'), f(o.contribution, u.outcome), iv(o.contributionLow, o.contributionHigh, u.outcome),
      f(o.share, 'share'), iv(o.shareLow, o.shareHigh, 'share'), f(o.perUnit, u.outcome), iv(o.perUnitLow, o.perUnitHigh, u.outcome),
    ]), '  '),
    // Each one's response curve in a line: the outcome it would add at multiples of its volume.
    ...x.organic.flatMap((o) => {
      const pts = x.organicCurves.filter((r) => r.channel === o.channel && Number(r.multiplier) > 0 && Number(r.multiplier) !== 1); // at 100% the table's stored figure stands
      return pts.length ? [`  ${String(o.channel)} at ${pts.map((r) => `${Math.round(100 * Number(r.multiplier))}% of its volume: ${f(r.expected, u.outcome)}`).join(' · ')}`] : [];
    }),
  ];
}

/** Sub-channels under their channel: spend, contribution and ROI with their 90% intervals, and the rule's note. */
function subchannelLines(x: Insights, f: (v: unknown, unit: Unit) => string, iv: (lo: unknown, hi: unknown, unit: Unit) => Cell): string[] {
  if (!x.subchannels?.length) return [];
  const u = x.units;
  const dash = (lo: unknown, hi: unknown, unit: Unit): Cell => (lo === null || hi === null ? '-' : iv(lo, hi, unit));
  return [
    '', `sub-channels (contribution in ${unitLabel(u.outcome, u.currency)}; share of the channel's contribution):`,
    ...renderTable([
      { header: 'channel' }, { header: 'sub-channel' }, { header: 'spend', align: 'right' }, { header: 'contribution', align: 'right' }, { header: '[90%]' },
      { header: 'share', align: 'right' }, { header: '[90%]' }, { header: u.roi === 'revenue-per-spend' ? 'ROI' : 'conv./spend', align: 'right' }, { header: '[90%]' },
    ], x.subchannels.map((r) => [
      String(r.channel), String(r.subchannel), f(r.spend, 'currency'), f(r.contribution, u.outcome), dash(r.contributionLow, r.contributionHigh, u.outcome),
      f(r.share, 'share'), dash(r.shareLow, r.shareHigh, 'share'), f(r.roi, u.roi), dash(r.roiLow, r.roiHigh, u.roi),
    ]), '  '),
    `  ${SUBCHANNEL_NOTE}`,
  ];
}

/**
 * The model against each lift test, and what each test taught: the channel's ROI interval in this fit
 * beside the one before the test and the one `marginal design` predicted (tests entered from a design).
 */
function liftTestLines(x: Insights, f: (v: unknown, unit: Unit) => string, iv: (lo: unknown, hi: unknown, unit: Unit) => Cell): string[] {
  if (!x.liftTests.length) return [];
  const u = x.units, roi = u.roi;
  const dash = (lo: unknown, hi: unknown): Cell => (lo === null || hi === null ? '-' : iv(lo, hi, roi));
  const change = (v: number | null) => (v === null ? 'contribution' : v === -1 ? 'dark' : `${v > 0 ? '+' : ''}${Math.round(100 * v)}%`);
  // The 95% range the design expected the result in; 'outside' when the model before the test was off.
  const expectedBefore = (t: Insights['liftTests'][number]): Cell => {
    if (t.expectedResultLow === null || t.expectedResultHigh === null) return '-';
    const cell = iv(t.expectedResultLow, t.expectedResultHigh, u.outcome);
    const mark = t.measured < t.expectedResultLow || t.measured > t.expectedResultHigh ? ' outside' : '';
    return typeof cell === 'string' ? cell + mark : { text: cell.text + mark, short: cell.short + mark };
  };
  return [
    '', `lift tests (${unitLabel(u.outcome, u.currency)}; ROI 90% intervals):`,
    ...renderTable([
      { header: 'channel' }, { header: 'geos' }, { header: 'window' }, { header: 'change' }, { header: 'measured', align: 'right' },
      { header: 'expected before (95%)' }, { header: 'model', align: 'right' }, { header: 'gap (SE)', align: 'right' },
      { header: 'ROI before' }, { header: 'predicted' }, { header: 'ROI now' },
    ], x.liftTests.map((t) => [
      t.channel, t.geo ?? 'all', `${t.start}…${t.end}`, change(t.spendChange), `${f(t.measured, u.outcome)} ± ${f(t.measuredSe, u.outcome)}`,
      expectedBefore(t),
      f(t.model, u.outcome), t.z.toFixed(1),
      dash(t.roiBeforeLow, t.roiBeforeHigh), dash(t.roiPredictedLow, t.roiPredictedHigh), dash(t.roiLow, t.roiHigh),
    ]), '  '),
  ];
}
