/**
 * A saved plan as tables to take to a budget meeting: the allocation (with the reference mix and
 * whether a row is extrapolated), the forecast per period and by calendar month with 90% intervals;
 * as CSV (one table) or as one XLSX workbook with a sheet each (`marginal plans export`, the API, the web).
 */
// Loaded when a workbook is written (a quarter of a second of start-up otherwise).
import type ExcelJS from 'exceljs';
import { toCsv } from '../data/index.ts';
import type { PlanResult } from '../planning/index.ts';

export const PLAN_TABLES = ['allocation', 'forecast', 'monthly'] as const;
export type PlanTable = (typeof PLAN_TABLES)[number];
type Row = Record<string, string | number | boolean | null>;

export function planTables(r: PlanResult): Record<PlanTable, Row[]> {
  const allocation = r.allocation.map((a, i) => ({
    channel: a.channel, geo: a.geo ?? '', spend: a.spend, referenceSpend: r.baseline.allocation[i]?.spend ?? null,
    expected: a.expected, expectedLow: a.expectedInterval?.[0] ?? null, expectedHigh: a.expectedInterval?.[1] ?? null, mroi: a.mroi,
    mostSpentInData: a.observedMax ?? null, extrapolated: a.extrapolated ?? false,
  }));
  const rows = (f: PlanResult['forecast']) => f.flatMap((m) => m.periods.map((p) => ({
    model: m.model, period: p.period, expected: p.expected, expectedLow: p.expectedInterval[0], expectedHigh: p.expectedInterval[1], base: p.base, media: p.media,
  })));
  return { allocation, forecast: rows(r.forecast), monthly: rows(r.forecastMonthly ?? []) };
}

export function planCsv(r: PlanResult, table: PlanTable): string {
  return toCsv(planTables(r)[table]);
}

/** One workbook, a sheet per table, numbers as numbers (so a spreadsheet can add them up). */
export async function planWorkbook(r: PlanResult, id: string): Promise<Buffer> {
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  wb.creator = 'Marginal';
  const tables = planTables(r);
  const titles: Record<PlanTable, string> = { allocation: 'Allocation', forecast: 'Forecast by period', monthly: 'Forecast by month' };
  for (const name of PLAN_TABLES) {
    const rows = tables[name];
    if (!rows.length) continue;
    const sheet = wb.addWorksheet(titles[name]);
    sheet.columns = Object.keys(rows[0]).map((key) => ({ header: key, key, width: Math.max(12, key.length + 2) }));
    sheet.addRows(rows);
    sheet.getRow(1).font = { bold: true };
  }
  wb.addWorksheet('About').addRows([[`Plan ${id} on model ${r.model}`], [`${r.periods} periods from ${r.start} to ${r.end}, budget ${r.budget}`], ...r.notes.map((n) => [n])]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
