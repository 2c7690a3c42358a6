/**
 * The DuckDB workspace: one file holding every dataset, harmonized table, model and plan.
 *
 * Other stages reuse this class to add their own tables:
 *
 *   const ws = await Workspace.open('./marginal.duckdb');
 *   try {
 *     await ws.transaction(async (tx) => { await tx.run('INSERT INTO models VALUES (?, ?)', [id, json]); });
 *     const rows = await ws.all('SELECT id FROM datasets');
 *   } finally { ws.close(); }
 *
 * Only one process may hold a DuckDB file open for writing: open, do the work, close. A second
 * process waits in line for the file (see `open`), and gets a CONFLICT naming it only past the wait. Every write belongs in `transaction(fn)`: if `fn`
 * throws, everything it wrote is rolled back and the workspace is exactly as before.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { MarginalError, conflict, internal } from '../errors.ts';
import { createSchema } from './schema.ts';
import { ensureVersionTables } from './harmonize/versions.ts';
import type { Params, Row, SqlSession } from './sqlSession.ts';

export type { Params, Row };
export type WaitReporter = (w: { path: string; waitedMs: number; done: boolean }) => void;

const HELD_BY_ANOTHER = /Could not set lock on file|Conflicting lock is held/i;

function defaultWaitMs(): number {
  const s = Number(process.env.MARGINAL_WORKSPACE_WAIT_S);
  return s >= 0 && process.env.MARGINAL_WORKSPACE_WAIT_S !== '' && process.env.MARGINAL_WORKSPACE_WAIT_S !== undefined ? s * 1000 : 600_000;
}
export class Workspace implements SqlSession {
  readonly path: string;
  private instance: DuckDBInstance;
  private conn: DuckDBConnection;
  private inTransaction = false;

  private constructor(path: string, instance: DuckDBInstance, conn: DuckDBConnection) {
    this.path = path;
    this.instance = instance;
    this.conn = conn;
  }

  /**
   * Opens (creating if needed) the workspace file and makes sure the data layer's tables exist.
   * While another process holds the file, waits for it (up to `waitMs`, default
   * MARGINAL_WORKSPACE_WAIT_S or 10 minutes) instead of failing, so finished work — a fit, a plan —
   * is stored once the other process lets go; `onWait` (default: the reporter set with
   * `Workspace.reportWaits`) hears how long it has waited.
   */
  static async open(path: string, options: { memoryLimit?: string; threads?: number; waitMs?: number; onWait?: WaitReporter } = {}): Promise<Workspace> {
    const config: Record<string, string> = {
      memory_limit: options.memoryLimit ?? process.env.MARGINAL_MEMORY_LIMIT ?? '1GB',
      preserve_insertion_order: 'true',
    };
    if (options.threads) config.threads = String(options.threads);
    const waitMs = options.waitMs ?? defaultWaitMs();
    const onWait = options.onWait ?? Workspace.waitReporter;
    const t0 = Date.now();
    // A new workspace may name a folder that does not exist yet (the CLI's `--create`, the demo's --out).
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    let instance: DuckDBInstance;
    for (let attempt = 0; ; attempt++) {
      try {
        instance = await DuckDBInstance.create(path, config);
        if (attempt > 0) onWait?.({ path, waitedMs: Date.now() - t0, done: true });
        break;
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        // DuckDB's words for a file another process holds; anything else (a corrupt block, a bad path) is not worth waiting for.
        if (!HELD_BY_ANOTHER.test(msg)) throw new MarginalError('BAD_FILE', `cannot open workspace '${path}': ${msg.split('\n')[0]}`);
        const waited = Date.now() - t0;
        if (waited >= waitMs) throw conflict(`workspace '${path}' is still in use by another process after ${Math.round(waited / 1000)} s; try again when it has finished`);
        onWait?.({ path, waitedMs: waited, done: false });
        // Poll fast at first (another command usually holds the file for well under a second), then back off.
        await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** Math.min(attempt, 4), 1000, waitMs - waited)));
      }
    }
    const conn = await instance.connect();
    const ws = new Workspace(path, instance, conn);
    await createSchema(ws);
    await ensureVersionTables(ws);
    return ws;
  }

  /** Who hears about waits for a busy workspace in this process (the CLI prints a progress line). */
  static waitReporter: WaitReporter | undefined;
  static reportWaits(fn: WaitReporter | undefined): void { Workspace.waitReporter = fn; }

  /** Runs one statement (or several separated by `;` when there are no params). */
  async run(sql: string, params?: Params): Promise<void> {
    await this.conn.run(sql, params);
  }

  /** Runs a query and returns its rows as plain objects (BIGINT → number, DATE/TIMESTAMP → Date). */
  async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.conn.runAndReadAll(sql, params);
    return reader.getRowObjectsJS().map((r) => plain(r) as T);
  }

  /** Runs a query and returns its result column by column (fast for large results). */
  async columns(sql: string, params?: Params): Promise<Record<string, unknown[]>> {
    const reader = await this.conn.runAndReadAll(sql, params);
    return reader.getColumnsObjectJS() as Record<string, unknown[]>;
  }

  /** Runs a query and returns DuckDB's streaming result, for readers that consume it chunk by chunk. */
  async stream(sql: string, params?: Params): Promise<Awaited<ReturnType<DuckDBConnection['stream']>>> {
    return this.conn.stream(sql, params);
  }

  /** Another connection to the same database, for a query that runs beside this one's (temp tables stay with the connection that made them); close it after. */
  async connection(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  /** The first row's first value, or undefined. */
  async value<T = unknown>(sql: string, params?: Params): Promise<T | undefined> {
    const rows = await this.all(sql, params);
    if (!rows.length) return undefined;
    return Object.values(rows[0])[0] as T;
  }

  /**
   * Runs `fn` inside BEGIN … COMMIT; any error rolls back everything `fn` wrote and is rethrown.
   * Nested calls join the outer transaction.
   */
  async transaction<T>(fn: (ws: Workspace) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    await this.conn.run('BEGIN TRANSACTION');
    this.inTransaction = true;
    try {
      const result = await fn(this);
      await this.conn.run('COMMIT');
      return result;
    } catch (err) {
      try { await this.conn.run('ROLLBACK'); } catch { /* the transaction may already be aborted */ }
      throw err;
    } finally {
      this.inTransaction = false;
    }
  }

  /**
   * Runs `fn` inside BEGIN … ROLLBACK: what `fn` wrote is never stored (a dry run, e.g. the preview of
   * a harmonized table computed by the very code that would write it). Refused inside another
   * transaction, which it could not undo without undoing the caller's work too.
   */
  async rolledBack<T>(fn: (ws: Workspace) => Promise<T>): Promise<T> {
    if (this.inTransaction) throw internal('rolledBack() cannot run inside a transaction');
    await this.conn.run('BEGIN TRANSACTION');
    this.inTransaction = true;
    try {
      return await fn(this);
    } finally {
      try { await this.conn.run('ROLLBACK'); } catch { /* the transaction may already be aborted */ }
      this.inTransaction = false;
    }
  }

  /** Names of the user tables in the workspace (for checks and tests). */
  async tables(): Promise<string[]> {
    const rows = await this.all<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'main' AND table_catalog = current_database() ORDER BY 1`);
    return rows.map((r) => r.name);
  }

  close(): void {
    try { this.conn.closeSync(); } catch { /* already closed */ }
    try { this.instance.closeSync(); } catch { /* already closed */ }
  }
}

/** Opens the workspace, runs `fn`, and always closes it. */
export async function withWorkspace<T>(path: string, fn: (ws: Workspace) => Promise<T>): Promise<T> {
  const ws = await Workspace.open(path);
  try {
    return await fn(ws);
  } finally {
    ws.close();
  }
}

function plain(row: Record<string, unknown>): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'bigint' ? Number(v) : v;
  return out;
}

/** Quotes an SQL identifier: `ident('tv spend')` → `"tv spend"`. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes an SQL string literal: `lit("it's")` → `'it''s'`. */
export function lit(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
