/**
 * Progress bars on stderr (only when stderr is a terminal; stdout stays clean for --json).
 * `samplingProgress` aggregates the chains' progress events into one bar: iterations done over all
 * chains, phase, divergences so far and the step size. `stepProgress` counts the steps of a long job.
 */
import cliProgress from 'cli-progress';
import type { NutsProgress } from '../inference/index.ts';

export function samplingProgress(chains: number): { onProgress: (p: NutsProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { onProgress: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: 'sampling |{bar}| {percentage}% | {phase} | divergences {divergences} | step {step}',
    hideCursor: true,
  }, cliProgress.Presets.shades_classic);
  const done = new Array<number>(chains).fill(0);
  const divergences = new Array<number>(chains).fill(0);
  let started = false;
  return {
    onProgress(p) {
      if (!started) { bar.start(p.total * chains, 0, { phase: p.phase, divergences: 0, step: '-' }); started = true; }
      done[p.chain] = p.iteration;
      divergences[p.chain] = p.divergences;
      bar.update(done.reduce((a, b) => a + b, 0), { phase: p.phase, divergences: divergences.reduce((a, b) => a + b, 0), step: p.stepSize.toPrecision(3) });
    },
    stop() { if (started) bar.stop(); },
  };
}

/** A bar over the steps of a long job (partitions of an event file, say), labelled with the step it is on; nothing when stderr is not a terminal. */
export function stepProgress(): { onProgress: (p: { stage: string; done: number; total: number }) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { onProgress: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: '{stage} |{bar}| {value}/{total}', hideCursor: true }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    onProgress(p) {
      if (!started) { bar.start(p.total, p.done, { stage: p.stage }); started = true; }
      bar.setTotal(p.total);
      bar.update(p.done, { stage: p.stage });
    },
    stop() { if (started) bar.stop(); },
  };
}
