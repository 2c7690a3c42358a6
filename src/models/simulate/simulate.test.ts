import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulate } from './simulate.ts';
import { writeSimulation } from '../../app/writeSimulation.ts';
import { readModelConfig } from '../../app/modelConfigFile.ts';

test('the same seed gives the same data; another seed differs', () => {
  const a = simulate({ weeks: 60, channels: 3, seed: 4 });
  const b = simulate({ weeks: 60, channels: 3, seed: 4 });
  const c = simulate({ weeks: 60, channels: 3, seed: 5 });
  assert.deepEqual(a.rows, b.rows);
  assert.notDeepEqual(a.rows, c.rows);
});

test('truth is consistent with the written data: spend sums, ROI = contribution / spend, revenue = base + media + noise', () => {
  const sim = simulate({ weeks: 104, channels: 4, geos: 3, seed: 2 });
  assert.equal(sim.rows.length, 104 * 3);
  const col = (name: string) => sim.columns.indexOf(name);
  let revenue = 0;
  for (const r of sim.rows) revenue += r[col('revenue')] as number;
  assert.ok(Math.abs(revenue - sim.truth.totalRevenue) / revenue < 1e-6);
  let media = 0;
  for (const ch of sim.truth.channels) {
    let spend = 0;
    for (const r of sim.rows) spend += r[col(`${ch.name}_spend`)] as number;
    assert.ok(Math.abs(spend - ch.spend) < 1e-6 * spend, `${ch.name} spend`);
    assert.ok(Math.abs(ch.roi - ch.contribution / ch.spend) < 1e-12);
    // Hill with shape >= 1 on positive spend: the marginal return is below the average return.
    assert.ok(ch.mroi > 0 && ch.mroi < ch.roi, `${ch.name} mroi ${ch.mroi} roi ${ch.roi}`);
    media += ch.contribution;
  }
  // Noise has mean zero: base + media explains revenue to well under 1%.
  assert.ok(Math.abs(revenue - sim.truth.baseline - media) / revenue < 0.01);
  assert.ok(media / revenue > 0.15 && media / revenue < 0.5, `media share ${media / revenue}`);
});

test('writeSimulation writes a CSV, the truth and a config that validates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-'));
  const sim = simulate({ weeks: 20, channels: 2, seed: 1 });
  const paths = writeSimulation(sim, dir);
  const lines = readFileSync(paths.data, 'utf8').trim().split('\n');
  assert.equal(lines.length, 21);
  assert.equal(lines[0], sim.columns.join(','));
  const config = readModelConfig(paths.config);
  assert.deepEqual(config.channels.map((c) => c.spend), ['tv_spend', 'search_spend']);
  assert.equal(config.data.file, join(dir, 'data.csv'));
  assert.equal(JSON.parse(readFileSync(paths.truth, 'utf8')).channels.length, 2);
});

test('late geos: a third of 40 geos enter after 52 weeks with no rows, no spend and no revenue before; the rest of the panel is drawn as in the balanced one', () => {
  const balanced = simulate({ weeks: 104, channels: 3, geos: 40, seed: 1 });
  const sim = simulate({ weeks: 104, channels: 3, geos: 40, seed: 1, lateGeos: { fraction: 1 / 3, periods: 52 } });
  const late = sim.truth.lateGeos!;
  assert.equal(late.geos.length, 13);
  assert.equal(late.periods, 52);
  assert.equal(sim.rows.length, 40 * 104 - 13 * 52);
  const col = (name: string) => sim.columns.indexOf(name);
  const firstDate = new Map<string, string>();
  for (const r of sim.rows) { const g = r[col('geo')] as string; if (!firstDate.has(g)) firstDate.set(g, r[col('date')] as string); }
  for (const g of sim.truth.geos!) assert.equal(firstDate.get(g), late.geos.includes(g) ? balanced.rows[52][col('date')] : '2023-01-02', g);
  // Truth over the rows written: spend sums, ROI = contribution / spend, revenue totals.
  let revenue = 0;
  for (const r of sim.rows) revenue += r[col('revenue')] as number;
  assert.ok(Math.abs(revenue - sim.truth.totalRevenue) < 1e-6 * revenue);
  for (const ch of sim.truth.channels) {
    let spend = 0;
    for (const r of sim.rows) spend += r[col(`${ch.name}_spend`)] as number;
    assert.ok(Math.abs(spend - ch.spend) < 1e-6 * spend, ch.name);
  }
  // Spend in a geo that was there all along is the balanced panel's (the same draws).
  const key = (r: (string | number)[]) => `${r[col('geo')]} ${r[col('date')]}`;
  const before = new Map(balanced.rows.map((r) => [key(r), r]));
  const kept = sim.rows.filter((r) => !late.geos.includes(r[col('geo')] as string));
  assert.ok(kept.every((r) => before.get(key(r))![col('tv_spend')] === r[col('tv_spend')]));
  assert.throws(() => simulate({ weeks: 30, channels: 2, seed: 1, lateGeos: { fraction: 0.5, periods: 4 } }), /geo simulation/);
  assert.throws(() => simulate({ weeks: 30, channels: 2, geos: 4, seed: 1, lateGeos: { fraction: 0.5, periods: 25 } }), /from 0 to 22/);
});
