/** Numbers for people: money in the dataset's currency, compact large numbers, ratios, percents. */
let currency: string | null = null;
export function setCurrency(c: string | null): void { currency = c; }
export function getCurrency(): string | null { return currency; }

export function money(v: number | null | undefined, compact = true): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const opts: Intl.NumberFormatOptions = compact && Math.abs(v) >= 10_000 ? { notation: 'compact', maximumFractionDigits: 2 } : { maximumFractionDigits: 0 };
  if (currency) return new Intl.NumberFormat('en-US', { ...opts, style: 'currency', currency }).format(v);
  return new Intl.NumberFormat('en-US', opts).format(v);
}
export function num(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: Math.abs(v) < 100 ? Math.min(digits, 2) : 0 }).format(v);
}
export function pct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return `${(100 * v).toFixed(digits)}%`;
}
export function interval(lo: unknown, hi: unknown, f: (v: number) => string = (v) => num(v)): string {
  return typeof lo === 'number' && typeof hi === 'number' ? `[${f(lo)}, ${f(hi)}]` : '';
}

// The model's figures are formatted by the one shared module the CLI and the report use.
export { figureUnits, formatInterval, formatValue, roiName, unitLabel, type FigureUnits, type Unit } from '../../src/units.ts';
