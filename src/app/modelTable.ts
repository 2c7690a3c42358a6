/**
 * A model's data table, read from where its config says: a file (`data.file`, CLI only) or a
 * harmonized table of the workspace (`data.harmonized`: the version `data.version` names, a stored
 * model's the one it was fitted on; the current one when it names none).
 */
import { basename } from 'node:path';
import { badConfig } from '../errors.ts';
import { loadHarmonized, readWideTable } from '../data/index.ts';
import type { ModelConfig } from '../models/config.ts';
import type { WideTable } from '../models/design.ts';

export async function loadModelTable(config: ModelConfig, workspace: string): Promise<WideTable> {
  if (config.data.file) {
    const t = await readWideTable(config.data.file);
    return { source: basename(config.data.file), rowCount: t.rowCount, columns: t.columns, lines: t.lines };
  }
  const id = config.data.harmonized!;
  const version = config.data.version;
  const h = await loadHarmonized(workspace, id, version);
  const columns: WideTable['columns'] = {};
  columns[config.data.date] = h.dates;
  if (config.data.geo) {
    if (!h.geos) throw badConfig(`\`data.geo\` is '${config.data.geo}' but harmonized table '${id}' is national`);
    columns[config.data.geo] = h.geos;
  }
  for (const [name, values] of Object.entries(h.columns)) columns[name] = Array.from(values, (v) => (Number.isNaN(v) ? null : v));
  return { source: `harmonized '${id}'${version === undefined ? '' : ` (version ${version})`}`, rowCount: h.dates.length, columns };
}
