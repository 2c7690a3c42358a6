/**
 * Turns a file's header, a sample of its rows and the user's options into a plan: which column is
 * the date (and its format), which are geo, channel, metric and value, which wide columns become
 * which series, and how each metric resamples. Everything detected can be overridden (the CLI's --map, the web's role menu).
 */
import { badFile, badInput, type Problem } from '../../errors.ts';
import { defaultMetricKind, type Kind, type MetricKind } from '../schema.ts';
import { detectDateFormat, formatsOf, isDateName } from '../detect/dates.ts';
import type { DateFormat } from '../detect/dates.ts';
import { isMissingMarker, isPlainNumber } from '../detect/numbers.ts';
import { ALIASES, cleanName, findColumn, isOutcomeName, mediaColumn, norm } from '../detect/roles.ts';
import type { ColumnType } from '../validate/stage.ts';
import type { Sample } from '../readers/sniff.ts';
import type { IngestOptions } from './options.ts';
import type { NumberFormat } from '../detect/numbers.ts';
import { applyPreset } from './presets.ts';

export type Layout = 'wide' | 'long' | 'events' | 'paths' | 'table';
export type Role = 'date' | 'geo' | 'channel' | 'subchannel' | 'metric' | 'value' | 'journey_id' | 'timestamp' | 'interaction'
  | 'conversion' | 'cost' | 'campaign' | 'segment' | 'path' | 'conversions' | 'nulls' | 'start' | 'end' | 'lift' | 'lift_se';

export interface Series { source: string; channel: string | null; metric: string }

export interface Plan {
  kind: Kind;
  layout: Layout;
  types: Record<string, ColumnType>;
  dateFormat?: DateFormat;
  dateAmbiguous: boolean;
  roles: Partial<Record<Role, string>>;
  /** Wide (or semi-long) numeric columns stored as series; `channel: null` in long summary files means "from the channel column". */
  series: Series[];
  /** Text factor columns stored as 0/1 indicators per level. */
  categorical: string[];
  ignored: string[];
  metricKinds: Record<string, MetricKind>;
  notes: Problem[];
  /** How numbers are written and the money's currency: as given, or as an import preset reads its export. */
  numberFormat: NumberFormat;
  currency?: string;
  /** How the total rows an export writes below its data start (a preset's `totalRows`), to leave them out. */
  totalRows?: string;
  /** Touchpoint events: customer attribute columns (role `segment`, several allowed), stored per customer in `touchpoint_segments`. */
  segments?: string[];
}

/** Longest list of segment columns one touchpoint file may declare. */
export const MAX_SEGMENT_COLUMNS = 8;

const ROLES: Record<Kind, Role[]> = {
  summary: ['date', 'geo', 'channel', 'subchannel', 'metric', 'value'],
  conversions: ['date', 'geo', 'metric', 'value'],
  factors: ['date', 'geo', 'metric', 'value'],
  touchpoints: ['journey_id', 'timestamp', 'channel', 'interaction', 'conversion', 'value', 'cost', 'geo', 'campaign', 'segment', 'path', 'conversions', 'nulls'],
  experiments: ['channel', 'geo', 'start', 'end', 'lift', 'lift_se'],
};

