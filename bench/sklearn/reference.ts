/**
 * The scikit-learn side of the family comparisons: finds Debian's Python with scikit-learn
 * (`/usr/bin/python3`, not a pyenv one), sends a request to `bench/sklearn/compare.py`, returns its
 * answer. `sklearnStatus()` says why the comparison cannot run when it cannot.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./compare.py', import.meta.url));

export function sklearnStatus(): { ok: true; version: string } | { ok: false; reason: string } {
  if (!existsSync(PYTHON)) return { ok: false, reason: `${PYTHON} not found (install Debian python3-sklearn to run the scikit-learn comparisons)` };
  const r = spawnSync(PYTHON, ['-c', 'import sklearn, numpy; print(sklearn.__version__)'], { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, reason: `scikit-learn is not importable by ${PYTHON} (apt-get install -y python3-sklearn): ${r.stderr.trim().split('\n').pop()}` };
  return { ok: true, version: r.stdout.trim() };
}

export interface SklearnTask { kind: 'linear' | 'ridge' | 'forest' | 'boosting'; alpha?: number; standardize?: boolean; params?: Record<string, unknown>; seeds?: number[] }
export type SklearnResult = { intercept: number; coef: number[] } & { r2: number[]; seconds: number[] };

/** X row-major [n, P]; train/test row indices. */
export function sklearnReference(X: Float64Array, P: number, y: ArrayLike<number>, train: ArrayLike<number>, test: ArrayLike<number>, tasks: SklearnTask[]): { results: SklearnResult[]; sklearn: string } {
  const n = X.length / P;
  const rows = Array.from({ length: n }, (_, i) => Array.from(X.subarray(i * P, (i + 1) * P)));
  const input = JSON.stringify({ X: rows, y: Array.from(y), train: Array.from(train), test: Array.from(test), tasks });
  const r = spawnSync(PYTHON, [SCRIPT], { input, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`scikit-learn reference failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
