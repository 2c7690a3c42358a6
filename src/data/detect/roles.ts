/**
 * Column roles by name. Wide media columns are recognized by suffix:
 *   `_spend`, `_S`, `_cost` → spend;  `_impression(s)`, `_I`, `_imps` → impressions;  `_clicks`, `_click`, `_P` → clicks;
 *   `_reach` → reach;  `_frequency`, `_freq` → frequency;  `_grp(s)` → grps.
 * e.g. `tv_S` → (tv, spend), `Channel0_impression` → (Channel0, impressions), `search_clicks_P` → (search, clicks).
 * `--map source=target` always wins.
 */
export interface MediaColumn { channel: string; metric: string }

const SUFFIXES: [RegExp, string][] = [
  [/^(.+?)_(spend|cost)$/i, 'spend'],
  [/^(.+?)_S$/, 'spend'],
  [/^(.+?)_(impressions?|imps)$/i, 'impressions'],
  [/^(.+?)_I$/, 'impressions'],
  [/^(.+?)_clicks?$/i, 'clicks'],
  [/^(.+?)_reach$/i, 'reach'],
  // Average frequency (exposures per person reached): a channel's, beside its reach (reach & frequency).
  [/^(.+?)_(avg_)?freq(uency)?$/i, 'frequency'],
  [/^(.+?)_grps?$/i, 'grps'],
];

/** The (channel, metric) a wide column name encodes, or null. */
export function mediaColumn(name: string): MediaColumn | null {
  const n = name.trim();
  const p = /^(.+?)_P$/.exec(n);
  if (p) return mediaColumn(p[1]) ?? { channel: p[1], metric: 'clicks' };
  for (const [re, metric] of SUFFIXES) {
    const m = re.exec(n);
    if (m) return { channel: m[1], metric };
  }
  return null;
}

/** Names that are outcomes in a wide file (conversions kind). */
export function isOutcomeName(name: string): boolean {
  return /^(revenue|sales|conversions?|orders?|signups?|leads?|installs?|units|transactions|kpi|y|target|revenue_per_conversion|profit|bookings)$/i.test(name.trim())
    || /_(revenue|conversions|orders|sales)$/i.test(name.trim()) && !/_(B|S|I|P)$/.test(name.trim());
}

/** Lower-cased name with non-alphanumerics as `_`, for matching aliases. */
export function norm(name: string): string {
  return name.trim().toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '_').replace(/^_|_$/g, '');
}

/** Finds the first header column whose normalized name is one of `aliases`. */
export function findColumn(header: string[], aliases: string[]): string | undefined {
  for (const a of aliases) {
    const hit = header.find((h) => norm(h) === a);
    if (hit) return hit;
  }
  return undefined;
}

export const ALIASES = {
  geo: ['geo', 'dma', 'region', 'market', 'country', 'state', 'geo_id', 'location'],
  channel: ['channel', 'media', 'media_channel', 'channel_name'],
  subchannel: ['subchannel', 'sub_channel', 'campaign_type', 'tactic'],
  metric: ['metric', 'measure', 'kpi_name', 'variable'],
  factor: ['factor', 'variable', 'control', 'name'],
  value: ['value', 'amount', 'val'],
  journeyId: ['journey_id', 'customer_id', 'user_id', 'cookie_id', 'visitor_id', 'journey'],
  timestamp: ['timestamp', 'time', 'ts', 'event_time', 'datetime', 'date'],
  interaction: ['interaction', 'event', 'event_type', 'type'],
  conversion: ['conversion', 'converted', 'is_conversion'],
  conversionValue: ['conversion_value', 'value', 'revenue'],
  cost: ['cost', 'spend'],
  campaign: ['campaign', 'campaign_name'],
  path: ['path'],
  pathConversions: ['total_conversions', 'conversions'],
  pathValue: ['total_conversion_value', 'conversion_value', 'value'],
  pathNulls: ['total_null', 'total_nulls', 'nulls', 'null'],
  start: ['start', 'start_date', 'from'],
  end: ['end', 'end_date', 'to'],
  lift: ['lift', 'incremental', 'incremental_outcome'],
  liftSe: ['lift_se', 'liftse', 'se', 'lift_std', 'std_error'],
};

/** Makes a channel or metric name safe as part of a column name: trimmed, NFC, inner whitespace as `_`. */
export function cleanName(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, '_');
}
