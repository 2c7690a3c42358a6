/**
 * Holidays and events as controls (config `holidays: { country?, file?, columns? }`).
 *
 * - `country` alone: the country's public holidays from `date-holidays` (a maintained, offline
 *   calendar of ~200 countries; rules, not a list, so any year works). Its DE, FR and NZ public
 *   holidays for 2016–2020 are exactly those of Prophet's table that Robyn ships (tested).
 * - `country` + `file`: a holiday table in Prophet's layout (`ds, holiday, country[, year]`, e.g. Robyn's
 *   `dt_prophet_holidays.csv`). The country's holidays become one control, `holidays_<CC>`: for each
 *   period of the data, the number of the country's holidays that fall in it. Period t covers
 *   [date_t, date_{t+1}); the last one covers one grain (7 days, 1 day or 1 month). Example: weekly
 *   data starting Monday 2019-12-23 with DE holidays on 12-25 and 12-26 → 2 for that week.
 * - `columns`: user flag columns of the data file (0/1 or counts), each one more control.
 * Both enter with sign `auto` (a holiday can raise or lower the outcome). Geo models share the
 * national calendar across geos.
 *
 * Pure functions: the table of `holidays.file` is read by the caller (src/data/holidayTable.ts) and
 * passed in as rows. Apply `holidayConfig` before `buildModelData` (it adds the flag columns to
 * `controls`), then `withHolidays` to the built data; `buildModelDataWithHolidays` does both.
 */
import { badConfig, internal } from '../errors.ts';
import type { ModelConfig } from './config.ts';
import { buildModelData, type ModelData, type WideTable } from './design.ts';
import { publicHolidays, type HolidayRow } from './holidayCalendar.ts';

export type { HolidayRow };

const DAY = 86400000;

/** Start of each period and the end of the last one (ms since epoch). */
function periodBounds(dates: readonly string[], grain: ModelData['grain']): number[] {
  const ms = dates.map((d) => Date.parse(`${d}T00:00:00Z`));
  const last = new Date(ms[ms.length - 1]);
  const end = grain === 'year' ? Date.UTC(last.getUTCFullYear() + 1, last.getUTCMonth(), last.getUTCDate())
    : grain === 'month' ? Date.UTC(last.getUTCFullYear(), last.getUTCMonth() + 1, last.getUTCDate())
    : ms[ms.length - 1] + (grain === 'day' ? 1 : 7) * DAY;
  return [...ms, end];
}

/**
 * Number of `country`'s holidays in each period of `dates` (length T). Throws BAD_CONFIG when the
 * table has no holiday for that country (naming the countries it has).
 */
export function holidayCounts(rows: readonly HolidayRow[], country: string, dates: readonly string[], grain: ModelData['grain']): Float64Array {
  const cc = country.toUpperCase();
  const mine = rows.filter((r) => r.country === cc);
  if (!mine.length) {
    const known = [...new Set(rows.map((r) => r.country))].sort();
    throw badConfig(`\`holidays.country\` must be one of the table's countries (${known.slice(0, 40).join(', ')}${known.length > 40 ? ', …' : ''}); got '${country}'`);
  }
  const bounds = periodBounds(dates, grain);
  const T = dates.length;
  const out = new Float64Array(T);
  // One entry per (date, name): tables sometimes list a holiday twice.
  const seen = new Set<string>();
  for (const r of mine) {
    const key = `${r.date}/${r.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const m = Date.parse(`${r.date}T00:00:00Z`);
    if (m < bounds[0] || m >= bounds[T]) continue;
    let lo = 0, hi = T - 1; // last period whose start ≤ m
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (bounds[mid] <= m) lo = mid; else hi = mid - 1; }
    out[lo] += 1;
  }
  return out;
}

/** The config with `holidays.columns` appended to `controls` (sign auto), for `buildModelData`. */
export function holidayConfig(config: ModelConfig): ModelConfig {
  const cols = config.holidays?.columns ?? [];
  if (!cols.length) return config;
  const named = new Set(config.controls.map((c) => (typeof c === 'string' ? c : c.column)));
  const extra = cols.filter((c) => !named.has(c)).map((column) => ({ column, sign: 'auto' as const }));
  return { ...config, controls: [...config.controls, ...extra] };
}

/**
 * `data` with the country's holiday counts appended as one more control (`holidays_<CC>`, sign auto),
 * the same in every geo. Unchanged when the config names no country. `rows` is the user's table, or
 * null for the built-in public-holiday calendar. A calendar with no holiday in the data's periods adds nothing (it would be a
 * constant column).
 */
export function withHolidays(config: ModelConfig, data: ModelData, rows: readonly HolidayRow[] | null): ModelData {
  const country = config.holidays?.country;
  if (!country) return data;
  const years = [data.dates[0], data.dates[data.dates.length - 1]].map((d) => Number(d.slice(0, 4)));
  const calendar = rows ?? publicHolidays(country, years[0], years[1] + 1);
  const counts = holidayCounts(calendar, country, data.dates, data.grain);
  if (!counts.some((v) => v > 0)) return data;
  const { G, T, K } = data;
  const K2 = K + 1;
  const controlValues = new Float64Array(G * T * K2);
  for (let i = 0; i < G * T; i++) {
    for (let k = 0; k < K; k++) controlValues[i * K2 + k] = data.controlValues[i * K + k];
    controlValues[i * K2 + K] = counts[i % T];
  }
  return {
    ...data, K: K2, controls: [...data.controls, `holidays_${country.toUpperCase()}`],
    controlSigns: [...data.controlSigns, 'auto'], controlValues,
  };
}

/**
 * `buildModelData` with the config's holidays applied: flag columns as controls, and the country's
 * holiday counts from `holidayTable` (the rows of `holidays.file`, read by the caller) or, when it is
 * null, the built-in calendar. A config that names a file must come with its rows: silently counting the
 * built-in calendar instead would fit a different model than the one configured.
 */
export function buildModelDataWithHolidays(config: ModelConfig, table: WideTable, holidayTable: readonly HolidayRow[] | null): ModelData {
  const file = config.holidays?.file;
  if (file && !holidayTable) throw internal(`buildModelDataWithHolidays: the config names the holiday table '${file}' but its rows were not passed`);
  return withHolidays(config, buildModelData(holidayConfig(config), table), holidayTable);
}
