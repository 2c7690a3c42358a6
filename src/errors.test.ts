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
