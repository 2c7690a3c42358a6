import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarginalError, formatProblem, oneOf } from './errors.ts';

test('oneOf names the path, the allowed values and the value received', () => {
  const e = oneOf('saturation.type', ['hill', 'logistic', 'michaelis-menten'], 'hil');
  assert.equal(e.message, "`saturation.type` must be one of hill, logistic, michaelis-menten; got 'hil'");
  assert.equal(e.exitCode, 2);
  assert.equal(e.httpStatus, 400);
});

test('formatProblem names file, row, column and value', () => {
  assert.equal(formatProblem({ file: 'a.csv', row: 3, column: 'tv', value: '-1', message: 'spend must be >= 0' }),
    "a.csv, row 3, column 'tv', value '-1': spend must be >= 0");
  assert.ok(new MarginalError('FIT_FAILED', 'x').exitCode === 1);
  // A missing cell is called empty, not printed as 'null'.
  for (const value of [null, '']) {
    assert.equal(formatProblem({ file: 'a.csv', row: 13, column: 'date', value, message: 'not a date (expected YYYY-MM-DD)' }),
      'a.csv, row 13, column \'date\', empty cell: not a date (expected YYYY-MM-DD)');
  }
});

test('product code throws only coded errors: no plain `throw new Error(` outside tests', async () => {
  const { readdirSync, readFileSync, statSync } = await import('node:fs');
  const { join } = await import('node:path');
  const root = new URL('.', import.meta.url).pathname;
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) { walk(path); continue; }
      // The runner's own test tasks crash a worker thread on purpose.
      if (!name.endsWith('.ts') || name.endsWith('.test.ts') || path.endsWith(join('jobs', 'tasks', 'testing.ts'))) continue;
      readFileSync(path, 'utf8').split('\n').forEach((line, i) => { if (line.includes('throw new Error(')) offenders.push(`${path.slice(root.length)}:${i + 1}`); });
    }
  };
  walk(root);
  assert.deepEqual(offenders, [], 'use badInput / conflict / internal … from src/errors.ts');
});
