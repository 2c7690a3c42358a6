/**
 * The at-scale touchpoint use case: an event file too large to hold (hundreds of millions of events)
 * scored where it lies, partition by partition of customers (touchpoints/partitioned.ts): every
 * method's credit per channel. It runs in a scratch DuckDB file of its own (DuckDB spills a
 * partition's sort there), not in the workspace, which it neither reads nor locks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { badInput } from '../errors.ts';
import { Workspace } from '../data/index.ts';
import { METHODS, parquetEvents, scorePartitioned, type Method, type PartitionedOptions, type PartitionedResult, type Summary } from '../touchpoints/index.ts';

/** DuckDB's memory for the scratch database: two partitions' sorts (about 600 MB each at 12.5 million events) fit without spilling. */
const SCRATCH_MEMORY = '2GB';

export interface EventFileRequest extends Omit<PartitionedOptions, 'methods' | 'progress'> {
  /** The method whose summary leads (the `touchpoints-output` contract); every method is scored. */
  method: Method;
}

export type EventFileSummary = Summary & { methods: Summary[] } & Omit<PartitionedResult, 'summaries'>;

/** Scores every method on an event file in Parquet; the summary of `method` first, then all of them. */
export async function scoreEventFile(file: string, r: EventFileRequest, progress?: PartitionedOptions['progress']): Promise<EventFileSummary> {
  if (!(METHODS as readonly string[]).includes(r.method)) throw badInput(`the method must be one of ${METHODS.join(', ')}; got '${r.method}'`);
  const dir = mkdtempSync(join(tmpdir(), 'marginal-events-'));
  const ws = await Workspace.open(join(dir, 'scratch.duckdb'), { memoryLimit: process.env.MARGINAL_MEMORY_LIMIT ?? SCRATCH_MEMORY });
  try {
    const source = await parquetEvents(ws, file);
    const { summaries, ...rest } = await scorePartitioned(ws, source, { ...r, progress });
    const lead = summaries.find((s) => s.method === r.method);
    if (!lead) throw badInput(`method '${r.method}' cannot score ${file}: Shapley values are exact for up to 20 channels, and the file has ${rest.channelNames.length}`);
    return { ...lead, methods: summaries, ...rest };
  } finally {
    ws.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
