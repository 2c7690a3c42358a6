/**
 * The APPROXIMATE warning states how far --fast ROI means were measured to sit from NUTS's, and the
 * figure is the bench's (bench/results/fastgap.json), not a number typed in by hand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { samplerWarnings } from './fit.ts';
import { FAST_GAP, FEW_PERIODS_FAST_GAP, fastGapNote } from './warnings.ts';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

test('FAST_GAP is the Laplace summary of bench/results/fastgap.json (a new bench run must update it)', () => {
  const bench = JSON.parse(readFileSync(`${repo}bench/results/fastgap.json`, 'utf8'));
  const all = bench.summary.laplace.all;
  assert.equal(FAST_GAP.channels, all.channels);
  assert.equal(FAST_GAP.within, all.within);
  assert.equal(FAST_GAP.meanGap, all.meanGap);
  assert.equal(FAST_GAP.worst, all.worst);
  assert.equal(FAST_GAP.worstCase, all.worstCase);
  assert.equal(FAST_GAP.measured, bench.date.slice(0, 10));
  // The worst channel, found in the cases themselves.
  let worst = { gap: -1, id: '', channel: '' };
  for (const c of bench.cases) for (const ch of c.variants.laplace.channels) if (ch.gap > worst.gap) worst = { gap: ch.gap, id: c.id, channel: ch.channel };
  assert.deepEqual([worst.id, worst.channel], [FAST_GAP.worstCase, FAST_GAP.worstChannel]);
  assert.ok(Math.abs(worst.gap - FAST_GAP.worst) < 1e-9);
  // Every example config and simulator seeds 1–12, national and geo, were measured.
  const ids = bench.cases.map((c: { id: string }) => c.id);
  for (const e of ['examples/robyn/model.json', 'examples/pymc/model.json', 'examples/meridian/national.json', 'examples/meridian/geo.json']) assert.ok(ids.includes(e), e);
  for (let seed = 1; seed <= 12; seed++) {
    assert.ok(ids.includes(`national 156x5 seed ${seed}`), `national ${seed}`);
    assert.ok(ids.includes(`geo 40 156x5 seed ${seed}`), `geo ${seed}`);
  }
});

test('the APPROXIMATE warning of a --fast fit says by how much its ROI means were measured to differ from NUTS', () => {
  const d = { rhatMax: 1, essBulkMin: 4000, essTailMin: 4000, divergences: 0, seconds: 1 };
  for (const geos of [1, 40]) {
    const [w] = samplerWarnings('laplace', d, 10, geos);
    assert.ok(w.startsWith('APPROXIMATE: '), w);
    assert.ok(w.includes(fastGapNote()), w);
    assert.match(w, /ROI means were within a quarter of the NUTS 90% interval width of the NUTS means for 99% of channels \(134 of 135; mean gap 0\.08× that width\), the worst 0\.39× \(examples\/robyn\/model\.json, print\)\. Refit with full sampling \(NUTS\)/);
  }
  assert.deepEqual(samplerWarnings('nuts', d, 10), []);
});

test('FEW_PERIODS_FAST_GAP is the --fast-vs-NUTS summary of bench/results/fewperiods.json', () => {
  const bench = JSON.parse(readFileSync(`${repo}bench/results/fewperiods.json`, 'utf8'));
  assert.deepEqual(
    { measured: FEW_PERIODS_FAST_GAP.measured, channels: FEW_PERIODS_FAST_GAP.channels, within: FEW_PERIODS_FAST_GAP.within, worst: FEW_PERIODS_FAST_GAP.worst },
    { measured: bench.date.slice(0, 10), channels: bench.fastGap.channels, within: bench.fastGap.within, worst: bench.fastGap.worst },
  );
});
