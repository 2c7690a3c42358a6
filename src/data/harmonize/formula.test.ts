import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFormula } from './formula.ts';
import { MarginalError } from '../../errors.ts';

test('compiles arithmetic with precedence and guards division by zero', () => {
  const f = compileFormula('tv_cpm = tv_spend / tv_impressions * 1000', ['tv_spend', 'tv_impressions']);
  assert.equal(f.name, 'tv_cpm');
  assert.equal(f.sql, '(("tv_spend" / NULLIF("tv_impressions", 0)) * CAST(1000 AS DOUBLE))');
  assert.deepEqual(f.uses, ['tv_spend', 'tv_impressions']);
  assert.equal(compileFormula('x = -(a + b) * 2', ['a', 'b']).sql, '((-(("a" + "b"))) * CAST(2 AS DOUBLE))');
});

test('refuses unknown columns, bad syntax and existing names', () => {
  assert.throws(() => compileFormula('c = tv_spend / radio', ['tv_spend']), (e: MarginalError) => /unknown column 'radio'; columns: tv_spend/.test(e.message));
  assert.throws(() => compileFormula('c = (a + 1', ['a']), /missing '\)'/);
  assert.throws(() => compileFormula('c = a + ; drop', ['a']), /cannot read/);
  assert.throws(() => compileFormula('a = a * 2', ['a']), /already exists/);
  assert.throws(() => compileFormula('c = 2 * 3', ['a']), /uses no column/);
  assert.throws(() => compileFormula('nothing', ['a']), /name=expression/);
});
