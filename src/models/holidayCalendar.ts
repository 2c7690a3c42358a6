/**
 * The built-in holiday calendar: every country's public holidays from `date-holidays` (a maintained,
 * offline calendar of ~200 countries; rules, not a list, so any year works). A module of its own,
 * below both the config (which checks `holidays.country` against it) and holidays.ts (which turns
 * holidays into a control and needs the config's type), so neither imports the other in a circle.
 */
import { createRequire } from 'node:module';
import type HolidaysType from 'date-holidays';

// date-holidays is required when a calendar is first asked for, not when this module loads: its data
// cost every command a sixth of a second of start-up. (Its CommonJS build: a synchronous require.)
let loaded: typeof HolidaysType | null = null;
function Holidays(): typeof HolidaysType {
  loaded ??= createRequire(import.meta.url)('date-holidays') as typeof HolidaysType;
  return loaded;
}
import { badConfig } from '../errors.ts';

/** One holiday: its date (YYYY-MM-DD), name and country (ISO code, upper case). */
export interface HolidayRow { date: string; name: string; country: string }

/**
 * The public holidays of `country` (ISO 3166-1 alpha-2) in the years `fromYear`…`toYear`, from
 * `date-holidays`. Bank, school, optional and observance days are left out: they are what makes
 * calendars disagree (Prophet's GB table adds Scotland's and Northern Ireland's), and a user who
 * wants them can pass a table or flag columns. Throws BAD_CONFIG for a country it does not know.
 */
export function publicHolidays(country: string, fromYear: number, toYear: number): HolidayRow[] {
  const cc = country.toUpperCase();
  const problem = unknownHolidayCountry(country);
  if (problem) throw badConfig(problem);
  const calendar = new (Holidays())(cc);
  const rows: HolidayRow[] = [];
  for (let y = fromYear; y <= toYear; y++) {
    for (const h of calendar.getHolidays(y)) if (h.type === 'public') rows.push({ date: h.date.slice(0, 10), name: h.name, country: cc });
  }
  return rows;
}

/** Why `country` is not in the built-in calendar, or null when it is (config validation says it with the file's name). */
export function unknownHolidayCountry(country: string): string | null {
  const known = new (Holidays())().getCountries('en');
  if (country.toUpperCase() in known) return null;
  return `\`holidays.country\` '${country}' is not a country the built-in calendar knows (two-letter ISO codes such as US, GB, DE, FR; ${Object.keys(known).length} in all), or give a Prophet-style table in \`holidays.file\``;
}

/** The countries of the built-in calendar: ISO code → English name, sorted by name. */
export function holidayCountries(): Record<string, string> {
  const all = new (Holidays())().getCountries('en');
  return Object.fromEntries(Object.entries(all).sort((a, b) => a[1].localeCompare(b[1])));
}
