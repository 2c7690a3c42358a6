/**
 * The workspace boundary: a stored model or plan row is read only if this version can read it — a
 * row from a newer version is refused by its format, a result that lost a field the model needs is
 * refused naming the field, and a row from before the format column still reads.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { MarginalError } from '../../src/errors.ts';
import { getModel, withWorkspace } from '../../src/data/index.ts';
import { MODEL_FORMAT } from '../../src/data/models.ts';
import { loadFittedModel } from '../../src/app/load.ts';
import { modelInsights } from '../../src/app/insights.ts';
import { fastFitFixture } from '../support/fastFit.ts';

const fx = await fastFitFixture({ weeks: 60, channels: 2 });
after(() => fx.cleanup());

const isConflict = (pattern: RegExp) => (e: unknown) => e instanceof MarginalError && e.code === 'CONFLICT' && pattern.test(e.message);

test('a stored fit is read back and rebuilt (format column written)', async () => {
  const { fitted } = await loadFittedModel(fx.workspace, fx.modelId);
  assert.equal(fitted.channels.length, 2);
  const format = await withWorkspace(fx.workspace, async (ws) => (await ws.all<{ format: number }>('SELECT format FROM models WHERE id = ?', [fx.modelId]))[0].format);
  assert.equal(Number(format), MODEL_FORMAT);
});

test('a row written by a newer version is refused with its format named, not misread', async () => {
  await withWorkspace(fx.workspace, (ws) => ws.run(`INSERT INTO models (id, name, family, created_at, config, output, result, format) SELECT 'future-1', 'future', family, created_at, config, output, result, ${MODEL_FORMAT + 1} FROM models WHERE id = ?`, [fx.modelId]));
  await assert.rejects(withWorkspace(fx.workspace, (ws) => getModel(ws, 'future-1')), isConflict(new RegExp(`newer version of Marginal \\(stored format ${MODEL_FORMAT + 1}; this version reads up to ${MODEL_FORMAT}\\)`)));
});

test('a stored result without its draws is refused naming the field, for loading and for insights', async () => {
  await withWorkspace(fx.workspace, async (ws) => {
    const { result } = await getModel(ws, fx.modelId);
    const { draws: _dropped, ...rest } = result as Record<string, unknown>;
    await ws.run(`INSERT INTO models (id, name, family, created_at, config, output, result, format) SELECT 'broken-1', 'broken', family, created_at, config, output, ?, format FROM models WHERE id = ?`, [JSON.stringify(rest), fx.modelId]);
  });
  await assert.rejects(loadFittedModel(fx.workspace, 'broken-1'), isConflict(/model 'broken-1'.*at `draws`.*refit the model/));
  await assert.rejects(modelInsights(fx.workspace, 'broken-1'), isConflict(/at `draws`/));
});

test('a row from before the format column reads as format 1', async () => {
  await withWorkspace(fx.workspace, async (ws) => {
    await ws.run("INSERT INTO models (id, name, family, created_at, config, output, result) SELECT 'old-1', 'old', family, created_at, config, output, result FROM models WHERE id = ?", [fx.modelId]);
    await ws.run("UPDATE models SET format = NULL WHERE id = 'old-1'");
  });
  const m = await withWorkspace(fx.workspace, (ws) => getModel(ws, 'old-1'));
  assert.equal(m.family, 'bayesian');
  const { fitted } = await loadFittedModel(fx.workspace, 'old-1');
  assert.equal(fitted.channels.length, 2);
});
