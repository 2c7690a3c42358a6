/**
 * `marginal report` on stored classic models: a ridge and a boosting model fitted into a temporary
 * workspace, rendered through modelReport with their response curves (rebuilt via loadFittedModel;
 * the boosting trees are refitted from their seed).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFit } from '../../app/fit.ts';
import { parseModelConfig } from '../../models/config.ts';
import { simulate } from '../../models/simulate/index.ts';
import { writeSimulation } from '../../app/writeSimulation.ts';
import { modelReport } from '../../app/report.ts';

const dir = mkdtempSync(join(tmpdir(), 'marginal-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const files = writeSimulation(simulate({ weeks: 80, channels: 3, seed: 3 }), dir);
const workspace = join(dir, 'ws.duckdb');

async function stored(extra: object): Promise<string> {
  const raw = JSON.parse(readFileSync(files.config, 'utf8'));
  const config = parseModelConfig({ ...raw, data: { ...raw.data, file: files.data }, holdout: { periods: 8 }, classic: { bootstrap: 5, trees: { nTrees: 20 } }, ...extra });
  return (await runFit(config, workspace, {})).output.modelId;
}

function chartData(html: string) {
  return JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]);
}

test('marginal report writes a ridge and a boosting model, response curves with bootstrap bands included', async () => {
  for (const family of ['ridge', 'boosting'] as const) {
    const id = await stored({ family });
    const html = await modelReport(workspace, id);
    assert.match(html, /^<!doctype html>/);
    assert.match(html, /Intervals are 90% bootstrap intervals \(5 refits\)/);
    assert.match(html, /<section class="detail" id="curves">/, `${family}: response curves`);
    assert.match(html, /with the 90% bootstrap band/);
    assert.match(html, new RegExp(`<section class="detail" id="model-details">[\\s\\S]*<table id="${family === 'ridge' ? 'coef-table' : 'synergy-table'}">`));
    const data = chartData(html);
    assert.equal(data.series.low, null);
    assert.equal(data.curves.length, 3);
    for (const c of data.curves as { channel: string; points: { low: number; expected: number; high: number }[]; current: { spend: number } }[]) {
      const ch = data.channels.find((x: { name: string }) => x.name === c.channel);
      assert.ok(ch, c.channel);
      assert.ok(c.points.length >= 20, `${c.points.length} points`);
      assert.ok(c.current.spend > 0);
      assert.ok(c.points.every((p) => Number.isFinite(p.expected) && p.low <= p.high), `${family} ${c.channel}: a band from the bootstrap replicates`);
      assert.ok(c.points.some((p) => p.high > p.low), `${family} ${c.channel}: the band has width`);
    }
    if (family === 'boosting') assert.match(html, /partial dependence of the tree model: flat beyond the largest spend seen in training/);
  }
});
