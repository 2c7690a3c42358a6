/** Geo models: per-geo curves add up to the national one; geo-level plans honour per-geo constraints and the contract. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { computeInsights, parseFitSummary } from '../analysis/index.ts';
import { parseModelConfig } from '../models/config.ts';
import { buildModelData } from '../models/design.ts';
import { simulate } from '../models/simulate/index.ts';
import { fitBayesian } from '../models/bayesian/fit.ts';
import { bayesianFittedModel } from '../models/bayesian/fitted.ts';
import { parsePlan, runPlan } from './plan.ts';

const validate = new Ajv2020({ strict: false }).compile(JSON.parse(readFileSync(new URL('../../contracts/optimize-output.schema.json', import.meta.url), 'utf8')));
const sim = simulate({ weeks: 60, channels: 2, geos: 2, seed: 8 });
const config = parseModelConfig({
  data: { file: 'x.csv', geo: 'geo', population: 'population' }, target: { column: 'revenue' },
  channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })),
});
const data = buildModelData(config, { source: 'x.csv', rowCount: sim.rows.length, columns: Object.fromEntries(sim.columns.map((c, j) => [c, sim.rows.map((r) => r[j])])) });
const fit = await fitBayesian(config, data, { fast: true, chains: 1, draws: 30 });
const fitted = bayesianFittedModel(config, data, fit, 30);
const [g0, g1] = fitted.geos;
const [c0] = fitted.channels;

test('per-geo response curves add up to the national curve at every multiplier', () => {
  const x = computeInsights('geo-1', fitted, parseFitSummary(fit, 'geo'), { curvePoints: 6 });
  const at = (geo: string | null, m: number) => x.responseCurves.find((r) => r.channel === c0 && r.geo === geo && r.multiplier === m)!.expected;
  for (const m of [0.05, 1, 4]) {
    const sum = at(g0, m) + at(g1, m), national = at(null, m);
    assert.ok(Math.abs(sum - national) <= 1e-9 * Math.abs(national), `×${m}: ${sum} vs ${national}`);
  }
  assert.equal(x.decomposition.length, 2 * 60);
  assert.ok(x.decomposition.every((r) => r.geo === g0 || r.geo === g1));
});

test('geo-level plan: a row per channel × geo, per-geo lock and channel cap honoured, sums to the budget, contract', () => {
  let ref = 0;
  for (let i = 0; i < fitted.spend.length; i++) if (Math.floor(i / 2) % 60 >= 47) ref += fitted.spend[i];
  const out = runPlan(parsePlan({ model: 'geo-1', budget: ref, periods: 13, geos: true, draws: 30, constraints: { [`${c0}@${g1}`]: { locked: 0.1 * ref }, [c0]: { max: 0.3 * ref } } }), [{ id: 'geo-1', fitted, weight: 1 }]);
  assert.ok(validate(out), JSON.stringify(validate.errors));
  assert.equal(out.allocation.length, 4);
  assert.ok(out.allocation.every((a) => a.geo === g0 || a.geo === g1));
  const locked = out.allocation.find((a) => a.channel === c0 && a.geo === g1)!;
  assert.ok(Math.abs(locked.spend - 0.1 * ref) <= 1e-9 * ref, `locked ${locked.spend}`);
  const capped = out.allocation.find((a) => a.channel === c0 && a.geo === g0)!;
  assert.ok(capped.spend <= 0.3 * ref * (1 + 1e-12));
  assert.ok(Math.abs(out.total.spend - ref) <= 1e-9 * ref);
});
