/**
 * One wording for every validation message, whoever validates (model configs, plans, request bodies):
 * the field in backticks, then what is wrong and what is expected, in words a user knows —
 * "unknown key `periodz`", "`channels` must list at least 1 item", "`budget` must be a number; got 'ten'".
 * Parse with `{ reportInput: true }` so a message can say what was given.
 */
import type { z } from 'zod';

/** `channels[0].spend`, `priors.roi.tv`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** "; got 'ten'" when the parse kept the input (`reportInput: true`), else nothing. */
function got(issue: z.core.$ZodIssue): string {
  if (!('input' in issue)) return '';
  const input = (issue as { input?: unknown }).input;
  // A number coerced from text (a query parameter) that did not read as one arrives as NaN, which
  // JSON would print as null.
  if (typeof input === 'number' && !Number.isFinite(input)) return Number.isNaN(input) ? '; got text that is not a number' : `; got ${input}`;
  const text = typeof input === 'string' ? `'${input.slice(0, 60)}'` : JSON.stringify(input)?.slice(0, 60) ?? String(input);
  return `; got ${text}`;
}

/** One issue as a sentence naming its field. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const path = fieldPath(issue.path);
  if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => `unknown key \`${path ? `${path}.` : ''}${k}\``).join('; ');
  const inner = unionBranch(issue);
  if (inner) return describeIssue({ ...inner, path: [...issue.path, ...inner.path] });
  return `${path ? `\`${path}\`` : 'the input'} ${issueText(issue)}`;
}

/**
 * A union that matched no branch: the issue of the branch that came closest (fewest issues), so the
 * message says what that field needs ("must be a number") rather than zod's "Invalid input".
 */
function unionBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue | null {
  if (issue.code !== 'invalid_union' || !('errors' in issue) || !issue.errors.length) return null;
  const best = [...issue.errors].sort((a, b) => a.length - b.length)[0];
  return best[0] ?? null;
}

/**
 * The issues of an error as problems: each with its `field` (prefixed by `prefix`, e.g. 'config') and a
 * message that reads after the field's label ("must be at least 1") — what a form shows beside the input.
 */
export function issueProblems(error: z.ZodError, prefix = ''): { field: string; message: string }[] {
  return error.issues.flatMap((raw) => issueFields(raw, prefix));
}

/** One issue's field(s) and message (an unknown-keys issue names each key). */
export function issueFields(raw: z.core.$ZodIssue, prefix = ''): { field: string; message: string }[] {
  {
    const inner = unionBranch(raw);
    const issue = inner ? { ...inner, path: [...raw.path, ...inner.path] } as z.core.$ZodIssue : raw;
    const path = fieldPath(issue.path);
    const field = (p: string) => [prefix, p].filter(Boolean).join(p.startsWith('[') ? '' : '.');
    if (issue.code === 'unrecognized_keys') return issue.keys.map((k) => ({ field: field(path ? `${path}.${k}` : k), message: 'is not a setting this accepts' }));
    return [{ field: field(path), message: issueText(issue) }];
  }
}

/** What is wrong with the issue's field, without naming it: "must be one of week, month; got 'day'". */
function issueText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_value':
      return `must be one of ${(issue.values as unknown[]).map(String).join(', ')}${got(issue)}`;
    case 'invalid_type':
      if ('input' in issue && (issue as { input?: unknown }).input === undefined) return `is required (${issue.expected})`;
      // Every tuple in Marginal's schemas is an interval: words for it, not zod's type name.
      if (issue.expected === 'tuple') return `must be a list of two numbers, [low, high]${got(issue)}`;
      return `must be ${article(issue.expected)}${got(issue)}`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'array' || issue.origin === 'set') return `must list at least ${min} item${min === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return min <= 1 ? `must not be empty` : `must be at least ${min} characters`;
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${min}${got(issue)}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'array' || issue.origin === 'set') return `may list at most ${max} item${max === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return `must be at most ${max} characters`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${max}${got(issue)}`;
    }
    default:
      // Custom checks (refine) word their message to follow the field: "`from` must be a real date …".
      return `${issue.message}`;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The first few issues of an error, one sentence each: "`a`: …; `b`: …; and 3 more". */
export function describeIssues(error: z.ZodError, most = 5): string {
  const all = error.issues.map(describeIssue);
  return all.slice(0, most).join('; ') + (all.length > most ? `; and ${all.length - most} more` : '');
}
