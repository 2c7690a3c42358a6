/**
 * Import presets: the long exports of ad platforms and web analytics (one row per day and campaign or
 * channel) read without a column map. A preset names the platform's documented column headers and the
 * Marginal role or metric each becomes; everything else the export carries (CTR, CPC, status…) is left
 * out with a warning. This list is the one source the CLI's `--preset` help, the upload API's enum and
 * the web's menu read.
 *
 * Column names are those the platforms publish for their report downloads:
 * - Google Ads: the report editor's column names (Google Ads Help, "Columns for campaigns"; the
 *   AdWords API's report reference gives the same display names, e.g. "Impr.", "Conv. value",
 *   "Currency code"). The download writes thousands separators ("1,234.56").
 * - Meta Ads Manager: the export of the Ads Manager table (Meta Business Help, "About Ads Manager
 *   columns": "Campaign name", "Reporting starts", "Amount spent (USD)" with the account currency
 *   in the header, "Impressions", "Reach", "Link clicks", "Results"), or with a "Day" breakdown.
 * - GA4: a report or Explore exported as CSV; dimension "Date" is written YYYYMMDD (GA4 Data API
 *   `date`), "Session default channel group" or "Session source / medium", metrics "Sessions",
 *   "Key events" (formerly "Conversions"), "Total revenue".
 * - Adobe Analytics: a Workspace freeform table or Report Builder export by day with the dimensions
 *   "Marketing Channel" and "Tracking Code" and the metrics "Visits", "Orders", "Revenue" (revenue may
 *   carry the currency symbol, "$1,234.56").
 */
import { badFile, badInput, type Problem } from '../../errors.ts';
import type { DateFormat } from '../detect/dates.ts';
import { norm } from '../detect/roles.ts';
import type { Sample } from '../readers/sniff.ts';
import type { IngestOptions } from './options.ts';
import { PRESET_NAMES, type PresetName } from './presetNames.ts';

export { PRESET_NAMES, type PresetName };

interface MetricColumn {
  metric: string;
  /** Header names the platform writes for it (any one; compared without case and punctuation). */
  columns: string[];
  required?: boolean;
}

export interface Preset {
  name: PresetName;
  /** Shown in menus and help. */
  label: string;
  date: string[];
  /** Forced when the platform writes one format (GA4's 20240131); otherwise detected. */
  dateFormat?: DateFormat;
  /**
   * Where the channel comes from: a constant (the platform, with campaigns kept as subchannels and
   * summed by harmonize into `<platform>_<metric>`), or a column of the export (GA4's channel group).
   */
  channel: { name: string } | { columns: string[] };
  subchannel?: string[];
  metrics: MetricColumn[];
  /** A column holding the currency code of the money columns. */
  currencyColumn?: string[];
  /** A header that says the currency in parentheses: "Amount spent (USD)". */
  currencyInHeader?: RegExp;
  /** How the total rows the export writes below the data start (left out with a warning). */
  totalRows?: string;
}

export const PRESETS: Record<PresetName, Preset> = {
  'google-ads': {
    name: 'google-ads', label: 'Google Ads report (Day, Campaign, Cost, Impr., Clicks, Conversions, Conv. value)',
    date: ['Day', 'Date'], channel: { name: 'google_ads' }, subchannel: ['Campaign', 'Campaign name'],
    metrics: [
      { metric: 'spend', columns: ['Cost'], required: true },
      { metric: 'impressions', columns: ['Impr.', 'Impressions'] },
      { metric: 'clicks', columns: ['Clicks'] },
      { metric: 'conversions', columns: ['Conversions'] },
      { metric: 'revenue', columns: ['Conv. value', 'Conversion value'] },
    ],
    currencyColumn: ['Currency code', 'Currency'],
    // The download ends with `Total: Account`, `Total: Search`… rows and starts with the report's title and date range.
    totalRows: 'Total:',
  },
  'meta-ads': {
    name: 'meta-ads', label: 'Meta Ads Manager export (Day or Reporting starts, Campaign name, Amount spent, Impressions, Link clicks, Reach, Results)',
    date: ['Day', 'Reporting starts'], channel: { name: 'meta' }, subchannel: ['Campaign name', 'Campaign'],
    metrics: [
      { metric: 'spend', columns: ['Amount spent', 'Amount spent (*)'], required: true },
      { metric: 'impressions', columns: ['Impressions'] },
      { metric: 'clicks', columns: ['Link clicks'] },
      { metric: 'reach', columns: ['Reach'] },
      { metric: 'conversions', columns: ['Results'] },
    ],
    currencyColumn: ['Currency'],
    currencyInHeader: /^Amount spent \(([A-Z]{3})\)$/i,
  },
  ga4: {
    name: 'ga4', label: 'GA4 export (Date as YYYYMMDD, Session default channel group or Session source / medium, Sessions, Key events, Total revenue)',
    date: ['Date'], dateFormat: 'YYYYMMDD', channel: { columns: ['Session default channel group', 'Session source / medium', 'Default channel group', 'Session source'] },
    metrics: [
      { metric: 'sessions', columns: ['Sessions'], required: true },
      { metric: 'conversions', columns: ['Key events', 'Conversions'] },
      { metric: 'revenue', columns: ['Total revenue', 'Purchase revenue'] },
    ],
  },
  'adobe-analytics': {
    name: 'adobe-analytics', label: 'Adobe Analytics export (Date, Marketing Channel, Tracking Code, Visits, Orders, Revenue)',
    date: ['Date', 'Day'], channel: { columns: ['Marketing Channel', 'Last Touch Channel'] }, subchannel: ['Tracking Code'],
    metrics: [
      { metric: 'visits', columns: ['Visits'], required: true },
      { metric: 'conversions', columns: ['Orders'] },
      { metric: 'revenue', columns: ['Revenue'] },
    ],
  },
};

