/*
 * Compute threads (job workers, sampler chains) step back for the thread that answers people: on a
 * 2-core machine a geo fit's chains took both cores and the server's event loop, at the same
 * priority, waited its turn (insights reads at p99 0.33 s at 100 connections during a fit). A nice
 * value of +10 on the compute threads leaves the event loop first in line; with nothing else to run,
 * the compute threads still get every core, so a fit is no slower on a quiet machine.
 *
 * Linux keeps a nice value per thread: setpriority(PRIO_PROCESS, 0, n), what `os.setPriority(0, n)`
 * calls, changes the calling thread only. Elsewhere the same call would lower the whole process
 * (the event loop too), so it is done on Linux only.
 *
 * Plain JavaScript, so that the workers' bootstraps (src/jobs/worker-bootstrap.mjs,
 * src/inference/worker-bootstrap.mjs) call it as their first statement, before tsx is registered and
 * any module of theirs loads: ES imports run before a module's body, so the call in worker.ts it
 * replaces came after the seconds its imports took to load at the default priority.
 */
import { setPriority } from 'node:os';

/** The nice value compute threads run at. */
export const BACKGROUND_NICE = 10;

export function runInBackground() {
  if (process.platform !== 'linux') return;
  try { setPriority(0, BACKGROUND_NICE); } catch { /* not allowed here: run at the default priority */ }
}
