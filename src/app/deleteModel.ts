/**
 * The delete use case (`marginal models delete`, `DELETE /api/models/:id`): refused (CONFLICT, listing
 * them) while saved plans depend on the model, unless forced; the plans then keep their saved results
 * but can no longer be tracked or re-optimized on it. The model's curve cache goes with it, and so do
 * the cells of an old table version no other model was fitted on. Its id is never given again.
 */
import { MarginalError } from '../errors.ts';
import { deleteModelRow, getModel, type Workspace } from '../data/index.ts';
import { dependentPlans, statusContext, type DependentPlan } from './modelStatus.ts';

export interface Deleted { deleted: string; plans: DependentPlan[] }

export async function deleteModel(ws: Workspace, id: string, opts: { force?: boolean } = {}): Promise<Deleted> {
  await getModel(ws, id);
  const plans = dependentPlans(id, await statusContext(ws));
  if (plans.length && !opts.force) {
    const list = plans.map((p) => p.id).join(', ');
    throw new MarginalError('CONFLICT',
      `model '${id}' has ${plans.length} saved plan${plans.length === 1 ? '' : 's'} that depend${plans.length === 1 ? 's' : ''} on it: ${list}; delete ${plans.length === 1 ? 'it' : 'them'} first, or force the delete (--force; API: ?force=true): the plans keep their saved results but can no longer be tracked or re-optimized`,
      plans.map((p) => ({ value: p.id, message: `plan '${p.id}' (${p.name}) depends on model '${id}'` })));
  }
  await deleteModelRow(ws, id);
  return { deleted: id, plans };
}
