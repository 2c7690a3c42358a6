/**
 * One coded catalogue of errors. Every error a user can cause carries a code; the CLI maps codes to
 * exit codes and the server maps them to HTTP statuses, each in one place.
 *
 * Messages name the thing, the allowed values and the value received, e.g.
 * "`saturation.type` must be one of hill, logistic, michaelis-menten; got 'hil'".
 */
export const errorCodes = {
  BAD_INPUT: { exit: 2, http: 400 },
  BAD_CONFIG: { exit: 2, http: 400 },
  BAD_FILE: { exit: 2, http: 400 },
  NOT_FOUND: { exit: 2, http: 404 },
  CONFLICT: { exit: 2, http: 409 },
  TOO_LARGE: { exit: 2, http: 413 },
  FIT_FAILED: { exit: 1, http: 422 },
  TIMED_OUT: { exit: 1, http: 422 },
  INTERNAL: { exit: 1, http: 500 },
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** Where in a file a problem sits; rows are 1-based data rows as a spreadsheet user counts them (header = row 1). */
export interface Location {
  file?: string;
  row?: number;
  column?: string;
  value?: unknown;
}

export interface Problem extends Location {
  message: string;
  /**
   * The request or config field the problem is about, as a path (`config.experiments[0].start`), so a
   * form can show it next to its own input under its own label; `message` then reads after that label.
   */
  field?: string;
  severity?: 'error' | 'warning';
}

export class MarginalError extends Error {
  readonly code: ErrorCode;
  readonly problems: Problem[];
  /** The request field the error is about (`name`, `geo`, `overlap`…), when there is one: the web shows the message beside that field, the CLI names its flag. */
  field?: string;
  constructor(code: ErrorCode, message: string, problems: Problem[] = []) {
    super(message);
    this.name = 'MarginalError';
    this.code = code;
    this.problems = problems;
  }
  get exitCode(): number { return errorCodes[this.code].exit; }
  get httpStatus(): number { return errorCodes[this.code].http; }
}

/** Formats a location as "file.csv, row 12, column 'tv_spend', value '-3'". */
export function formatLocation(loc: Location): string {
  const parts: string[] = [];
  if (loc.file) parts.push(loc.file);
  if (loc.row !== undefined) parts.push(`row ${loc.row}`);
  if (loc.column !== undefined) parts.push(`column '${loc.column}'`);
  // A missing cell reaches here as null or '': say so rather than print 'null'.
  if (loc.value === null || loc.value === '') parts.push('empty cell');
  else if (loc.value !== undefined) parts.push(`value '${truncate(String(loc.value), 60)}'`);
  return parts.join(', ');
}

export function formatProblem(p: Problem): string {
  const where = formatLocation(p);
  return where ? `${where}: ${p.message}` : p.message;
}

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}

export const badInput = (message: string, problems: Problem[] = []) => new MarginalError('BAD_INPUT', message, problems);
export const badConfig = (message: string, problems: Problem[] = []) => new MarginalError('BAD_CONFIG', message, problems);
/** A file that cannot be read as asked; `field` names the ingest setting that would fix it (see `MarginalError.field`). */
export const badFile = (problem: Problem, more: Problem[] = [], field?: string) => {
  const err = new MarginalError('BAD_FILE', formatProblem(problem), [problem, ...more]);
  if (field) err.field = field;
  return err;
};
export const notFound = (what: string, id: string, known: string[] = []) =>
  new MarginalError('NOT_FOUND', `${what} '${id}' not found${known.length ? `; known: ${known.join(', ')}` : ''}`);
export const conflict = (message: string) => new MarginalError('CONFLICT', message);
/** `err`, marked as being about request field `field` (see `MarginalError.field`). */
export function onField<T extends MarginalError>(field: string, err: T): T {
  err.field = field;
  return err;
}
export const fitFailed = (message: string) => new MarginalError('FIT_FAILED', message);
/** A broken invariant of the code, not something the user did: answered as INTERNAL (exit 1, HTTP 500 with a request id). */
export const internal = (message: string) => new MarginalError('INTERNAL', message);

/** `oneOf('saturation.type', ['hill','logistic'], 'hil')` → a BAD_CONFIG error with the catalogue's wording. */
export function oneOf(path: string, allowed: readonly string[], got: unknown): MarginalError {
  return badConfig(`\`${path}\` must be one of ${allowed.join(', ')}; got '${String(got)}'`);
}
