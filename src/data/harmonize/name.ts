/**
 * Whether a harmonized table may take a name, checked before any work: a dataset's id is never
 * reused, and an existing table is only overwritten when the caller explicitly asks to replace it.
 * The messages are the CLI's and the web's alike (the field is `name`); harmonize's own check inside
 * its transaction stays the guard against a name taken meanwhile.
 */
import { conflict, onField } from '../../errors.ts';
import type { Workspace } from '../workspace.ts';
import type { DatasetInfo } from '../catalog.ts';

export async function checkTableName(ws: Workspace, name: string, replace: boolean, datasets: DatasetInfo[]): Promise<void> {
  if (datasets.some((d) => d.id === name)) throw onField('name', conflict(`the name '${name}' is taken by a dataset; choose another name for the table`));
  if (replace) return;
  if (await ws.value<number>('SELECT count(*) FROM harmonized WHERE id = ?', [name])) {
    throw onField('name', conflict(`the name '${name}' is taken: a harmonized table of that name already exists; choose another name, or replace that table`));
  }
}
