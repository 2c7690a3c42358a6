/**
 * The data layer words its refusals for the web and the CLI alike ("choose to aggregate the geos to
 * national") and marks the request field they are about (`MarginalError.field`); a command adds the
 * flag that sets that field, so a CLI user still reads what to type.
 */
import { MarginalError } from '../errors.ts';

export async function withFlagHints<T>(hints: Record<string, string>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof MarginalError && err.field && hints[err.field]) err.message = `${err.message} (${hints[err.field]})`;
    throw err;
  }
}
