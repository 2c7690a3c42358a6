/**
 * Units of a model's figures, and the one formatter every surface (CLI, report, web) uses for them.
 *
 * A figure is stored as a number in its unit, and the unit is stored beside it (`FigureUnits` in the
 * fit output and the insights): spend in the currency; the outcome and each contribution in the
 * target's unit (currency for a revenue target, conversions for a conversions target); ROI and
 * marginal ROI as revenue per unit of spend — or, for a conversions target without a revenue per
 * conversion, conversions per unit of spend; cost per conversion in currency per conversion.
 * No I/O and no Node built-ins: the web app imports this file as it is.
 *
 * Amounts whose unit is said beside them (a column header, a label) use `formatAmount`; parameters of a
 * model (coefficients, curve parameters, penalties) use `formatParameter`; whole counts `formatCount`.
 */

export type Unit = 'currency' | 'conversions' | 'revenue-per-spend' | 'conversions-per-spend' | 'currency-per-conversion' | 'share' | 'count';

export interface FigureUnits {
  /** ISO 4217 code of the spend and revenue (from the ingested data), or null when unknown. */
  currency: string | null;
  spend: 'currency';
  /** The target and every contribution to it. */
  outcome: 'currency' | 'conversions';
  roi: 'revenue-per-spend' | 'conversions-per-spend';
  mroi: 'revenue-per-spend' | 'conversions-per-spend';
  /** Conversions targets only. */
  cpa: 'currency-per-conversion' | null;
}

/** The units of a model's figures from its target (and revenue per conversion) and the data's currency. */
export function figureUnits(target: { kind: 'revenue' | 'conversions'; revenuePerConversion?: unknown }, currency: string | null = null): FigureUnits {
  const conversions = target.kind === 'conversions';
  const revenueRoi = !conversions || (target.revenuePerConversion !== undefined && target.revenuePerConversion !== null);
  const roi = revenueRoi ? 'revenue-per-spend' : 'conversions-per-spend';
  return { currency, spend: 'currency', outcome: conversions ? 'conversions' : 'currency', roi, mroi: roi, cpa: conversions ? 'currency-per-conversion' : null };
}

/** What a unit reads as: "USD", "conversions", "revenue per USD", "USD per conversion". */
export function unitLabel(unit: Unit, currency: string | null): string {
  const money = currency ?? 'currency unit';
  switch (unit) {
    case 'currency': return currency ?? 'currency';
    case 'conversions': return 'conversions';
    case 'revenue-per-spend': return `revenue per ${money} of spend`;
    case 'conversions-per-spend': return `conversions per ${money} of spend`;
    case 'currency-per-conversion': return `${currency ?? 'currency'} per conversion`;
    case 'share': return '%';
    case 'count': return '';
  }
}

/** The name of the ROI figure in a model's units: "ROI" for revenue per spend, else "Conversions per spend". */
export function roiName(units: FigureUnits): string {
  return units.roi === 'revenue-per-spend' ? 'ROI' : `Conversions per ${units.currency ?? 'unit'} of spend`;
}

/** What every formatter shows for a missing or non-finite number (null, undefined, NaN, ±Infinity). */
export const MISSING = '–';
const dash = MISSING;

/** A number to `digits` significant digits without exponent for everyday magnitudes: 0.004213 → "0.00421", 12.3456 → "12.3". */
export function significant(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return dash;
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 10 ** digits) return new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(v);
  const decimals = Math.min(12, Math.max(0, digits - 1 - Math.floor(Math.log10(a))));
  return new Intl.NumberFormat('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }).format(v);
}

const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', minimumSignificantDigits: 3, maximumSignificantDigits: 3 });
const THREE = new Intl.NumberFormat('en-US', { minimumSignificantDigits: 3, maximumSignificantDigits: 3 });
const WHOLE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * An amount shortened for reading, always to 3 significant digits, so a column of amounts reads alike:
 * 446,300 → "446K", 775,560 → "776K", 5,300,000 → "5.30M", 10,145,058 → "10.1M", 2,030,000,000 →
 * "2.03B"; from 1,000 on with K, M, B, T (999.5 rounds to "1.00K", 999.4 stays "999"); below 1,000
 * whole numbers as they are ("12") and the rest to 3 digits ("12.3", "2.50", "0.00421"); an exponent only
 * past 10^15 or below 10^-6. Axis ticks drop the trailing zeros (`trimZeros`: "$5M", not "$5.00M").
 */
export function compactNumber(v: number): string {
  if (!Number.isFinite(v)) return dash;
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e15 || a < 1e-6) return v.toExponential(2);
  const rounded = Number(v.toPrecision(3));
  if (Math.abs(rounded) >= 1000) return COMPACT.format(rounded);
  return Number.isInteger(v) ? WHOLE.format(v) : THREE.format(rounded);
}

/** A formatted number without the trailing zeros of its decimals, for round axis ticks: "$5.00M" → "$5M", "0.500" → "0.5", "2.50%" → "2.5%". */
export function trimZeros(text: string): string {
  return text.replace(/\.(\d*?)0+(?!\d)/, (_, kept: string) => (kept ? `.${kept}` : ''));
}

/** A number in a sentence: grouped digits (27,290,000), 4 significant digits below 1,000 (0.004213); an exponent only past 10^15 (1.0e+308). */
export function plainNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e15) return v.toExponential(1);
  if (a >= 1000) return new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(v);
  return significant(v, 4);
}

/** A whole count with grouped digits: 1234.6 → "1,235" (effective sample sizes, candidate models). */
export function formatCount(v: number): string {
  return Number.isFinite(v) ? new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(v) : dash;
}

const PERCENT = new Map<number, Intl.NumberFormat>();

