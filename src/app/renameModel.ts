/**
 * The rename use case (`marginal models rename`, `PATCH /api/models/:id`): a model's display name
 * changes, its id does not — plans, links, comparisons and cached insights name models by id, and a
 * refit of it keeps numbering under its config's name.
 */
import { getModel, renameModel as renameRow, type Workspace } from '../data/index.ts';
import { badInput } from '../errors.ts';

export const MODEL_NAME_MAX = 80;

/** A display name: 1–80 characters, trimmed, no control characters; BAD_INPUT otherwise. */
export function modelDisplayName(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.trim() : '';
  // eslint-disable-next-line no-control-regex
  if (!name || name.length > MODEL_NAME_MAX || /[\u0000-\u001f\u007f]/.test(name)) {
    throw badInput(`a model name must be 1–${MODEL_NAME_MAX} characters without tabs or line breaks; got '${String(raw).slice(0, 100)}'`);
  }
  return name;
}

export async function renameStoredModel(ws: Workspace, id: string, raw: unknown): Promise<{ id: string; name: string; previous: string }> {
  const name = modelDisplayName(raw);
  const { name: previous } = await getModel(ws, id);
  await renameRow(ws, id, name);
  return { id, name, previous };
}
