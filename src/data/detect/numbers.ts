/**
 * Number formats in text cells. By default a number is plain: `-1234.5`, `1e6`, `.5`. Thousands
 * separators are refused with a hint, because `1,234` could be 1234 or 1.234: `--number-format us`
 * reads `1,234.5` and `--number-format eu` reads `1.234,5`. Both also read a currency symbol written
 * with the number (`$1,234.56`, `1.234,56 €`), as exports of ad platforms and web analytics do.
 */
export type NumberFormat = 'plain' | 'us' | 'eu';

const PLAIN = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const US = /^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$/;
const EU = /^[-+]?\d{1,3}(\.\d{3})+(,\d*)?$|^[-+]?\d+,\d+$/;

export function isPlainNumber(v: string): boolean {
  return PLAIN.test(v.trim());
}

/**
 * Markers spreadsheets and statistics tools write for a missing or undefined number (R's NA, pandas'
 * nan, Excel's #N/A and #DIV/0!, inf): in a column of numbers they are bad cells to name, not categories.
 */
export function isMissingMarker(v: string): boolean {
  return /^([-+]?(nan|inf|infinity)|na|n\/a|#n\/a|null|none|#div\/0!|#value!|#num!)$/i.test(v.trim());
}

/** Why a text value is not a number, in words, or null when it is one. */
export function whyNotNumber(v: string): string {
  const t = v.trim();
  if (/^[-+]?(nan|inf|infinity)$/i.test(t)) return `${t} is not a finite number`;
  if (isMissingMarker(t)) return `${t} marks a missing value: leave the cell empty (an empty cell is read as missing) or give the number`;
  if (US.test(t)) return "uses ',' as a thousands separator; pass --number-format us to read 1,234.5 as 1234.5";
  if (EU.test(t)) return "uses '.' and ',' as thousands and decimal separators; pass --number-format eu to read 1.234,5 as 1234.5";
  return 'is not a number';
}

/** SQL that turns a VARCHAR expression in the given format into text DuckDB casts as a plain number. */
export function normalizeNumberSql(expr: string, format: NumberFormat): string {
  const bare = `trim(regexp_replace(${expr}, '[$€£¥]', '', 'g'))`;
  if (format === 'us') return `replace(${bare}, ',', '')`;
  if (format === 'eu') return `replace(replace(${bare}, '.', ''), ',', '.')`;
  return `trim(${expr})`;
}

/** The regular expression (for DuckDB's regexp_full_match) a valid number matches after normalizing. */
export const NUMBER_REGEX = '[-+]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][-+]?[0-9]+)?';
