/**
 * The model's data from a loaded table, with the holiday table that the config names in
 * `holidays.file` read from disk: the one step between a table and a fit that touches a file, kept
 * out of src/models/holidays.ts so the models do no I/O.
 */
import { readHolidayTable } from '../data/holidayTable.ts';
import type { ModelConfig } from '../models/config.ts';
import type { ModelData, WideTable } from '../models/design.ts';
import { buildModelDataWithHolidays } from '../models/holidays.ts';

/**
 * `buildModelDataWithHolidays` with `holidays.file` read (a relative path is taken as given, so
 * resolve it against the config's folder first, as `readModelConfig` does).
 */
export function buildModelDataReadingHolidays(config: ModelConfig, table: WideTable): ModelData {
  const file = config.holidays?.file;
  return buildModelDataWithHolidays(config, table, file ? readHolidayTable(file) : null);
}
