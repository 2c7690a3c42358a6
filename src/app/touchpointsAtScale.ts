/**
 * The at-scale touchpoint use cases: events too many to hold every journey in memory (hundreds of
 * millions), scored partition by partition of customers (touchpoints/partitioned.ts): every method's
 * credit per channel. `scoreEventFile` reads a Parquet file where it lies, in a scratch DuckDB file of
 * its own (DuckDB spills a partition's sort there), neither reading nor locking the workspace;
 * `scoreLargeDataset` scores a touchpoint dataset of the workspace the same way.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { badInput } from '../errors.ts';
import { Workspace, getDataset, withWorkspace, type DatasetInfo } from '../data/index.ts';
import { METHODS, datasetEvents, parquetEvents, scorePartitioned, type Method, type PartitionedOptions, type PartitionedResult, type Summary } from '../touchpoints/index.ts';

/** DuckDB's memory for the scratch database: two partitions' sorts (about 600 MB each at 12.5 million events) fit without spilling. */
const SCRATCH_MEMORY = '2GB';

export interface EventFileRequest extends Omit<PartitionedOptions, 'methods' | 'progress'> {
  /** The method whose summary leads (the `touchpoints-output` contract); every method is scored. */
  method: Method;
}

export type EventFileSummary = Summary & { methods: Summary[] } & Omit<PartitionedResult, 'summaries'>;

/**
 * Events of a touchpoint dataset scored with every journey in memory at most: about 4 GB of journeys,
 * scores and exports at 20 million (2 GB measured at 10 million). Beyond, the command line scores it
 * partition by partition (`scoreLargeDataset`); the app's job refuses it. MARGINAL_MAX_IN_MEMORY_EVENTS
 * sets another bound (a machine with more or less memory; the tests, a small one).
 */
export function maxInMemoryEvents(): number {
  const env = Number(process.env.MARGINAL_MAX_IN_MEMORY_EVENTS);
  return Number.isFinite(env) && env > 0 ? env : 20_000_000;
}

/** Whether a dataset is touchpoint events, more than are scored in memory. */
export function tooLargeInMemory(d: Pick<DatasetInfo, 'kind' | 'layout' | 'stored'>): boolean {
  return d.kind === 'touchpoints' && d.layout === 'events' && d.stored > maxInMemoryEvents();
}

/** Whether a touchpoint dataset of the workspace has more events than are scored in memory. */
export async function isLargeDataset(workspace: string, data: string): Promise<boolean> {
  return tooLargeInMemory(await withWorkspace(workspace, (ws) => getDataset(ws, data)));
}

/** Scores every method on an event file in Parquet; the summary of `method` first, then all of them. */
export async function scoreEventFile(file: string, r: EventFileRequest, progress?: PartitionedOptions['progress']): Promise<EventFileSummary> {
  checkMethod(r.method);
  const dir = mkdtempSync(join(tmpdir(), 'marginal-events-'));
  // DuckDB spills gigabytes of sorted rows into the scratch folder: an interrupted run (Ctrl+C) removes it too.
  const onInterrupt = () => { rmSync(dir, { recursive: true, force: true }); process.exit(130); };
  process.once('SIGINT', onInterrupt);
  let ws: Workspace | null = null;
  try {
    ws = await Workspace.open(join(dir, 'scratch.duckdb'), { memoryLimit: process.env.MARGINAL_MEMORY_LIMIT ?? SCRATCH_MEMORY });
    return lead(await scorePartitioned(ws, await parquetEvents(ws, file), { ...r, progress }), r.method, file);
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    ws?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Scores every method on a touchpoint dataset of the workspace, partition by partition (as `scoreEventFile`). */
export async function scoreLargeDataset(workspace: string, data: string, r: EventFileRequest, progress?: PartitionedOptions['progress']): Promise<EventFileSummary> {
  checkMethod(r.method);
  return withWorkspace(workspace, async (ws) => {
    const d = await getDataset(ws, data);
    if (d.kind !== 'touchpoints' || d.layout !== 'events') throw badInput(`dataset '${data}' is not a touchpoint dataset of events (kind ${d.kind}, layout ${d.layout})`);
    return lead(await scorePartitioned(ws, datasetEvents(data), { ...r, progress }), r.method, `dataset '${data}'`);
  });
}

function checkMethod(method: Method): void {
  if (!(METHODS as readonly string[]).includes(method)) throw badInput(`the method must be one of ${METHODS.join(', ')}; got '${method}'`);
}

/** The summary of `method` first, then every method's. */
function lead(r: PartitionedResult, method: Method, what: string): EventFileSummary {
  const { summaries, ...rest } = r;
  const first = summaries.find((s) => s.method === method);
  if (!first) throw badInput(`method '${method}' did not score ${what}: ${rest.notes.join('; ') || 'no journey to score'}`);
  return { ...first, methods: summaries, ...rest };
}
