/**
 * Form problems next to their fields: a message per field (keyed by `fieldKey`), from the form's own
 * checks before anything is sent, and from the API's `problems[].field` when the server refuses.
 */
import type { ReactNode } from 'react';
import { ApiError } from './api.ts';
import { fieldKey, fieldLabel } from './fields.ts';

/** Field key → what is wrong, in words that follow the field's label. */
export type Problems = Record<string, string>;

const noteId = (field: string) => `note-${fieldKey(field).replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** A message in the problem's own words once its field is named by a label: drop a leading `path`. */
export const problemText = (message: string) => message.replace(/^`[^`]*`\s*/, '');

/** The problems of a refused request that name a field, keyed by field. */
export function problemsOf(error: unknown): Problems {
  if (!(error instanceof ApiError)) return {};
  const out: Problems = {};
  for (const p of error.problems) if (p.field && !out[fieldKey(p.field)]) out[fieldKey(p.field)] = problemText(p.message);
  return out;
}

/** The message for a field, shown under its input (and read out with it: see `invalid`). */
export function FieldNote({ problems, field }: { problems: Problems; field: string }) {
  const m = problems[fieldKey(field)];
  return m ? <span className="field-error" id={noteId(field)} data-field={fieldKey(field)}>{m}</span> : null;
}

/** Props that mark an input invalid and tie it to its note, for screen readers. */
export function invalid(problems: Problems, field: string): { 'aria-invalid'?: true; 'aria-describedby'?: string } {
  return problems[fieldKey(field)] ? { 'aria-invalid': true, 'aria-describedby': noteId(field) } : {};
}

/** Why a button is disabled, shown beside it (a disabled button alone says nothing). */
export function WhyNot({ reasons, action, testId }: { reasons: ReactNode[]; action: string; testId?: string }) {
  if (!reasons.length) return null;
  return (
    <div className="why-not" role="status" data-testid={testId}>
      <strong>To {action}:</strong>
      {reasons.length === 1 ? <> {reasons[0]}</> : <ul>{reasons.map((r, i) => <li key={i}>{r}</li>)}</ul>}
    </div>
  );
}

/** "Lift test 1, start date: must be a date" for a field problem with no input on screen. */
export function labelled(field: string, message: string): string {
  return `${fieldLabel(field)}: ${problemText(message)}`;
}