export function makePlan(file: string, sample: Sample, given: IngestOptions): Plan {
  const preset = given.preset ? applyPreset(file, sample, given) : null;
  const opts = preset?.options ?? given;
  const { header } = sample;
  // The header's line in the file (below an export's title or comments, when it has them).
  const hdr = sample.headerLine ?? 1;
  const map = opts.map ?? {};
  for (const src of Object.keys(map)) {
    if (!header.includes(src)) throw badInput(`--map ${src}=${map[src]}: ${file} has no column '${src}'; columns: ${header.join(', ')}`);
  }
  const roles: Partial<Record<Role, string>> = {};
  const targets: Record<string, string> = {};
  // A pandas index column (first, unnamed, 0…N−1) is left out; sniff says so in sample.notes.
  const ignored = new Set<string>(sample.index ? [sample.index] : []);
  const allowed = ROLES[opts.kind];
  // Customer attributes: many columns may take the role segment (touchpoint events only).
  const segments: string[] = [];
  for (const [src, target] of Object.entries(map)) {
    const t = target === 'factor' ? 'metric' : target === 'conversion_value' ? 'value' : target;
    if (t === 'ignore') ignored.add(src);
    else if (t === 'segment' && opts.kind === 'touchpoints') segments.push(src);
    else if ((allowed as string[]).includes(t)) roles[t as Role] = src;
    else targets[src] = target;
  }
  const col = (role: Role, aliases: string[]) => {
    if (!roles[role]) {
      const hit = findColumn(header.filter((h) => !ignored.has(h) && !Object.values(roles).includes(h) && !(h in targets)), aliases);
      if (hit) roles[role] = hit;
    }
    return roles[role];
  };
  const values = (c: string) => sample.rows.map((r) => r[header.indexOf(c)] ?? '');
  const plan: Plan = { kind: opts.kind, layout: 'wide', types: {}, dateAmbiguous: false, roles, series: [], categorical: [], ignored: [], metricKinds: {}, notes: [...(sample.notes ?? []), ...(preset?.notes ?? [])],
    numberFormat: opts.numberFormat ?? 'plain', currency: opts.currency, totalRows: preset?.totalRows };

  const detectDate = (c: string, role: Role) => {
    const d = detectDateFormat(values(c), isDateName(c) || roles[role] === c, opts.dateFormat, 0.5);
    if (!d) throw badFile({ file, row: firstBadDate(values(c)) + hdr + 1, column: c, value: values(c)[firstBadDate(values(c))], message: `cannot read the dates in this column (formats: YYYY-MM-DD, YYYY-MM-DD hh:mm:ss, M/D/YYYY, D/M/YYYY, D.M.YYYY, YYYYMMDD, a bare year YYYY, Excel serial); choose the date format` }, [], 'dateFormat');
    if (plan.dateFormat && plan.dateFormat !== d.format) throw badFile({ file, column: c, message: `dates are ${d.format} but '${roles.start}' uses ${plan.dateFormat}` });
    plan.dateFormat = d.format;
    plan.dateAmbiguous ||= d.ambiguous;
    if (d.ambiguous) plan.notes.push({ file, column: c, severity: 'warning', message: `dates like '${values(c)[0]}' could be M/D/YYYY or D/M/YYYY; read as M/D/YYYY (choose the date format D/M/YYYY for the other)` });
  };
  const findDate = (role: Role): string => {
    if (roles[role]) return roles[role]!;
    const free = header.filter((h) => !ignored.has(h) && !Object.values(roles).includes(h) && !(h in targets));
    const named = free.filter((h) => isDateName(h));
    // A column of bare years (`year` beside `date`) is the date only when no other date-named column reads as dates.
    const readable = named.filter((h) => detectDateFormat(values(h), true, opts.dateFormat, 0.5));
    const hit = readable.find((h) => detectDateFormat(values(h), true, opts.dateFormat, 0.5)?.format !== 'YYYY') ?? readable[0] ?? named[0] ?? free.find((h) => { const d = detectDateFormat(values(h), false, undefined); return d !== null; });
    if (!hit) throw badFile({ file, row: hdr, message: `missing required column: no date column found (looked for a column named date, ds, time, week… or holding dates); give the column with the dates the role date` }, [], 'map');
    roles[role] = hit;
    return hit;
  };

  if (opts.kind === 'touchpoints') {
    if (col('path', ALIASES.path)) {
      if (segments.length) throw badFile({ file, column: segments[0], message: `segments are customer attributes, and aggregated paths have no customers; give event-level journeys (one row per touch with a customer id) to analyse segments` }, [], 'map');
      return pathsPlan(file, plan, col, hdr);
    }
    if (segments.length > MAX_SEGMENT_COLUMNS) throw badFile({ file, column: segments[MAX_SEGMENT_COLUMNS], message: `at most ${MAX_SEGMENT_COLUMNS} columns can be segments; got ${segments.length}` }, [], 'map');
    plan.segments = segments;
    return eventsPlan(file, plan, col, detectDate, opts, hdr);
  }
  if (opts.kind === 'experiments') {
    for (const r of ['channel', 'start', 'end', 'lift'] as const) {
      if (!col(r, ALIASES[r === 'lift' ? 'lift' : r])) throw badFile({ file, row: hdr, message: `missing required column '${r}' for experiments (columns: ${header.join(', ')}); give the column that holds it the role ${r}` }, [], 'map');
    }
    col('geo', ALIASES.geo); col('lift_se', ALIASES.liftSe);
    plan.layout = 'table';
    detectDate(roles.start!, 'start'); detectDate(roles.end!, 'end');
    setTypes(plan, { [roles.start!]: 'date', [roles.end!]: 'date', [roles.lift!]: 'number', ...(roles.lift_se ? { [roles.lift_se]: 'number' } : {}) });
    return plan;
  }

  const dateCol = findDate('date');
  detectDate(dateCol, 'date');
  plan.types[dateCol] = 'date';
  col('geo', ALIASES.geo);
  const isSummary = opts.kind === 'summary';
  const channel = isSummary ? col('channel', ALIASES.channel) : undefined;
  if (isSummary) col('subchannel', ALIASES.subchannel);
  const metric = col('metric', opts.kind === 'factors' ? ALIASES.factor : ALIASES.metric);
  const value = col('value', ALIASES.value);
  const wantLong = opts.layout ? opts.layout === 'long' : (isSummary ? channel !== undefined : metric !== undefined && value !== undefined);
  const used = new Set(Object.values(roles));
  const rest = header.filter((h) => !used.has(h) && !ignored.has(h));

  if (wantLong) {
    plan.layout = 'long';
    if (isSummary && !channel) throw badFile({ file, row: hdr, message: `missing required column 'channel' for a long summary file (columns: ${header.join(', ')}); give the column that names the channel the role channel` }, [], 'map');
    if (metric && value) {
      plan.types[value] = 'number';
      plan.ignored.push(...rest);
    } else if (isSummary) {
      if (metric || value) throw badFile({ file, row: hdr, message: `a long file needs both 'metric' and 'value' columns, or one column per metric (spend, impressions…)` });
      for (const h of rest) plan.series.push({ source: h, channel: null, metric: cleanName(targets[h] ?? norm(h)) });
      if (!plan.series.length) throw badFile({ file, row: hdr, message: `missing required column: no metric columns (spend, impressions…) besides ${header.join(', ')}` });
    } else {
      throw badFile({ file, row: hdr, message: `missing required column '${metric ? 'value' : opts.kind === 'factors' ? 'factor' : 'metric'}' for a long ${opts.kind} file (columns: ${header.join(', ')})` });
    }
  } else {
    for (const h of rest) {
      const t = targets[h];
      if (isSummary) {
        const m = t ? splitTarget(t) : mediaColumn(h);
        if (m) plan.series.push({ source: h, channel: cleanName(m.channel), metric: m.metric });
        else plan.ignored.push(h);
      } else if (opts.kind === 'conversions') {
        if (t || isOutcomeName(h)) plan.series.push({ source: h, channel: null, metric: cleanName(t ?? h) });
        else plan.ignored.push(h);
      } else {
        if (!t && (mediaColumn(h) || isOutcomeName(h))) { plan.ignored.push(h); continue; }
        const vals = values(h).filter((v) => v.trim() !== '');
        // A column of numbers with missing markers (NA, nan, #N/A, inf) stays numeric, so that those
        // cells are refused by name; counted as categories they became one 0/1 column per value.
        const numeric = vals.filter(isPlainNumber).length, markers = vals.filter(isMissingMarker).length;
        if (vals.length && (numeric === 0 || numeric + markers < 0.8 * vals.length)) plan.categorical.push(h);
        else plan.series.push({ source: h, channel: null, metric: cleanName(t ?? h) });
      }
    }
    if (!plan.series.length && !plan.categorical.length) {
      const hint = isSummary ? 'media columns are recognized by the suffixes _spend, _S, _impressions, _I, _clicks, _P; or give a column that role (<channel>_<metric>)'
        : opts.kind === 'conversions' ? 'outcome columns are named revenue, sales, conversions, orders…; or give a column the outcome role' : 'give a column the factor role';
      throw badFile({ file, row: hdr, message: `missing required column: no ${opts.kind} columns found among ${header.join(', ')}; ${hint}`  }, [], 'map');
    }
    if (plan.ignored.length) plan.notes.push({ file, severity: 'warning', message: `ignored columns: ${plan.ignored.join(', ')} (give one a role to include it)` });
  }
  for (const s of plan.series) plan.types[s.source] = 'number';
  for (const s of plan.series) plan.metricKinds[s.metric] ??= opts.metricKinds?.[s.metric] ?? defaultMetricKind(s.metric, opts.kind);
  for (const c of plan.categorical) plan.metricKinds[`${c}_*`] = 'mean';
  for (const [k, v] of Object.entries(opts.metricKinds ?? {})) plan.metricKinds[k] = v;
  return plan;
}

