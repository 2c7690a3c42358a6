/**
 * The model wizard's own checks, run on every change and before anything is sent: each problem keyed by
 * the config field the server would name (`priors.roi.tv.sd`, `experiments[0].end`), with the wizard
 * step it is on, in words that follow the field's label. A number left blank means "not given"; a number
 * given wrong (a negative spread, a date the wrong way round) is said, never silently dropped.
 */

export interface CheckedChannel {
  name: string; on: boolean; roiMean: string; roiSd: string; priorOn: 'roi' | 'mroi'; share: string;
  curve: Record<string, { mean: string; sd: string }>;
}
export interface CheckedExperiment { channel: string; start: string; end: string; lift: string; liftSe: string }

export interface WizardState {
  /** The table's first and last period (YYYY-MM-DD) and how many periods it has. */
  table: { from: string; to: string; periods: number };
  target: string;
  kind: 'revenue' | 'conversions';
  /** '' none, a positive number as text (a fixed value), or a column name. */
  rpc: string;
  channels: CheckedChannel[];
  /** Curve parameters each channel has (by its transforms), and which are fractions (beta priors). */
  curveKeys: (channel: string) => string[];
  fractionKeys: string[];
  yearly: number;
  maxLag: number;
  holdout: number;
  experiments: CheckedExperiment[];
  name: string;
  family: string;
  bootstrap: string;
  search: { on: boolean; iterations: number; trials: number };
}

export interface WizardProblem { field: string; step: number; message: string }

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (s: string) => DATE.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
const blank = (s: string) => s.trim() === '';
const num = (s: string) => (blank(s) ? NaN : Number(s));

export function wizardProblems(s: WizardState): WizardProblem[] {
  const out: WizardProblem[] = [];
  const add = (step: number, field: string, message: string) => out.push({ step, field, message });

  if (!s.target) add(0, 'target.column', 'choose the column the model should explain');
  if (s.kind === 'conversions' && /^[0-9.]+$/.test(s.rpc) && !(Number(s.rpc) > 0)) add(0, 'target.revenuePerConversion', 'give a value above 0, or choose "none"');

  const on = s.channels.filter((c) => c.on);
  if (!on.length) add(1, 'channels', 'turn on at least one channel');

  if (!Number.isInteger(s.yearly) || s.yearly < 0 || s.yearly > 10) add(2, 'seasonality.yearly', 'must be a whole number from 0 to 10');
  if (!Number.isInteger(s.maxLag) || s.maxLag < 1 || s.maxLag > 104) add(3, 'adstock.maxLag', 'must be a whole number of periods from 1 to 104');
  if (!Number.isInteger(s.holdout) || s.holdout < 0) add(3, 'holdout.periods', 'must be a whole number of periods, 0 or more');
  // The model needs at least 8 periods to fit (as src/models/design.ts checks).
  else if (s.table.periods > 0 && s.holdout > 0 && s.holdout >= s.table.periods - 8) add(3, 'holdout.periods', `leaves too little to fit: the table has ${s.table.periods} periods and the model needs 8 of them, so keep at most ${Math.max(0, s.table.periods - 9)} out`);

  if (s.family === 'bayesian') {
    for (const c of on) {
      const key = `priors.${c.priorOn}.${c.name}`;
      const mean = num(c.roiMean), sd = num(c.roiSd);
      if (!blank(c.roiMean) && !(mean > 0)) add(4, `${key}.mean`, 'must be above 0 (an ROI of 1.5 returns 1.5 per unit spent)');
      if (!blank(c.roiSd) && !(sd > 0)) add(4, `${key}.sd`, 'must be above 0; leave both blank for no prior');
      if (blank(c.roiMean) !== blank(c.roiSd)) add(4, blank(c.roiMean) ? `${key}.mean` : `${key}.sd`, 'give both the mean and the spread, or neither');
      if (!blank(c.share) && !(num(c.share) > 0 && num(c.share) < 100)) add(4, `priors.contributionShare.${c.name}.share`, 'must be a percentage above 0 and below 100');
      for (const k of s.curveKeys(c.name)) {
        const p = c.curve[k];
        if (!p) continue;
        const field = `priors.curves.${c.name}.${k}`;
        const m = num(p.mean), sd = num(p.sd);
        if (!blank(p.mean) && !(m > 0 && (!s.fractionKeys.includes(k) || m < 1))) add(4, `${field}.mean`, s.fractionKeys.includes(k) ? 'must be between 0 and 1' : 'must be above 0');
        if (!blank(p.sd) && !(sd > 0)) add(4, `${field}.sd`, 'must be above 0');
        if (blank(p.mean) !== blank(p.sd)) add(4, blank(p.mean) ? `${field}.mean` : `${field}.sd`, 'give both the mean and the spread, or neither');
      }
    }
  }
  s.experiments.forEach((x, i) => {
    const f = (k: string) => `experiments[${i}].${k}`;
    if (!on.some((c) => c.name === x.channel)) add(4, f('channel'), 'choose one of the channels in the model');
    for (const k of ['start', 'end'] as const) {
      if (!isDate(x[k])) add(4, f(k), 'choose a date');
      else if (x[k] < s.table.from || x[k] > s.table.to) add(4, f(k), `must be within the table's dates (${s.table.from} to ${s.table.to})`);
    }
    if (isDate(x.start) && isDate(x.end) && x.end < x.start) add(4, f('end'), 'is before the start date');
    if (!Number.isFinite(num(x.lift))) add(4, f('lift'), 'give the measured lift (extra outcome over the test)');
    if (!(num(x.liftSe) > 0)) add(4, f('liftSe'), 'give the standard error of the lift, above 0 (how sure the test is)');
  });

  if (!ID.test(s.name)) add(5, 'name', s.name ? 'use letters, digits, _ . or - (up to 64), starting with a letter or digit' : 'give the model a name');
  if (s.family !== 'bayesian' && !blank(s.bootstrap) && !(Number.isInteger(Number(s.bootstrap)) && Number(s.bootstrap) >= 0 && Number(s.bootstrap) <= 2000)) add(5, 'classic.bootstrap', 'must be a whole number from 0 to 2000, or blank for the default');
  if (s.family === 'ridge' && s.search.on) {
    if (!(Number.isInteger(s.search.iterations) && s.search.iterations >= 1)) add(5, 'search.iterations', 'must be a whole number, 1 or more');
    if (!(Number.isInteger(s.search.trials) && s.search.trials >= 1)) add(5, 'search.trials', 'must be a whole number, 1 or more');
  }
  return out;
}
