/** A compute thread steps back; the thread that called nothing keeps its priority (Linux: nice is per thread). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { BACKGROUND_NICE } from './background.mjs';

/** The nice value of the calling thread, from /proc. */
const niceOf = (stat: string) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);

test('runInBackground lowers the calling worker thread only', async () => {
  const url = new URL('./background.mjs', import.meta.url).href;
  // Plain JavaScript: the workers' bootstraps load it before tsx is registered.
  const w = new Worker(`import(${JSON.stringify(url)}).then((m) => { m.runInBackground(); require('node:worker_threads').parentPort.postMessage(require('node:fs').readFileSync('/proc/thread-self/stat', 'utf8')); });`, { eval: true });
  const stat = await new Promise<string>((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
  await w.terminate();
  // Elsewhere nice is per process, so the call does nothing rather than slow the event loop too.
  assert.equal(niceOf(stat), process.platform === 'linux' ? BACKGROUND_NICE : 0, 'the worker thread');
  assert.equal(niceOf(readFileSync('/proc/thread-self/stat', 'utf8')), 0, 'this thread (the event loop) keeps its priority');
});
