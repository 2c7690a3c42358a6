/** Stored models side by side (`marginal compare`, `GET /api/models/compare`, the web's Models page). */
import { getModel, type Workspace } from '../data/index.ts';
import { compareOutputs, type Comparison } from '../analysis/compare.ts';
import { parseFitSummary } from '../analysis/summary.ts';

export async function compareModelIds(ws: Workspace, ids: readonly string[]): Promise<Comparison> {
  const models = [];
  for (const id of ids) {
    const m = await getModel(ws, id);
    const s = parseFitSummary(m.output, `model '${m.id}'`);
    models.push({ id: m.id, output: { ...s, family: s.family ?? m.family } });
  }
  return compareOutputs(models);
}
