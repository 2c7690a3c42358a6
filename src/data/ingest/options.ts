import type { DateFormat } from '../detect/dates.ts';
import type { NumberFormat } from '../detect/numbers.ts';
import type { Kind, MetricKind } from '../schema.ts';
import type { PresetName } from './presetNames.ts';

/** What `marginal ingest` and `ingestFile` accept. */
export interface IngestOptions {
  kind: Kind;
  /** Dataset id; default: a slug of the file name. */
  name?: string;
  /** source column → target: a role (date, geo, channel, metric, value…), `<channel>_<metric>`, a metric or factor name, or `ignore`. */
  map?: Record<string, string>;
  layout?: 'wide' | 'long';
  dateFormat?: DateFormat;
  numberFormat?: NumberFormat;
  /** XLSX sheet name (default: the first). */
  sheet?: string;
  currency?: string;
  /** metric → how it resamples (sum or mean); defaults by name. */
  metricKinds?: Record<string, MetricKind>;
  /** An import preset (presets.ts): the platform export whose documented columns map without `map`. */
  preset?: PresetName;
  /** Replace an existing dataset of the same id. */
  replace?: boolean;
  /** "Today", for the future-date check (tests). */
  today?: string;
}
