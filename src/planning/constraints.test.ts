import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarginalError } from '../errors.ts';
import { optimizeBudget, hillCurve } from './index.ts';
import { logCurve, rng } from './testing.ts';
import type { Constraint, ResponseCurve } from './types.ts';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const bad = (fn: () => unknown, re: RegExp) =>
  assert.throws(fn, (e: unknown) => e instanceof MarginalError && e.code === 'BAD_INPUT' && re.test(e.message) || assert.fail(`got ${String(e)}`));

function geoCurves(): ResponseCurve[] {
  const u = rng(5);
  const out: ResponseCurve[] = [];
  for (const ch of ['tv', 'radio', 'search', 'social']) for (const geo of ['north', 'south', 'east'])
    out.push(hillCurve({ channel: ch, geo, beta: 100 + 400 * u(), k: 10 + 50 * u(), shape: 0.8 + 2 * u(), reference: 10 + 30 * u() }));
  return out;
}

test('bounds: min, max, locked, ±% of the baseline, channel entries for every geo, key entries override them', () => {
  const curves = geoCurves();
  const budget = 600;
  const base = (key: string) => { const c = curves.find((x) => x.key === key)!; return (c.reference / sum(curves.map((x) => x.reference))) * budget; };
  const constraints: Record<string, Constraint> = {
    tv: { max: 20 }, 'tv@south': { min: 30, max: 40 }, 'radio@east': { locked: 12.5 }, search: { minPct: 10, maxPct: 25 }, 'social@north': { min: 50 },
  };
  const r = optimizeBudget({ curves, budget, constraints });
  const at = (k: string) => r.allocation.find((x) => x.key === k)!.spend;
  assert.ok(at('tv@north') <= 20 && at('tv@east') <= 20);
  assert.ok(at('tv@south') >= 30 && at('tv@south') <= 40, `tv@south ${at('tv@south')}`);
  assert.equal(at('radio@east'), 12.5);
  for (const g of ['north', 'south', 'east']) {
    const k = `search@${g}`;
    assert.ok(at(k) >= 0.9 * base(k) - 1e-9 && at(k) <= 1.25 * base(k) + 1e-9, `${k}: ${at(k)} vs base ${base(k)}`);
  }
  assert.ok(at('social@north') >= 50);
  assert.ok(Math.abs(r.total.spend - budget) <= 1e-12 * budget, `sum ${r.total.spend}`);
  assert.ok(Math.abs(sum(r.allocation.map((x) => x.spend)) - budget) <= 1e-12 * budget);
  r.allocation.forEach((x) => assert.ok(x.spend >= 0 && Number.isFinite(x.expected)));
});

test('results do not depend on the order of the curves or the spelling case of keys and constraint names', () => {
  const curves = geoCurves();
  const constraints = { TV: { max: 25 }, 'Radio@East': { min: 40 }, social: { maxPct: 50 } };
  const a = optimizeBudget({ curves, budget: 500, constraints });
  const u = rng(99);
  for (let t = 0; t < 3; t++) {
    const shuffled = curves.map((c) => [u(), c] as const).sort((x, y) => x[0] - y[0]).map((x) => x[1]);
    const b = optimizeBudget({ curves: shuffled, budget: 500, constraints: { tv: { max: 25 }, 'radio@east': { min: 40 }, SOCIAL: { maxPct: 50 } } });
    assert.deepEqual(b.allocation.map((x) => x.key), shuffled.map((c) => c.key), 'rows come back in input order');
    for (const x of b.allocation) {
      const y = a.allocation.find((z) => z.key === x.key)!;
      assert.equal(x.spend, y.spend, x.key); assert.equal(x.expected, y.expected); assert.equal(x.mroi, y.mroi);
    }
    assert.equal(b.total.expected, a.total.expected);
  }
});

test('infeasible or malformed constraints: a clear BAD_INPUT naming the curve and the numbers', () => {
  const curves = [logCurve('tv', 100, 10), logCurve('radio', 50, 5), logCurve('search', 80, 20)];
  bad(() => optimizeBudget({ curves, budget: 100, constraints: { tv: { min: 70 }, radio: { min: 40 } } }), /minimum spends add up to 110 \(tv 70, radio 40\), more than the budget 100/);
  bad(() => optimizeBudget({ curves, budget: 100, constraints: { tv: { max: 10 }, radio: { max: 20 }, search: { max: 30 } } }), /maximum spends add up to 60 .*less than the budget 100/);
  bad(() => optimizeBudget({ curves, budget: 100, constraints: { tv: { locked: 80 }, radio: { locked: 30 } } }), /locked spends add up to 110 \(tv 80, radio 30\), more than the budget 100/);
  bad(() => optimizeBudget({ curves, budget: 100, constraints: { tv: { min: 50, max: 10 } } }), /tv: min 50 is greater than max 10/);
  bad(() => optimizeBudget({ curves, budget: 100, constraints: { tvv: { min: 5 } } }), /'tvv' matches no curve key or channel; channels: radio, search, tv/);
  bad(() => optimizeBudget({ curves, budget: 100, constraints: { tv: { min: -5 } } }), /constraints\.tv\.min must be a finite number ≥ 0; got -5/);
  bad(() => optimizeBudget({ curves, budget: 100, constraints: { tv: { locked: 5, max: 9 } } }), /'locked' fixes the spend/);
  bad(() => optimizeBudget({ curves, budget: 100, constraints: { tv: { min: 1 }, TV: { max: 9 } } }), /name the same curve/);
  bad(() => optimizeBudget({ curves, budget: 90, constraints: { tv: { min: 50, maxPct: 20 } } }), /constraints for 'tv': the lower bound 50 exceeds the upper bound 36 \(baseline spend 30/);
  bad(() => optimizeBudget({ curves: [...curves, logCurve('TV', 1, 1)], budget: 100 }), /'tv' and 'TV' collide/);
  bad(() => optimizeBudget({ curves, budget: -1 }), /budget must be a finite number ≥ 0; got -1/);
  bad(() => optimizeBudget({ curves: [], budget: 1 }), /at least one response curve/);
  bad(() => optimizeBudget({ curves: [{ ...logCurve('x', 1, 1), expected: () => NaN }], budget: 1 }), /curve 'x': expected\(.*\) returned NaN/);
});

test('never below the baseline: a curve whose payoff sits only at the reference spend (a needle no search samples)', () => {
  const needle: ResponseCurve = { key: 'needle', channel: 'needle', reference: 37.123456789, expected: (s) => 0.001 * s + (Math.abs(s - 37.123456789) < 1e-9 ? 1000 : 0) };
  const other = logCurve('other', 10, 5, 62.876543211);
  const r = optimizeBudget({ curves: [needle, other], budget: 100 });
  assert.ok(r.objective.value >= r.objective.baseline, `${r.objective.value} < ${r.objective.baseline}`);
  assert.ok(r.total.expected >= r.baseline.total.expected - 1e-9);
  assert.ok(Math.abs(r.allocation[0].spend - 37.123456789) < 1e-9);
});

test('a zero budget spends nothing; locked-only plans keep the locks', () => {
  const curves = [logCurve('a', 10, 1), logCurve('b', 10, 2)];
  const z = optimizeBudget({ curves, budget: 0 });
  assert.deepEqual(z.allocation.map((x) => x.spend), [0, 0]);
  assert.equal(z.equalMroi, null);
  const l = optimizeBudget({ curves, budget: 30, constraints: { a: { locked: 30 } } });
  assert.deepEqual(l.allocation.map((x) => x.spend), [30, 0]);
});