/**
 * A share in [0, 1] as a percent: 0.4731 → "47.3%" (`digits` decimals, default 1). Every percent of
 * every surface comes through here, rounded the one way (Intl, from the number's decimal value:
 * 0.0315 → "3.2%"), never as `(100 * v).toFixed(1)`, which rounds the binary product 3.1499… down to
 * "3.1%" and so once made the same stored MAPE read differently on two pages. No "-0.0%".
 */
export function formatPercent(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return dash;
  let f = PERCENT.get(digits);
  if (!f) PERCENT.set(digits, f = new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }));
  const text = f.format(v);
  return /^-[0.,]*%$/.test(text) ? text.slice(1) : text;
}

/**
 * A number to at most `digits` decimals, grouped, with at least two decimals below 100 (so a column
 * of small numbers lines up): 2.5 → "2.50", 1234.5 → "1,234.5", 0.004213 with 3 → "0.004".
 */
export function formatDecimals(v: number | null | undefined, digits = 2): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return dash;
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: Math.abs(v) < 100 ? Math.min(digits, 2) : 0 }).format(v);
}

/**
 * A model parameter (a coefficient, a curve parameter, a penalty): 3 significant digits, grouped from
 * 1,000, with an exponent below 10^-3 or from 10^6, where a parameter's magnitude is the point:
 * 0.44774 → "0.448", 1234.5 → "1,235", 0.00001234 → "1.23e-5".
 */
export function formatParameter(v: number): string {
  if (!Number.isFinite(v)) return dash;
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a < 1e-3 || a >= 1e6) return v.toExponential(2);
  if (a >= 1000) return formatCount(v);
  return String(Number(v.toPrecision(3)));
}

/**
 * An amount whose unit is said beside it (a column header, a label): every digit, grouped, and 3
 * significant digits below 100: 1234567.8 → "1,234,568", 12.345 → "12.3". (`formatValue` with the
 * unit adds the currency and shortens large amounts.)
 */
export function formatAmount(v: number | null | undefined): string {
  return formatValue(v, 'count', null, { compact: false });
}

/** A 90% interval of amounts (`formatAmount`): "[1,234, 5,678]"; empty without an interval. */
export function formatAmountInterval(iv: readonly [number, number] | null | undefined): string {
  return formatInterval(iv, 'count', null, { compact: false });
}

/** An interval inside running text or parentheses, as a range: [1.98, 2.37] → "1.98–2.37"; a dash without one. */
export function formatRange(iv: readonly [number, number] | null | undefined, format: (v: number) => string): string {
  return iv ? `${format(iv[0])}–${format(iv[1])}` : dash;
}

export interface FormatOptions {
  /** Large amounts as 1.2M (default true). */
  compact?: boolean;
  /** Show the unit after amounts that are not money ("1,234 conversions"); default false. */
  withUnit?: boolean;
}

/**
 * One figure in its unit: money with the currency code or symbol, conversions as counts, ratios (ROI)
 * to 3 significant digits, cost per conversion with the currency and 3 significant digits (so 0.0042
 * stays 0.0042, never "$0"), shares as percents.
 */
export function formatValue(v: number | null | undefined, unit: Unit, currency: string | null = null, opts: FormatOptions = {}): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return dash;
  const compact = opts.compact ?? true;
  const amount = (x: number) => (compact ? compactNumber(x)
    : Math.abs(x) >= 100 || Number.isInteger(x) ? new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(x) : significant(x, 3));
  const withCurrency = (text: string) => (currency ? `${currencySymbol(currency)}${text}` : text);
  switch (unit) {
    case 'currency': return withCurrency(amount(v)).replace(/^(\D*)-/, '-$1');
    case 'conversions': return `${amount(v)}${opts.withUnit ? ' conversions' : ''}`;
    case 'count': return amount(v);
    case 'revenue-per-spend': case 'conversions-per-spend': return significant(v, 3);
    case 'currency-per-conversion': return withCurrency(significant(v, 3)).replace(/^(\D*)-/, '-$1');
    case 'share': return formatPercent(v);
  }
}

/** A 90% interval in the figure's unit: "[1.98, 2.37]". */
export function formatInterval(iv: readonly [number, number] | readonly (number | null)[] | null | undefined, unit: Unit, currency: string | null = null, opts: FormatOptions = {}): string {
  if (!iv || typeof iv[0] !== 'number' || typeof iv[1] !== 'number') return '';
  return `[${formatValue(iv[0], unit, currency, opts)}, ${formatValue(iv[1], unit, currency, opts)}]`;
}

/** "$" for USD, "€" for EUR …, else the code and a space ("CHF 12"). */
export function currencySymbol(code: string): string {
  try {
    const parts = new Intl.NumberFormat('en-US', { style: 'currency', currency: code, currencyDisplay: 'narrowSymbol' }).formatToParts(0);
    const sym = parts.find((p) => p.type === 'currency')?.value ?? code;
    return sym.length === 1 ? sym : `${sym} `;
  } catch {
    return `${code} `;
  }
}

/**
 * The one currency of several sources (the datasets of a table, the models of a plan), or null when
 * none is known or they disagree: then amounts are shown without a symbol rather than with a wrong one.
 */
export function commonCurrency(codes: readonly (string | null | undefined)[]): string | null {
  const known = [...new Set(codes.filter((c): c is string => typeof c === 'string' && c !== ''))];
  return known.length === 1 ? known[0] : null;
}

/**
 * A stored instant (ISO 8601, UTC) as every surface shows it: "2026-12-06 09:33 UTC" — to the minute,
 * in UTC whatever the machine's or the browser's zone, so the CLI, the report and the web agree.
 */
export function formatTimestamp(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}
