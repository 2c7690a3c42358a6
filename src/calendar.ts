/**
 * The one check of a user-typed calendar date (`YYYY-MM-DD` that names a real day: no month 13, no
 * 30 February), shared by the config schema, the HTTP schemas and the data layer, so that an
 * impossible date is refused where it is typed instead of failing later inside DuckDB.
 */
import { z } from 'zod';

export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** zod: an ISO calendar date that exists. */
export const isoDate = z.string().refine(isCalendarDate, 'must be a real date written YYYY-MM-DD (e.g. 2024-03-31)');

/**
 * The grains a harmonized table can have, finest to coarsest (a table is at the coarsest of the asked
 * grain and its inputs'). Annual data (a row per year, dated 1 January) is a grain of its own, not a
 * month with gaps: its adstock lags, seasonality and forecast steps are in years. The model layer adds
 * 'day' for daily files read directly.
 */
export const GRAINS = ['week', 'month', 'year'] as const;
export type TableGrain = (typeof GRAINS)[number];
