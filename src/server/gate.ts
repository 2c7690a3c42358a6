/**
 * One door to the workspace file. DuckDB lets one process hold the file, and two instances of it in
 * one process must never be open at once, so every access from the server — request handlers and the
 * prepare/finish steps of jobs — goes through `gate.with(fn)` / `gate.use(fn)`, which run one at a
 * time in arrival order. Job workers never open the file: they get their inputs from `prepare` and
 * hand their outputs to `finish` (see src/jobs/runner.ts).
 *
 * `with(fn)` reuses one open Workspace across calls and closes it after `idleMs` without calls (so
 * the CLI can use the same workspace while the server idles); `use(fn)` closes it first and lets `fn`
 * open the file by path (for data-layer functions that take a path, e.g. `loadHarmonized`).
 */
import { Workspace } from '../data/index.ts';

export class WorkspaceGate {
  readonly path: string;
  readonly idleMs: number;
  private tail: Promise<unknown> = Promise.resolve();
  private ws: Workspace | null = null;
  private idle: NodeJS.Timeout | null = null;
  private reads = new Map<string, Promise<unknown>>();

  /** How long a request waits for a file another process holds before answering CONFLICT (finished
   *  jobs storing their result wait the workspace's long default instead: `with(fn, { patient: true })`). */
  readonly requestWaitMs: number;

  constructor(path: string, idleMs = 1000, requestWaitMs = Number(process.env.MARGINAL_REQUEST_WAIT_S ?? 30) * 1000) { this.path = path; this.idleMs = idleMs; this.requestWaitMs = requestWaitMs; }

  /** Runs `fn` alone; `fn` may open the workspace by path, once at a time. */
  use<T>(fn: (path: string) => Promise<T>): Promise<T> {
    return this.serial(async () => { this.closeNow(); return fn(this.path); });
  }

  /** Runs `fn` alone with the workspace open; `patient` waits as long as a finished job's result needs. */
  with<T>(fn: (ws: Workspace) => Promise<T>, opts: { patient?: boolean } = {}): Promise<T> {
    return this.serial(async () => {
      if (this.idle) { clearTimeout(this.idle); this.idle = null; }
      this.ws ??= await Workspace.open(this.path, opts.patient ? {} : { waitMs: this.requestWaitMs });
      try {
        return await fn(this.ws);
      } finally {
        this.idle = setTimeout(() => { void this.serial(async () => this.closeNow()); }, this.idleMs);
        this.idle.unref();
      }
    });
  }

  /**
   * A read that many requests ask at once (the model list under a dashboard's polling): requests that
   * arrive while the same read is waiting or running share its answer instead of queuing one read
   * each — 20 clients listing models cost one read, not twenty in a row. A request that arrives after
   * the read has finished starts a new one, so it sees every write that finished before it.
   */
  shared<T>(key: string, fn: (ws: Workspace) => Promise<T>): Promise<T> {
    const pending = this.reads.get(key);
    if (pending) return pending as Promise<T>;
    const read = this.with(fn).finally(() => { this.reads.delete(key); });
    this.reads.set(key, read);
    return read;
  }

  /** Closes the file (waits for the calls in flight). */
  close(): Promise<void> { return this.serial(async () => this.closeNow()); }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.tail.then(run, run);
    this.tail = next.catch(() => undefined);
    return next;
  }

  private closeNow(): void {
    if (this.idle) { clearTimeout(this.idle); this.idle = null; }
    if (this.ws) { this.ws.close(); this.ws = null; }
  }
}
