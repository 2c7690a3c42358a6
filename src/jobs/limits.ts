/**
 * What one request may ask of a shared server: the size of a fit (chains, warm-up, draws), of a
 * search (iterations, trials), of a tree ensemble, of a plan, and how long any job may run. The
 * operator sets them with environment variables (docs/server.md); the defaults are far above what
 * the bundled examples need (4 chains × 1000 + 1000, 2000 search iterations) and far below what
 * would hold the machine for hours. The CLI on the user's own machine is not limited.
 */
import { badInput } from '../errors.ts';
import type { ModelConfig } from '../models/config.ts';

export interface JobLimits {
  chains: number;
  warmup: number;
  draws: number;
  searchIterations: number;
  searchTrials: number;
  trees: number;
  bootstrap: number;
  planPeriods: number;
  /** A job running longer is stopped and fails with TIMED_OUT. */
  jobMinutes: number;
}

/** The longest per-job limit a timer can hold (2^31 − 1 ms), in whole minutes. */
export const MAX_JOB_MINUTES = Math.floor((2 ** 31 - 1) / 60_000);

/** Each limit with its environment variable and default. */
export const LIMIT_VARIABLES: Record<keyof JobLimits, { env: string; default: number; what: string }> = {
  chains: { env: 'MARGINAL_MAX_CHAINS', default: 16, what: 'chains' },
  warmup: { env: 'MARGINAL_MAX_WARMUP', default: 20_000, what: 'warm-up iterations per chain' },
  draws: { env: 'MARGINAL_MAX_DRAWS', default: 20_000, what: 'draws per chain' },
  searchIterations: { env: 'MARGINAL_MAX_SEARCH_ITERATIONS', default: 100_000, what: 'search iterations per trial' },
  searchTrials: { env: 'MARGINAL_MAX_SEARCH_TRIALS', default: 50, what: 'search trials' },
  trees: { env: 'MARGINAL_MAX_TREES', default: 5_000, what: 'trees' },
  bootstrap: { env: 'MARGINAL_MAX_BOOTSTRAP', default: 2_000, what: 'bootstrap resamples' },
  planPeriods: { env: 'MARGINAL_MAX_PLAN_PERIODS', default: 520, what: 'plan periods' },
  jobMinutes: { env: 'MARGINAL_JOB_TIMEOUT_MIN', default: 60, what: 'minutes per job' },
};

/** The limits in force: each variable when set to a positive number, else its default. */
export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): JobLimits {
  const out = {} as JobLimits;
  for (const [key, v] of Object.entries(LIMIT_VARIABLES) as [keyof JobLimits, (typeof LIMIT_VARIABLES)[keyof JobLimits]][]) {
    const raw = env[v.env];
    const n = raw === undefined || raw === '' ? NaN : Number(raw);
    if (raw !== undefined && raw !== '' && !(n > 0)) throw badInput(`${v.env} must be a positive number; got '${raw}'`);
    out[key] = n > 0 ? n : v.default;
  }
  // A timer cannot wait longer than 2^31 − 1 ms (24.8 days): past it Node fires at once, which would
  // fail every job, so a longer limit is refused rather than silently turned into none.
  if (out.jobMinutes > MAX_JOB_MINUTES) throw badInput(`MARGINAL_JOB_TIMEOUT_MIN must be at most ${MAX_JOB_MINUTES.toLocaleString('en-US')} (24 days); got '${env.MARGINAL_JOB_TIMEOUT_MIN}'`);
  return out;
}

function over(field: string, got: number, key: keyof JobLimits, limits: JobLimits): never {
  const v = LIMIT_VARIABLES[key];
  throw badInput(`\`${field}\` is ${got.toLocaleString('en-US')}; this server allows at most ${limits[key].toLocaleString('en-US')} ${v.what} (the operator can raise it with ${v.env})`);
}

/** Refuses a fit that asks for more than the limits, naming the field. `options` are the request's overrides. */
export function checkFitLimits(config: ModelConfig, options: { chains?: number; draws?: number; warmup?: number; fast?: boolean }, limits: JobLimits): void {
  const inf = config.inference;
  const checks: [string, number | undefined, keyof JobLimits][] = [
    [options.chains !== undefined ? 'chains' : 'config.inference.chains', options.chains ?? inf.chains, 'chains'],
    [options.warmup !== undefined ? 'warmup' : 'config.inference.warmup', options.warmup ?? inf.warmup, 'warmup'],
    [options.draws !== undefined ? 'draws' : 'config.inference.draws', options.draws ?? inf.draws, 'draws'],
    ['config.search.iterations', config.search?.iterations, 'searchIterations'],
    ['config.search.trials', config.search?.trials, 'searchTrials'],
    ['config.classic.trees.nTrees', config.classic?.trees?.nTrees, 'trees'],
    ['config.classic.bootstrap', config.classic?.bootstrap, 'bootstrap'],
  ];
  for (const [field, got, key] of checks) if (got !== undefined && got > limits[key]) over(field, got, key, limits);
}

/** Refuses a plan past the period limit. */
export function checkPlanLimits(spec: { periods: number }, limits: JobLimits): void {
  if (spec.periods > limits.planPeriods) over('periods', spec.periods, 'planPeriods', limits);
}
