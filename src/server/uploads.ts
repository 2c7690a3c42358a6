/**
 * Uploaded files waiting to be ingested: `<workspace>.files/uploads/<upload id>/<file name>`. The id is
 * random hex and the name is reduced to safe characters, so no request can name a path outside this
 * folder. A file keeps its own name so ingest messages name it as the user knows it.
 */
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, extname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { MarginalError, badInput, notFound } from '../errors.ts';

const UPLOAD_ID = /^[a-f0-9]{16}$/;
export const ALLOWED_EXT = ['.csv', '.tsv', '.txt', '.parquet', '.pq', '.xlsx', '.xlsm'];

/** How long an upload waits to be ingested before it is removed, and the most all waiting uploads of
 *  one workspace may take (MARGINAL_UPLOADS_TOTAL_MB; the oldest go first when a new one passes it). */
export const UPLOAD_MAX_AGE_MS = 3600 * 1000;
export const UPLOADS_TOTAL_DEFAULT = 1024 * 1024 * 1024;

export class Uploads {
  readonly dir: string;
  readonly totalLimit: number;
  constructor(workspace: string, totalLimit = Number(process.env.MARGINAL_UPLOADS_TOTAL_MB ?? 0) * 1024 * 1024 || UPLOADS_TOTAL_DEFAULT) {
    this.dir = resolve(`${workspace}.files`, 'uploads');
    this.totalLimit = totalLimit;
  }

  /** A safe file name: `../../etc/passwd` → `passwd.csv`; keeps a known data extension. */
  static safeName(name: string | undefined): string {
    let n = basename(String(name ?? '').replaceAll('\\', '/')).replace(/[^A-Za-z0-9._ -]+/g, '_').replace(/^[.\s]+/, '').slice(-100);
    if (!n) n = 'upload.csv';
    if (!ALLOWED_EXT.includes(extname(n).toLowerCase())) throw badInput(`file '${basename(String(name))}' must be one of ${ALLOWED_EXT.join(', ')}`);
    return n;
  }

  /** Streams `stream` to a new upload; `truncated()` tells whether the size limit cut it. */
  async save(name: string | undefined, stream: Readable, truncated: () => boolean, limit: number): Promise<{ upload: string; name: string; size: number }> {
    const safe = Uploads.safeName(name);
    const upload = randomBytes(8).toString('hex');
    const folder = join(this.dir, upload);
    mkdirSync(folder, { recursive: true });
    const path = join(folder, safe);
    try {
      await pipeline(stream, createWriteStream(path));
    } catch (err) {
      rmSync(folder, { recursive: true, force: true });
      throw err;
    }
    if (truncated()) {
      rmSync(folder, { recursive: true, force: true });
      throw new MarginalError('TOO_LARGE', `file '${safe}' is larger than the upload limit of ${Math.round(limit / 1024 / 1024)} MB`);
    }
    this.sweep();
    this.cap(upload);
    return { upload, name: safe, size: statSync(path).size };
  }

  /** Removes the oldest waiting uploads (never `keep`) until all of them fit in `totalLimit`. */
  private cap(keep: string): void {
    const waiting = this.waiting();
    let total = waiting.reduce((s, u) => s + u.bytes, 0);
    for (const u of waiting.sort((a, b) => a.mtimeMs - b.mtimeMs)) {
      if (total <= this.totalLimit) break;
      if (u.id === keep) continue;
      rmSync(join(this.dir, u.id), { recursive: true, force: true });
      total -= u.bytes;
    }
  }

  /** Every waiting upload with its size and age. */
  waiting(): { id: string; bytes: number; mtimeMs: number }[] {
    if (!existsSync(this.dir)) return [];
    const out: { id: string; bytes: number; mtimeMs: number }[] = [];
    for (const id of readdirSync(this.dir)) {
      if (!UPLOAD_ID.test(id)) continue;
      try {
        const folder = join(this.dir, id);
        const bytes = readdirSync(folder).reduce((s, f) => s + statSync(join(folder, f)).size, 0);
        out.push({ id, bytes, mtimeMs: statSync(folder).mtimeMs });
      } catch { /* removed meanwhile */ }
    }
    return out;
  }

  /** The path of an upload's file, or NOT_FOUND. */
  path(upload: string): string {
    if (!UPLOAD_ID.test(upload)) throw notFound('upload', upload);
    const folder = join(this.dir, upload);
    if (!existsSync(folder)) throw notFound('upload', upload);
    const files = readdirSync(folder);
    if (files.length !== 1) throw notFound('upload', upload);
    // Each use restarts its hour: a user mapping columns for a long time keeps the upload, and the cap
    // removes the least recently used first.
    const now = new Date();
    try { utimesSync(folder, now, now); } catch { /* removed meanwhile: the caller's read says so */ }
    return join(folder, files[0]);
  }

  remove(upload: string): void {
    if (UPLOAD_ID.test(upload)) rmSync(join(this.dir, upload), { recursive: true, force: true });
  }

  /** Removes uploads unused for `maxAgeMs` (never ingested or discarded); returns how many. */
  sweep(maxAgeMs = UPLOAD_MAX_AGE_MS): number {
    if (!existsSync(this.dir)) return 0;
    let n = 0;
    for (const d of readdirSync(this.dir)) {
      if (!UPLOAD_ID.test(d)) continue;
      try {
        if (Date.now() - statSync(join(this.dir, d)).mtimeMs > maxAgeMs) { rmSync(join(this.dir, d), { recursive: true, force: true }); n++; }
      } catch { /* gone already */ }
    }
    return n;
  }

  /** A fresh scratch file for an export, removed by the caller. */
  scratch(ext: string): string {
    const folder = resolve(this.dir, '..', 'exports');
    mkdirSync(folder, { recursive: true });
    return join(folder, `${randomBytes(8).toString('hex')}${ext}`);
  }
}
