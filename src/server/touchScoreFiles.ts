/**
 * The per-touch score files scoring jobs write (in the server's exports folder), by job: the latest
 * few kept for download, older ones removed, all removed when the server closes. The path is the
 * server's own (never from a request).
 */
import { existsSync, rmSync } from 'node:fs';

/** How many jobs' per-touch files are kept: each can be gigabytes at tens of millions of touches. */
export const KEEP_TOUCH_FILES = 5;

export class TouchScoreFiles {
  private files = new Map<string, string>();

  add(job: string, file: string): void {
    this.files.set(job, file);
    while (this.files.size > KEEP_TOUCH_FILES) {
      const [oldest, path] = this.files.entries().next().value as [string, string];
      rmSync(path, { force: true });
      this.files.delete(oldest);
    }
  }

  /** The job's file when it is still there. */
  get(job: string): string | null {
    const f = this.files.get(job);
    return f && existsSync(f) ? f : null;
  }

  clear(): void {
    for (const f of this.files.values()) rmSync(f, { force: true });
    this.files.clear();
  }
}
