/**
 * Date formats we recognize, how to spot them in sample values, and how DuckDB parses them.
 *
 * Detection looks at sample values of a column: every non-empty value must match one format's
 * pattern. `M/D/YYYY` and `D/M/YYYY` are told apart by a first or second part above 12; when no value
 * settles it the column is read as `M/D/YYYY` and the result carries `ambiguous: true` (pass
 * `--date-format D/M/YYYY` to choose the other). Excel serial day numbers (e.g. 45292 = 2024-01-01)
 * are recognized in the range 1 … 2958465.
 */
import { badInput } from '../../errors.ts';
export const DATE_FORMATS = ['YYYY-MM-DD', 'YYYY-MM-DD hh:mm:ss', 'YYYY/MM/DD', 'M/D/YYYY', 'D/M/YYYY', 'D.M.YYYY', 'YYYYMMDD', 'YYYY', 'excel'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const PATTERNS: Record<DateFormat, RegExp> = {
  'YYYY-MM-DD': /^\d{4}-\d{1,2}-\d{1,2}$/,
  'YYYY-MM-DD hh:mm:ss': /^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC)?$/,
  'YYYY/MM/DD': /^\d{4}\/\d{1,2}\/\d{1,2}$/,
  'M/D/YYYY': /^\d{1,2}\/\d{1,2}\/\d{4}$/,
  'D/M/YYYY': /^\d{1,2}\/\d{1,2}\/\d{4}$/,
  'D.M.YYYY': /^\d{1,2}\.\d{1,2}\.\d{4}$/,
  // GA4 writes its Date dimension as 20240131; a bare year (annual data: `year` 1907, 1908…) is that year's 1 January.
  YYYYMMDD: /^(1[89]|20|21)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/,
  YYYY: /^(1[0-9]|2[0-9])\d{2}$/,
  excel: /^\d{1,7}(\.\d+)?$/,
};

/** The strptime pattern DuckDB's CSV reader uses for a format (excel and timestamps are read otherwise). */
export const STRPTIME: Record<DateFormat, string | null> = {
  'YYYY-MM-DD': '%Y-%m-%d',
  'YYYY-MM-DD hh:mm:ss': null,
  'YYYY/MM/DD': '%Y/%m/%d',
  'M/D/YYYY': '%m/%d/%Y',
  'D/M/YYYY': '%d/%m/%Y',
  'D.M.YYYY': '%d.%m.%Y',
  YYYYMMDD: '%Y%m%d',
  YYYY: '%Y',
  excel: null,
};

/** Formats any number column could match: only read in a column named like a date. */
const NUMERIC = new Set<DateFormat>(['YYYYMMDD', 'YYYY', 'excel']);

export interface DateDetection {
  format: DateFormat;
  ambiguous: boolean;
}

/** The formats whose pattern a single value matches. */
export function formatsOf(value: string): DateFormat[] {
  const v = value.trim();
  return DATE_FORMATS.filter((f) => PATTERNS[f].test(v) && (f !== 'excel' || isExcelSerial(v)));
}

function isExcelSerial(v: string): boolean {
  const x = Number(v);
  return Number.isFinite(x) && x >= 1 && x < 2958466;
}

/** Whether a column name suggests a date. */
export function isDateName(name: string): boolean {
  return /^(date|ds|time|timestamp|week|date_week|week_start|day|period|month|year|datetime|dt)$/i.test(name.trim()) || /date/i.test(name);
}

/**
 * Detects the format of a column from sample values: the format most values match, provided at least
 * `minShare` of them do (rows in another format are then reported one by one by the loader); null when
 * they are not dates.
 * Excel serials, YYYYMMDD and bare years are only accepted when `allowExcel` (a date-named column), since
 * plain numbers match them; on a tie YYYYMMDD and YYYY win over Excel serials (listed first).
 * `forced` (from --date-format) wins when every value matches its pattern.
 */
export function detectDateFormat(values: string[], allowExcel: boolean, forced?: DateFormat, minShare = 1): DateDetection | null {
  const vals = values.map((v) => v.trim()).filter((v) => v !== '');
  if (!vals.length) return null;
  if (forced) return { format: forced, ambiguous: false };
  let best: DateFormat | null = null;
  let bestCount = 0;
  for (const f of DATE_FORMATS) {
    if ((NUMERIC.has(f) && !allowExcel) || f === 'D/M/YYYY') continue;
    const n = vals.filter((v) => PATTERNS[f].test(v) && (f !== 'excel' || isExcelSerial(v))).length;
    if (n > bestCount) { best = f; bestCount = n; }
  }
  if (!best || bestCount < minShare * vals.length) return null;
  if (best === 'M/D/YYYY') {
    const parts = vals.filter((v) => PATTERNS['M/D/YYYY'].test(v)).map((v) => v.split('/').map(Number));
    const firstBig = parts.some((p) => p[0] > 12);
    const secondBig = parts.some((p) => p[1] > 12);
    if (firstBig && !secondBig) return { format: 'D/M/YYYY', ambiguous: false };
    return { format: 'M/D/YYYY', ambiguous: !secondBig && !firstBig };
  }
  return { format: best, ambiguous: false };
}

/** Parses one value in a known format to `YYYY-MM-DD` (or null), for in-memory readers. */
export function parseDate(value: string, format: DateFormat): string | null {
  const v = value.trim();
  if (!PATTERNS[format].test(v)) return null;
  let y: number, m: number, d: number;
  if (format === 'YYYY') return `${v}-01-01`;
  if (format === 'YYYYMMDD') return parseDate(`${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6)}`, 'YYYY-MM-DD');
  if (format === 'excel') {
    const ms = Date.UTC(1899, 11, 30) + Math.floor(Number(v)) * 86400000;
    return new Date(ms).toISOString().slice(0, 10);
  }
  const nums = v.split(/[-/. T:]/).map(Number);
  if (format === 'M/D/YYYY') [m, d, y] = nums;
  else if (format === 'D/M/YYYY' || format === 'D.M.YYYY') [d, m, y] = nums;
  else [y, m, d] = nums;
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return null;
  return t.toISOString().slice(0, 10);
}

/** Parses a `--date-format` value. */
export function parseDateFormatOption(v: string | undefined): DateFormat | undefined {
  if (v === undefined) return undefined;
  const f = DATE_FORMATS.find((x) => x.toLowerCase() === v.trim().toLowerCase());
  if (!f) throw badInput(`--date-format must be one of ${DATE_FORMATS.join(', ')}; got '${v}'`);
  return f;
}
