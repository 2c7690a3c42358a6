/**
 * An unbalanced panel through the CLI: `marginal simulate --late-geos` writes no rows for the late
 * geos' first weeks, and `fit`, `insights` and a `report` run on it as written (no row filled in).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = join(fileURLToPath(new URL('../../', import.meta.url)), 'bin/marginal');

test('simulate --late-geos: late geos have no rows before they enter; the panel fits, and insights list observed cells only', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-unbalanced-'));
  try {
    const run = (...args: string[]) => spawnSync(process.execPath, [bin, '--workspace', 'ws.duckdb', ...args], { encoding: 'utf8', cwd: dir });
    const ok = (r: ReturnType<typeof run>, what: string) => { assert.equal(r.status, 0, `${what}: exit ${r.status}\n${r.stderr}`); return r; };
    const sim = ok(run('simulate', '--out', 'sim', '--weeks', '60', '--channels', '2', '--geos', '10', '--late-geos', '0.3', '--late-periods', '20', '--json'), 'simulate');
    const truth = (JSON.parse(sim.stdout) as { truth: { lateGeos: { geos: string[]; periods: number } } }).truth;
    assert.deepEqual(truth.lateGeos, { geos: ['G02', 'G06', 'G09'], periods: 20 });
    const lines = readFileSync(join(dir, 'sim/data.csv'), 'utf8').trim().split('\n');
    assert.equal(lines.length - 1, 10 * 60 - 3 * 20);
    const fit = ok(run('fit', 'sim/model.json', '--fast', '--json'), 'fit');
    const modelId = (JSON.parse(fit.stdout) as { modelId: string }).modelId;
    const insights = JSON.parse(ok(run('insights', modelId, '--json'), 'insights').stdout) as { decomposition: unknown[]; fit: { sample: string; n: number }[] };
    assert.equal(insights.decomposition.length, 540);
    assert.equal(insights.fit.find((r) => r.sample === 'in-sample')?.n, 540);
    ok(run('report', modelId, '--out', 'report.html'), 'report');
    // Refusals name the choice in words, and exit 2.
    const bad = run('simulate', '--out', 'x', '--geos', '10', '--late-geos', '1.5');
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--late-geos must be a fraction from 0 to 1/);
    assert.equal(run('simulate', '--out', 'x', '--late-geos', '0.3').status, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
