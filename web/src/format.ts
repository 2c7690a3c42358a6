/**
 * Numbers for people, in the web app: a thin re-export of src/units.ts, the one formatter the CLI and
 * the HTML report use too. There is no app-wide currency: every amount is formatted with the currency
 * of the model, plan or dataset it belongs to (null: no symbol, never another model's).
 */
import { formatDecimals, formatPercent, formatValue } from '../../src/units.ts';

/** An amount of money in `currency` (the model's, plan's or table's), shortened (1.2M) unless `compact` is false. */
export function money(v: number | null | undefined, currency: string | null, compact = true): string {
  return formatValue(v, 'currency', currency, { compact });
}
export const num = formatDecimals;
export const pct = formatPercent;
export function interval(lo: unknown, hi: unknown, f: (v: number) => string = (v) => num(v)): string {
  return typeof lo === 'number' && typeof hi === 'number' ? `[${f(lo)}, ${f(hi)}]` : '';
}

export { commonCurrency, compactNumber, trimZeros, figureUnits, formatAmount, formatAmountInterval, formatInterval, formatTimestamp, formatValue, roiName, unitLabel, type FigureUnits, type Unit } from '../../src/units.ts';
