/**
 * What code that creates and fills the workspace's tables needs of it: run a statement, read rows,
 * group statements in a transaction. `Workspace` implements it; schema.ts takes this rather than
 * `Workspace` because opening a workspace creates its schema, and the two files would import each other.
 */
import type { DuckDBValue } from '@duckdb/node-api';

export type Row = Record<string, unknown>;
export type Params = DuckDBValue[] | Record<string, DuckDBValue>;

export interface SqlSession {
  run(sql: string, params?: Params): Promise<void>;
  all<T = Row>(sql: string, params?: Params): Promise<T[]>;
  transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
}
