import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { describeIssues } from './validation.ts';

test('one wording for every validation: the field in backticks, what is wrong, what was given', () => {
  const schema = z.strictObject({ name: z.string().min(1), kind: z.enum(['a', 'b']), n: z.number().int().min(2), list: z.array(z.string()).min(1), nested: z.strictObject({ x: z.number() }) });
  const r = schema.safeParse({ name: '', kind: 'c', n: 1, list: [], nested: { x: 'no', y: 1 }, extra: true }, { reportInput: true });
  assert.equal(r.success, false);
  const text = describeIssues(r.error!, 10);
  for (const part of ['`name` must not be empty', "`kind` must be one of a, b; got 'c'", '`n` must be at least 2; got 1', '`list` must list at least 1 item', "`nested.x` must be a number; got 'no'", 'unknown key `nested.y`', 'unknown key `extra`']) {
    assert.ok(text.includes(part), `missing "${part}" in: ${text}`);
  }
  assert.match(describeIssues(z.object({ a: z.string() }).safeParse({}, { reportInput: true }).error!), /^`a` is required \(string\)$/);
  // An interval (a tuple) is named in words.
  assert.equal(describeIssues(z.object({ iv: z.tuple([z.number(), z.number()]) }).safeParse({ iv: 'wide' }, { reportInput: true }).error!), "`iv` must be a list of two numbers, [low, high]; got 'wide'");
  // A query parameter coerced to a number that is not one (`?limit=abc`) is said so, not "got null".
  const text2 = describeIssues(z.object({ limit: z.coerce.number().int() }).safeParse({ limit: 'abc' }, { reportInput: true }).error!);
  assert.match(text2, /^`limit` .*; got text that is not a number$/);
});
