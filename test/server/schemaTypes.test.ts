/**
 * The response schemas agree with the types of what the code makes and stores: the type-level checks
 * in src/app/schemas/agreement.ts and src/server/agreement.ts compile (`npm test` does not run tsc, so
 * this test does, on those two files and what they import).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { typeCheckInRepo } from '../support/tsc.ts';

test('every response schema agrees with the type of what its producer makes', () => {
  const files = ['src/app/schemas/agreement.ts', 'src/server/agreement.ts'].map((f) => resolve(import.meta.dirname, '../..', f));
  const r = typeCheckInRepo(files);
  assert.equal(r.status, 0, r.output);
});
