/**
 * Number formatting for the report's text and tables (the charts format on the client the same way).
 * Non-finite values print as an en dash.
 */

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });
const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

const dash = '–';

/** Amounts in target or spend units, compact: 11773894 → "11.8M", 950 → "950". */
export function fmtAmount(x: number): string {
  return Number.isFinite(x) ? compact.format(x) : dash;
}

/** Whole numbers with thousands separators: 1234.6 → "1,235". */
export function fmtInt(x: number): string {
  return Number.isFinite(x) ? grouped.format(x) : dash;
}

/** Ratios such as ROI, two decimals: 2.1616 → "2.16". */
export function fmtRatio(x: number): string {
  return Number.isFinite(x) ? x.toFixed(2) : dash;
}

/** Shares in [0, 1] as percentages with one decimal: 0.4731 → "47.3%". */
export function fmtPct(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(digits)}%` : dash;
}

/** A 90% interval: [1.98, 2.37] with fmtRatio → "1.98–2.37". */
export function fmtInterval(iv: readonly [number, number] | undefined, f: (x: number) => string = fmtRatio): string {
  return iv ? `${f(iv[0])}–${f(iv[1])}` : dash;
}

/**
 * Parameter summaries: 3 significant digits without exponent for ordinary magnitudes
 * (0.44774 → "0.448", 1234.5 → "1,235"), exponent notation below 1e-3 or at and above 1e6.
 */
export function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return dash;
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a < 1e-3 || a >= 1e6) return x.toExponential(2);
  if (a >= 1000) return grouped.format(x);
  return String(Number(x.toPrecision(3)));
}
