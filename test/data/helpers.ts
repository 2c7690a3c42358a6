/** Test helpers for the data layer: temp workspaces, a naive CSV reader independent of the ingest code, table snapshots. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Workspace } from '../../src/data/index.ts';

/** The reference data sets committed with the repo (data/reference/README.md: origins and licenses). */
export const REFERENCE = fileURLToPath(new URL('../../data/reference/', import.meta.url));

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'marginal-test-'));
}

export async function tempWorkspace(): Promise<Workspace> {
  return Workspace.open(join(tempDir(), 'ws.duckdb'));
}

/** A deliberately simple CSV parse (no quoted delimiters in these files): header + rows of strings, quotes stripped. */
export function naiveCsv(path: string, delim = ','): { header: string[]; rows: string[][] } {
  const lines = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.length);
  const split = (l: string) => l.split(delim).map((c) => c.replace(/^"|"$/g, ''));
  return { header: split(lines[0]), rows: lines.slice(1).map(split) };
}

export function columnSum(csv: { header: string[]; rows: string[][] }, column: string): number {
  const j = csv.header.indexOf(column);
  if (j < 0) throw new Error(`no column ${column}`);
  return csv.rows.reduce((s, r) => s + (r[j] === '' ? 0 : Number(r[j])), 0);
}

export function sumOf(a: Float64Array): number {
  let s = 0;
  for (const x of a) if (!Number.isNaN(x)) s += x;
  return s;
}

/** Relative closeness for sums of many floats. */
export function close(actual: number, expected: number, rel = 1e-9): boolean {
  return Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected));
}

/** Every table of the workspace with its row count: equal snapshots mean an unchanged workspace. */
export async function snapshot(ws: Workspace): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of await ws.tables()) out[t] = Number(await ws.value(`SELECT count(*) FROM "${t}"`));
  out.__datasets = Number(await ws.value(`SELECT count(*) FROM datasets`));
  out.__content = Number(await ws.value(`SELECT coalesce(sum(hash(dataset, date, geo, channel, metric, value)) % 1000000007, 0) FROM observations`));
  return out;
}