/** A preset by name; BAD_INPUT naming the presets otherwise. */
export function presetOf(name: string): Preset {
  const p = (PRESETS as Record<string, Preset | undefined>)[name];
  if (!p) throw badInput(`unknown import preset '${name}'; the presets are ${PRESET_NAMES.join(', ')}`);
  return p;
}

/** Whether a header matches a documented name (`Amount spent (*)` matches any parenthesized suffix). */
function matches(header: string, name: string): boolean {
  if (name.endsWith(' (*)')) return new RegExp(`^${name.slice(0, -4).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\([^)]*\\)$`, 'i').test(header.trim());
  return norm(header) === norm(name);
}

function find(header: string[], names: string[] | undefined, taken: Set<string>): string | undefined {
  for (const n of names ?? []) {
    const hit = header.find((h) => !taken.has(h) && matches(h, n));
    if (hit) return hit;
  }
  return undefined;
}

/**
 * The ingest options a preset gives for this file: the column map (roles, metrics, the rest ignored),
 * layout, number and date format, and the currency the export states; with the warnings to store.
 * Options the user gave (currency, date format) win. Missing required columns are refused naming the
 * preset and the column.
 */
export function applyPreset(file: string, sample: Sample, opts: IngestOptions): { options: IngestOptions; notes: Problem[]; totalRows?: string } {
  const p = presetOf(opts.preset!);
  if (opts.kind !== 'summary') throw badInput(`the import preset ${p.name} reads media data (spend, impressions, clicks…), which is the kind summary; got the kind ${opts.kind}`);
  const header = sample.header.filter((h) => h !== sample.index);
  const taken = new Set<string>();
  const need = (what: string, names: string[]) => {
    const hit = find(header, names, taken);
    if (!hit) throw badFile({ file, row: sample.headerLine ?? 1, message: `the ${p.name} preset needs the column '${names[0]}' (${what})${names.length > 1 ? `, or ${names.slice(1).map((n) => `'${n}'`).join(' or ')}` : ''}; the file's columns: ${header.join(', ')}` }, [], 'preset');
    taken.add(hit);
    return hit;
  };
  const map: Record<string, string> = {};
  map[need('the date of each row', p.date)] = 'date';
  const constant = 'name' in p.channel ? p.channel.name : null;
  if (!constant) map[need('the channel of each row', (p.channel as { columns: string[] }).columns)] = 'channel';
  const sub = find(header, p.subchannel, taken);
  if (sub) { map[sub] = 'subchannel'; taken.add(sub); }
  for (const m of p.metrics) {
    const hit = m.required ? need(m.metric, m.columns) : find(header, m.columns, taken);
    if (!hit) continue;
    taken.add(hit);
    map[hit] = constant ? `${constant}_${m.metric}` : m.metric;
  }
  const notes: Problem[] = [];
  let currency = opts.currency;
  const currencyCol = find(header, p.currencyColumn, taken);
  if (currencyCol) {
    taken.add(currencyCol);
    const codes = [...new Set(sample.rows.map((r) => (r[sample.header.indexOf(currencyCol)] ?? '').trim().toUpperCase()).filter((c) => /^[A-Z]{3}$/.test(c)))];
    if (codes.length > 1) throw badFile({ file, column: currencyCol, message: `the ${p.name} export mixes currencies (${codes.join(', ')}); export one currency per file` }, [], 'preset');
    currency ??= codes[0];
  }
  const headed = p.currencyInHeader ? header.map((h) => p.currencyInHeader!.exec(h.trim())).find(Boolean) : null;
  if (headed) currency ??= headed[1].toUpperCase();
  const left = header.filter((h) => !taken.has(h));
  for (const h of left) map[h] = 'ignore';
  if (left.length) notes.push({ file, severity: 'warning', message: `the ${p.name} preset left out the columns ${left.join(', ')} (not media or outcome measures it reads)` });
  if (sample.index) map[sample.index] = 'ignore';
  return {
    options: {
      ...opts, map: { ...map, ...(opts.map ?? {}) }, layout: constant ? 'wide' : 'long',
      // Exports write thousands separators and sometimes a currency symbol; plain numbers read the same.
      numberFormat: opts.numberFormat ?? 'us', dateFormat: opts.dateFormat ?? p.dateFormat, currency,
    },
    notes,
    totalRows: p.totalRows,
  };
}
