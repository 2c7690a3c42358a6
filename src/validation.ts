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
  const text = typeof input === 'string' ? `'${input.slice(0, 60)}'` : JSON.stringify(input)?.slice(0, 60) ?? String(input);
  return `; got ${text}`;
}

/** One issue as a sentence naming its field. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const path = fieldPath(issue.path);
  const field = path ? `\`${path}\`` : 'the input';
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => `unknown key \`${path ? `${path}.` : ''}${k}\``).join('; ');
    case 'invalid_value':
      return `${field} must be one of ${(issue.values as unknown[]).map(String).join(', ')}${got(issue)}`;
    case 'invalid_type':
      return 'input' in issue && (issue as { input?: unknown }).input === undefined ? `${field} is required (${issue.expected})` : `${field} must be ${article(issue.expected)}${got(issue)}`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'array' || issue.origin === 'set') return `${field} must list at least ${min} item${min === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return min <= 1 ? `${field} must not be empty` : `${field} must be at least ${min} characters`;
      return `${field} must be ${issue.inclusive ? 'at least' : 'more than'} ${min}${got(issue)}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'array' || issue.origin === 'set') return `${field} may list at most ${max} item${max === 1 ? '' : 's'}`;
      if (issue.origin === 'string') return `${field} must be at most ${max} characters`;
      return `${field} must be ${issue.inclusive ? 'at most' : 'less than'} ${max}${got(issue)}`;
    }
    default:
      // Custom checks (refine) word their message to follow the field: "`from` must be a real date …".
      return `${field} ${issue.message}`;
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