function splitTarget(t: string): { channel: string; metric: string } {
  const m = mediaColumn(t);
  if (m) return m;
  const i = t.lastIndexOf('_');
  if (i <= 0) throw badInput(`--map target '${t}' must be <channel>_<metric>, e.g. tv_spend, or a role (date, geo, channel, metric, value) or 'ignore'`);
  return { channel: t.slice(0, i), metric: t.slice(i + 1) };
}

function setTypes(plan: Plan, types: Record<string, ColumnType>): void {
  Object.assign(plan.types, types);
}

type Col = (role: Role, aliases: string[]) => string | undefined;

function pathsPlan(file: string, plan: Plan, col: Col, hdr: number): Plan {
  plan.layout = 'paths';
  const conv = col('conversions', ALIASES.pathConversions);
  if (!conv) throw badFile({ file, row: hdr, message: `missing required column 'total_conversions' for aggregated paths; give the column with the conversions the role conversions` }, [], 'map');
  const value = col('value', ALIASES.pathValue);
  const nulls = col('nulls', ALIASES.pathNulls);
  for (const c of [conv, value, nulls]) if (c) plan.types[c] = 'number';
  return plan;
}

function eventsPlan(file: string, plan: Plan, col: Col, detectDate: (c: string, r: Role) => void, opts: IngestOptions, hdr: number): Plan {
  plan.layout = 'events';
  const need: [Role, string[]][] = [['journey_id', ALIASES.journeyId], ['timestamp', ALIASES.timestamp], ['channel', ALIASES.channel]];
  for (const [r, a] of need) {
    if (!col(r, a)) throw badFile({ file, row: hdr, message: `missing required column '${r}' for touchpoint events; give the column that holds it the role ${r} (or give aggregated paths with a 'path' column)` }, [], 'map');
  }
  col('interaction', ALIASES.interaction); col('conversion', ALIASES.conversion); col('value', ALIASES.conversionValue);
  col('cost', ALIASES.cost); col('geo', ALIASES.geo); col('campaign', ALIASES.campaign);
  detectDate(plan.roles.timestamp!, 'timestamp');
  plan.types[plan.roles.timestamp!] = 'timestamp';
  for (const r of ['conversion', 'value', 'cost'] as const) if (plan.roles[r]) plan.types[plan.roles[r]!] = 'number';
  void opts;
  return plan;
}

function firstBadDate(values: string[]): number {
  const i = values.findIndex((v) => v.trim() !== '' && formatsOf(v).filter((f) => f !== 'excel' && f !== 'YYYY' && f !== 'YYYYMMDD').length === 0);
  return i < 0 ? 0 : i;
}
