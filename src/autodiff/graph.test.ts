import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from './graph.ts';
import { add, exp, log, mul } from './ops/elementwise.ts';
import { sum } from './ops/linear.ts';
import { MarginalError } from '../errors.ts';

test('a static tape re-evaluates with new parameter values without rebuilding', () => {
  const g = new Graph();
  const x = g.param(3, [0, 1, 2]);
  const y = sum(mul(exp(x), 2)); // 2·Σ e^x
  const prog = g.program([y]);
  const opsBefore = g.ops.length;
  for (const v of [[0, 0, 0], [1, -1, 0.5]]) {
    x.value.set(v);
    prog.forward();
    prog.backward();
    assert.ok(Math.abs(y.value[0] - 2 * v.reduce((s, t) => s + Math.exp(t), 0)) < 1e-12);
    assert.deepEqual(Array.from(x.grad), v.map((t) => 2 * Math.exp(t)));
  }
  assert.equal(g.ops.length, opsBefore);
});

test('a fresh graph is a one-shot tape: build with values, then backward', () => {
  const g = new Graph();
  const x = g.param(1, [2]);
  const y = log(mul(x, x)); // 2 log x
  g.backward(y);
  assert.equal(x.grad[0], 1);
});

test('programs only run the ops their roots need; data nodes can change between runs', () => {
  const g = new Graph();
  const x = g.param(2, [1, 2]);
  const d = g.data([10, 20]);
  const a = sum(mul(x, d));
  const b = sum(exp(x)); // not needed by a
  const pa = g.program([a]);
  assert.equal(pa.ops.length, 2);
  assert.equal(g.program([a, b]).ops.length, 4);
  d.value.set([1, 1]);
  pa.forward();
  assert.equal(a.value[0], 3);
  pa.backward();
  assert.deepEqual(Array.from(x.grad), [1, 1]);
});

test('reshape shares buffers; backward needs a scalar root', () => {
  const g = new Graph();
  const x = g.param(6, [1, 2, 3, 4, 5, 6]);
  const m = g.reshape(x, [2, 3]);
  assert.equal(m.value, x.value);
  const y = sum(mul(add(m, 0), 3));
  g.backward(y);
  assert.deepEqual(Array.from(x.grad), [3, 3, 3, 3, 3, 3]);
  assert.throws(() => g.reshape(x, [4]), MarginalError);
  assert.throws(() => g.backward(m), (e) => e instanceof MarginalError && /scalar root/.test(e.message));
  assert.throws(() => g.param([2, -1]), MarginalError);
  assert.throws(() => g.param(2, [1, 2, 3]), MarginalError);
});
