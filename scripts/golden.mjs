#!/usr/bin/env node
// Refactoring check: `node scripts/golden.mjs OUT_DIR` runs one fixed workload through the CLI
// (simulator seeds, every example config, each model family, --fast, the README session with its
// plans, a plan comparison and calibrated touchpoint scores) in a fresh workspace and writes each
// --json answer to OUT_DIR with wall-clock fields removed, plus OUT_DIR/hashes.txt. Run it before and
// after a change that should not move a number, then `diff BEFORE/hashes.txt AFTER/hashes.txt`.
// Short chains keep it to a few minutes; determinism, not convergence, is what it checks.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const out = resolve(process.argv[2] ?? 'out/golden');
mkdirSync(out, { recursive: true });
const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'bin/marginal');
const work = mkdtempSync(join(tmpdir(), 'marginal-golden-'));
const ws = join(work, 'ws.duckdb');
const short = ['--chains', '2', '--warmup', '100', '--draws', '100'];
const VOLATILE = /^(seconds|durationMs|elapsed\w*|createdAt|updatedAt|fittedAt|savedAt|startedAt|finishedAt|generatedAt|workspace|path|file)$/;

function strip(value) {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !VOLATILE.test(k)).map(([k, v]) => [k, strip(v)]));
  }
  return value;
}

const hashes = [];
function run(label, args, { json = true } = {}) {
  process.stderr.write(`golden: ${label}\n`);
  const text = execFileSync(bin, ['--workspace', ws, ...args], { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 });
  const body = json ? JSON.stringify(strip(JSON.parse(text)), null, 1) : text;
  writeFileSync(join(out, `${label}.json`), body);
  hashes.push(`${createHash('sha256').update(body).digest('hex').slice(0, 16)}  ${label}`);
  return json ? JSON.parse(text) : text;
}

function fitAndRead(label, config, extra = []) {
  const fit = run(`${label}.fit`, ['fit', config, '--json', ...extra]);
  run(`${label}.insights`, ['insights', fit.modelId, '--json']);
  return fit.modelId;
}

function variant(source, name, change) {
  const config = JSON.parse(readFileSync(source, 'utf8'));
  const path = join(work, `${name}.json`);
  const dataFile = config.data?.file;
  if (dataFile) config.data.file = resolve(join(source, '..'), dataFile);
  if (config.holidays?.file) config.holidays.file = resolve(join(source, '..'), config.holidays.file);
  writeFileSync(path, JSON.stringify({ ...change(config), name }, null, 1));
  return path;
}

// Simulator seeds as the benchmarks use them (national seed 1 and 2, a small geo panel).
run('simulate.national', ['simulate', '--out', 'sim1', '--seed', '1'], { json: false });
run('simulate.national2', ['simulate', '--out', 'sim2', '--seed', '2'], { json: false });
run('simulate.geo', ['simulate', '--out', 'geo', '--geos', '4', '--weeks', '104', '--seed', '3'], { json: false });
const sim1 = fitAndRead('sim1', join(work, 'sim1/model.json'), short);
fitAndRead('sim2', join(work, 'sim2/model.json'), short);
fitAndRead('sim1-fast', variant(join(work, 'sim1/model.json'), 'fastsim', (c) => c), ['--fast']);
const geo = fitAndRead('geo', join(work, 'geo/model.json'), short);
for (const family of ['linear', 'ridge', 'forest', 'boosting']) {
  const extra = family === 'ridge' ? { search: { iterations: 60, trials: 1, seed: 1 } } : family === 'linear' ? {} : { classic: { trees: { nTrees: 40 } } };
  fitAndRead(`sim1-${family}`, variant(join(work, 'sim1/model.json'), family, (c) => ({ ...c, family, ...extra })));
}

// Every example config.
for (const example of ['meridian/national', 'meridian/geo', 'pymc/model', 'robyn/model']) {
  const label = example.replace('/', '-');
  fitAndRead(label, variant(join(root, 'examples', `${example}.json`), label.replace(/[^a-z]/g, ''), (c) => c), short);
}

// The README session: ingest, harmonize, fit, plans, plan comparison, touchpoints calibrated to the model.
for (const f of ['media.csv', 'sales.csv', 'prices.xlsx', 'plan.json', 'plan-keep-social.json']) copyFileSync(join(root, 'examples/session', f), join(work, f));
run('ingest.media', ['ingest', 'media.csv', '--kind', 'summary', '--json']);
run('ingest.sales', ['ingest', 'sales.csv', '--kind', 'conversions', '--json']);
run('ingest.prices', ['ingest', 'prices.xlsx', '--kind', 'factors', '--json']);
run('harmonize', ['harmonize', '--grain', 'week', '--name', 'weekly', '--json']);
const session = fitAndRead('session', join(root, 'examples/session/model.json'), short);
const planA = run('plan.q1', ['optimize', 'plan.json', '--json']);
const planB = run('plan.keep-social', ['optimize', 'plan-keep-social.json', '--json']);
run('plan.compare', ['plans', 'compare', planA.id ?? planA.planId ?? 'q1-1', planB.id ?? planB.planId ?? 'q1-2', '--json']);
writeFileSync(join(work, 'sim-plan.json'), JSON.stringify({ name: 'simplan', model: sim1, budget: 2_000_000, periods: 13 }));
run('plan.sim1', ['optimize', 'sim-plan.json', '--json']);
writeFileSync(join(work, 'geo-plan.json'), JSON.stringify({ name: 'geoplan', model: geo, budget: 1_000_000, periods: 8, geos: true }));
try { run('plan.geo', ['optimize', 'geo-plan.json', '--json']); } catch { hashes.push('refused  plan.geo'); }
run('ingest.journeys', ['ingest', join(root, 'data/reference/attribution/touchpoint_journeys.csv'), '--kind', 'touchpoints', '--name', 'journeys', '--json']);
for (const method of ['linear', 'markov', 'shapley']) run(`touchpoints.${method}`, ['touchpoints', '--data', 'journeys', '--method', method, '--json']);
run('touchpoints.calibrated', ['touchpoints', session, '--data', 'journeys', '--method', 'markov', '--json',
  '--channel-map', 'Online Video=tv', '--channel-map', 'Paid Search=search', '--channel-map', 'Facebook=social']);

writeFileSync(join(out, 'hashes.txt'), hashes.join('\n') + '\n');
process.stderr.write(`golden: ${hashes.length} answers in ${out}\n`);
