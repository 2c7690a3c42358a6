/**
 * Numbers for people, in the web app: every formatter is src/units.ts's (the one the CLI and the
 * report use); this file only keeps the dataset's currency for `money`.
 */
import { formatDecimals, formatPercent, formatValue } from '../../src/units.ts';

let currency: string | null = null;
export function setCurrency(c: string | null): void { currency = c; }
export function getCurrency(): string | null { return currency; }

/** An amount of money in the dataset's currency, large amounts shortened (1.2M) unless `compact` is false. */
export function money(v: number | null | undefined, compact = true): string {
  return formatValue(v, 'currency', currency, { compact });
}
export const num = formatDecimals;
export const pct = formatPercent;
export function interval(lo: unknown, hi: unknown, f: (v: number) => string = (v) => num(v)): string {
  return typeof lo === 'number' && typeof hi === 'number' ? `[${f(lo)}, ${f(hi)}]` : '';
}

// The model's figures are formatted by the one shared module the CLI and the report use.
export { figureUnits, formatInterval, formatValue, roiName, unitLabel, type FigureUnits, type Unit } from '../../src/units.ts';
