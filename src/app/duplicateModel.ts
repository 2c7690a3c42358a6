/**
 * The duplicate use case (`marginal models duplicate`, `POST /api/models/:id/duplicate`): a copy of a
 * model's config under a new name, to edit and fit (the web opens the wizard with it). The copy names
 * no table version, so it fits on the table's current one.
 */
import { getModel, type Workspace } from '../data/index.ts';
import { parseModelConfig, type ModelConfig } from '../models/config.ts';

export interface Duplicate { model: string; name: string; config: ModelConfig }

/** The stored config of model `id` renamed `name` (default `<its name>-copy`), checked as any config is. */
export async function duplicateModelConfig(ws: Workspace, id: string, name?: string): Promise<Duplicate> {
  const m = await getModel(ws, id);
  const raw = JSON.parse(JSON.stringify(m.config)) as Record<string, unknown> & { name?: string; data: Record<string, unknown> };
  const newName = name ?? `${raw.name ?? id.replace(/-\d+$/, '')}-copy`;
  const { version: _pinned, ...data } = raw.data;
  const config = parseModelConfig({ ...raw, name: newName, data }, `the copy of model '${id}'`);
  return { model: id, name: newName, config };
}
