/**
 * The plan builder's own checks, before anything is sent: each problem keyed by the plan field the
 * server would name (`constraints.tv`, `flights[0].periods`), in words that follow the field's label.
 * A reversed min/max is caught here, beside the bound, not after an optimization job.
 */

export interface BoundText { min: string; max: string; locked: boolean; lockedValue: string }

export interface PlanFormState {
  name: string;
  goal: 'budget' | 'target' | 'roi' | 'cpa';
  budget: string;
  target: string;
  floor: string;
  periods: number;
  flights: { name: string; start: string; periods: string; budget: string }[];
  band: string;
  noBand: boolean;
  weights: string[];
  /** Bounds by scope: '' for every geo and flight, `geo:G01`, `flight:0`; channel → bound as typed. */
  bounds: Record<string, Record<string, BoundText>>;
}

export interface PlanProblem { field: string; message: string }

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const blank = (s: string) => s.trim() === '';
const nonNegative = (s: string) => !blank(s) && Number.isFinite(Number(s)) && Number(s) >= 0;

/** The plan field of one channel's bounds in a scope, as the API names it. */
export function boundField(scope: string, channel: string): string {
  if (scope.startsWith('geo:')) return `constraints.${channel}@${scope.slice(4)}`;
  if (scope.startsWith('flight:')) return `flights[${scope.slice(7)}].constraints.${channel}`;
  return `constraints.${channel}`;
}

export function planProblems(s: PlanFormState): PlanProblem[] {
  const out: PlanProblem[] = [];
  const add = (field: string, message: string) => out.push({ field, message });
  if (!ID.test(s.name)) add('name', s.name ? 'use letters, digits, _ . or - (up to 64), starting with a letter or digit' : 'give the plan a name');
  const flightsBudgeted = s.flights.length > 0 && s.flights.every((f) => !blank(f.budget));
  if (s.goal === 'target') {
    if (!(Number(s.target) > 0)) add('target.outcome', 'give the outcome to reach, above 0');
  } else if (!flightsBudgeted || s.goal !== 'budget') {
    if (!(Number(s.budget) > 0)) add('budget', 'give a budget above 0');
  }
  if ((s.goal === 'roi' || s.goal === 'cpa') && !(Number(s.floor) > 0)) add(s.goal === 'roi' ? 'target.roi' : 'target.cpa', s.goal === 'roi' ? 'give the lowest total ROI to keep, above 0' : 'give the highest cost per conversion to allow, above 0');
  if (!s.flights.length && !(Number.isInteger(s.periods) && s.periods >= 1)) add('periods', 'must be a whole number of periods, 1 or more');
  if (!s.noBand && !nonNegative(s.band)) add('band', 'give a percentage, 0 or more, or tick "no guardrail"');
  s.weights.forEach((w, i) => { if (!(Number(w) > 0)) add(`models[${i + 1}].weight`, 'must be above 0'); });
  s.flights.forEach((f, i) => {
    if (blank(f.name)) add(`flights[${i}].name`, 'give the flight a name');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(f.start)) add(`flights[${i}].start`, 'choose a start date');
    if (!(Number.isInteger(Number(f.periods)) && Number(f.periods) >= 1)) add(`flights[${i}].periods`, 'must be a whole number of periods, 1 or more');
    if (!blank(f.budget) && !(Number(f.budget) > 0)) add(`flights[${i}].budget`, 'must be above 0, or blank to share the budget');
  });
  for (const [scope, record] of Object.entries(s.bounds)) {
    for (const [ch, b] of Object.entries(record)) {
      const field = boundField(scope, ch);
      if (b.locked) {
        if (!nonNegative(b.lockedValue)) add(field, 'give the spend to lock at, 0 or more');
        continue;
      }
      if (!blank(b.min) && !nonNegative(b.min)) add(field, 'the minimum must be a spend of 0 or more');
      else if (!blank(b.max) && !nonNegative(b.max)) add(field, 'the maximum must be a spend of 0 or more');
      else if (!blank(b.min) && !blank(b.max) && Number(b.min) > Number(b.max)) add(field, 'the minimum is above the maximum: lower the minimum or raise the maximum');
    }
  }
  return out;
}
