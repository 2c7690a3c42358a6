// Plain-JS entry of the chain workers: registers tsx in this thread so the worker (and the target
// factory's module) can be TypeScript, then loads the worker proper.
import { setPriority } from 'node:os';
import { register } from 'tsx/esm/api';

// Behind the event loop from the first instruction (util/background.ts): loading and compiling the
// modules below took seconds at the default priority, and the server's reads waited (p99 139 ms at
// 100 connections in the first 10 s of a geo fit). ES imports run before the module body, so the
// call in worker.ts alone came after them. Linux only, as there.
if (process.platform === 'linux') { try { setPriority(0, 10); } catch { /* not allowed: default priority */ } }

register();
await import('./worker.ts');
