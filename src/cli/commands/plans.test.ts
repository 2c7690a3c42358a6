import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { withWorkspace } from '../../data/index.ts';
import { listPlans, loadCurveNodes } from '../../data/plans.ts';
import { MarginalError } from '../../errors.ts';
import { readModelConfig } from '../../app/modelConfigFile.ts';
import { backtest } from './backtest.ts';
import { optimizePlanFile } from './optimize.ts';
import { comparePlanPair } from './plans.ts';
import { fastFitFixture } from '../../../test/support/fastFit.ts';

const schema = JSON.parse(readFileSync(new URL('../../../contracts/optimize-output.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ strict: false }).compile(schema);
const fx = await fastFitFixture({ weeks: 104, seed: 3 });
after(() => fx.cleanup());
const planFile = (name: string, plan: object) => { const f = join(fx.dir, `${name}.json`); writeFileSync(f, JSON.stringify(plan)); return f; };

test('optimize saves plans; plans lists them; compare puts them side by side with differences', async () => {
  const a = await optimizePlanFile(fx.workspace, planFile('a', { name: 'base', model: fx.modelId, budget: 1e6, periods: 13, draws: 50 }));
  const b = await optimizePlanFile(fx.workspace, planFile('b', { name: 'capped', model: fx.modelId, budget: 1.2e6, periods: 13, objective: 'revenue', constraints: { tv: { maxPct: 10 }, search: { minPct: 10 } }, draws: 50 }));
  assert.equal(a.planId, 'base-1'); assert.equal(b.planId, 'capped-1');
  assert.ok(validate(a) && validate(b), JSON.stringify(validate.errors));
  const tvBase = b.baseline.allocation.find((r) => r.channel === 'tv')!.spend;
  assert.ok(b.allocation.find((r) => r.channel === 'tv')!.spend <= 1.1 * tvBase * (1 + 1e-9), 'tv within +10% of its baseline');
  const list = await withWorkspace(fx.workspace, (ws) => listPlans(ws));
  assert.deepEqual(list.map((p) => p.id), ['base-1', 'capped-1']);
  assert.equal(list[0].budget, 1e6);
  const c = await comparePlanPair(fx.workspace, 'base-1', 'capped-1');
  assert.equal(c.difference.budget, 2e5);
  assert.ok(Math.abs(c.difference.expected - (b.total.expected - a.total.expected)) < 1e-6);
  for (const r of c.rows) assert.ok(Math.abs(r.spendDiff - (r.spendB - r.spendA)) < 1e-9);
  // B − A with its interval, draw by draw on the same model: the 5% and 95% quantiles of the paired differences.
  assert.equal(c.difference.intervalBasis, 'paired draws');
  const diffs = b.total.expectedDraws!.map((v, k) => v - a.total.expectedDraws![k]).sort((x, y) => x - y);
  const q = (p: number) => { const h = (diffs.length - 1) * p, i = Math.floor(h); return diffs[i] + (h - i) * ((diffs[Math.min(i + 1, diffs.length - 1)]) - diffs[i]); };
  assert.ok(Math.abs(c.difference.expectedInterval![0] - q(0.05)) < 1e-6 && Math.abs(c.difference.expectedInterval![1] - q(0.95)) < 1e-6);
  assert.equal('expectedDraws' in c.a.total, false, 'the comparison does not repeat the draws');
  // Per channel too: each row's B − A interval from the same draws of that channel.
  for (const r of c.rows) {
    const ra = a.allocation.find((x) => x.key === r.key)!, rb = b.allocation.find((x) => x.key === r.key)!;
    const d = rb.expectedDraws!.map((v, k) => v - ra.expectedDraws![k]).sort((x, y) => x - y);
    const qq = (p: number) => { const h = (d.length - 1) * p, i = Math.floor(h); return d[i] + (h - i) * ((d[Math.min(i + 1, d.length - 1)]) - d[i]); };
    assert.ok(Math.abs(r.expectedDiffInterval![0] - qq(0.05)) < 1e-6 && Math.abs(r.expectedDiffInterval![1] - qq(0.95)) < 1e-6, r.key);
  }
  const [lo, hi] = c.b.total.roiInterval!;
  assert.ok(lo <= c.b.total.roi && c.b.total.roi <= hi && Math.abs(lo * b.total.spend - b.total.expectedInterval![0]) < 1e-6);
  // The second run of plan A reads the model's curve nodes from the workspace: the same plan, bit for bit.
  const nodes = await withWorkspace(fx.workspace, (ws) => loadCurveNodes(ws, fx.modelId));
  assert.ok(nodes.size >= 3 * 20, `${nodes.size} nodes stored`);
  const again = await optimizePlanFile(fx.workspace, planFile('a', { name: 'base', model: fx.modelId, budget: 1e6, periods: 13, draws: 50 }), { save: false });
  assert.deepEqual(again.allocation.map((r) => r.spend), a.allocation.map((r) => r.spend));
  await assert.rejects(comparePlanPair(fx.workspace, 'base-1', 'nope-1'), (e: unknown) => e instanceof MarginalError && e.code === 'NOT_FOUND');
});

test('bin/marginal optimize --json prints the contract on stdout; a bad plan is BAD_INPUT (exit 2) naming the field', () => {
  const out = execFileSync('./bin/marginal', ['--workspace', fx.workspace, 'optimize', planFile('c', { model: fx.modelId, budget: 5e5, periods: 8, draws: 50 }), '--json', '--no-save'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const json = JSON.parse(out) as { planId: string | null; total: { spend: number } };
  assert.ok(validate(json), JSON.stringify(validate.errors));
  assert.equal(json.planId, null);
  assert.ok(Math.abs(json.total.spend - 5e5) < 1e-6);
  return assert.rejects(optimizePlanFile(fx.workspace, planFile('d', { model: fx.modelId, budget: -1 })), (e: unknown) => e instanceof MarginalError && e.exitCode === 2 && /budget/.test(e.message));
});

test('backtest: fits up to a date, forecasts the next periods with the actual spend, scores the forecast', async () => {
  const r = await backtest(readModelConfig(fx.configPath), fx.workspace, '2024-06-30', 8, { fast: true, chains: 1, draws: 200 });
  assert.equal(r.periods.length, 8);
  assert.ok(r.periods[0].period > '2024-06-30');
  const mape = r.periods.reduce((s, p) => s + Math.abs(p.error / p.actual), 0) / 8;
  assert.ok(Math.abs(mape - r.mape) < 1e-12);
  assert.ok(r.mape < 0.3, `back-test MAPE ${r.mape}`);
  assert.ok(r.coverage >= 0 && r.coverage <= 1);
  await assert.rejects(backtest(readModelConfig(fx.configPath), fx.workspace, '2026-01-01', 8, { fast: true }), /periods after it/);
});

test('plans can be shown, renamed (the id stays, and a new plan of the old name gets a fresh id) and deleted, from the CLI', async () => {
  const cli = (...args: string[]) => execFileSync(join(import.meta.dirname, '../../../bin/marginal'), ['--workspace', fx.workspace, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  await optimizePlanFile(fx.workspace, planFile('life', { name: 'life', model: fx.modelId, budget: 1e6, periods: 13, draws: 50 }));
  assert.match(cli('plans', 'show', 'life-1'), /^name: life\nplan life-1 on model .*guardrail: \d+ channels kept within ±30%/s);
  cli('plans', 'rename', 'life-1', 'final');
  const shown = JSON.parse(cli('plans', 'show', 'life-1', '--json')) as { id: string; name: string };
  assert.deepEqual([shown.id, shown.name], ['life-1', 'final']);
  const again = await optimizePlanFile(fx.workspace, planFile('life', { name: 'life', model: fx.modelId, budget: 1e6, periods: 13, draws: 50 }));
  assert.equal(again.planId, 'life-2', 'the renamed plan keeps life-1');
  assert.throws(() => cli('plans', 'rename', 'life-2', 'no spaces'), /plan name 'no spaces': letters, digits/);
  cli('plans', 'delete', 'life-2');
  const ids = (await withWorkspace(fx.workspace, (ws) => listPlans(ws))).map((p) => p.id);
  assert.ok(ids.includes('life-1') && !ids.includes('life-2'), ids.join());
  const after = await optimizePlanFile(fx.workspace, planFile('life', { name: 'life', model: fx.modelId, budget: 1e6, periods: 13, draws: 50 }));
  assert.equal(after.planId, 'life-3', 'a deleted plan\'s id is not given to another plan');
  assert.throws(() => cli('plans', 'delete', 'life-2'), /plan 'life-2'/);
});

test('plans export: CSV tables and one XLSX workbook; the monthly forecast adds up to the weekly one', async () => {
  const cli = (...args: string[]) => execFileSync(join(import.meta.dirname, '../../../bin/marginal'), ['--workspace', fx.workspace, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const out = await optimizePlanFile(fx.workspace, planFile('exp', { name: 'exp', model: fx.modelId, budget: 1e6, periods: 13, draws: 50 }));
  cli('plans', 'export', out.planId!, '--out', join(fx.dir, 'f.csv'), '--table', 'forecast');
  const rows = readFileSync(join(fx.dir, 'f.csv'), 'utf8').trim().split('\n');
  assert.equal(rows.length, 14);
  assert.match(rows[0], /^model,period,expected,expectedLow,expectedHigh,base,media$/);
  cli('plans', 'export', out.planId!, '--out', join(fx.dir, 'p.xlsx'));
  const ExcelJS = (await import('exceljs')).default;
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(join(fx.dir, 'p.xlsx'));
  assert.deepEqual(wb.worksheets.map((w) => w.name), ['Allocation', 'Forecast by period', 'Forecast by month', 'About']);
  const sum = (name: string) => { let s = 0; wb.getWorksheet(name)!.eachRow((r, i) => { if (i > 1) s += Number(r.getCell(3).value); }); return s; };
  const weekly = out.forecast[0].periods.reduce((s, p) => s + p.expected, 0);
  assert.ok(Math.abs(sum('Forecast by period') - weekly) < 1e-6 * weekly);
  assert.ok(Math.abs(sum('Forecast by month') - weekly) < 1e-6 * weekly, `monthly ${sum('Forecast by month')} vs weekly ${weekly}`);
  assert.equal(wb.getWorksheet('Allocation')!.rowCount, out.allocation.length + 1);
  assert.throws(() => cli('plans', 'export', out.planId!, '--out', join(fx.dir, 'x.txt')), /--out must end in \.csv or \.xlsx/);
});
