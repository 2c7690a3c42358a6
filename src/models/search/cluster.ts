/**
 * k-means with k-means++ seeding from a seeded stream (several restarts, the lowest within-cluster
 * sum of squares kept), and the number of clusters by the elbow rule: the smallest k whose WSS is at
 * most 25% of WSS(1), at most `maxK`. Points are rows of a [n, d] array, standardized by the caller.
 */
import { Rng } from '../../util/rng.ts';

export interface Clustering { k: number; labels: number[]; centers: number[][]; wss: number }

export function kmeans(points: number[][], k: number, rng: Rng, restarts = 5): Clustering {
  const n = points.length, d = points[0]?.length ?? 0;
  const dist = (a: number[], b: number[]) => { let s = 0; for (let j = 0; j < d; j++) s += (a[j] - b[j]) ** 2; return s; };
  let best: Clustering | null = null;
  for (let r = 0; r < restarts; r++) {
    const centers: number[][] = [points[Math.floor(rng.uniform() * n)].slice()];
    while (centers.length < k) {
      const w = points.map((p) => Math.min(...centers.map((c) => dist(p, c))));
      const total = w.reduce((a, b) => a + b, 0);
      let u = rng.uniform() * total, i = 0;
      while (i < n - 1 && u >= w[i]) { u -= w[i]; i++; }
      centers.push(points[total > 0 ? i : Math.floor(rng.uniform() * n)].slice());
    }
    const labels = new Array<number>(n).fill(0);
    for (let iter = 0; iter < 100; iter++) {
      let changed = false;
      points.forEach((p, i) => {
        let bl = 0, bd = Infinity;
        centers.forEach((c, j) => { const v = dist(p, c); if (v < bd) { bd = v; bl = j; } });
        if (labels[i] !== bl) { labels[i] = bl; changed = true; }
      });
      centers.forEach((c, j) => {
        const members = points.filter((_, i) => labels[i] === j);
        if (members.length) for (let q = 0; q < d; q++) c[q] = members.reduce((s, p) => s + p[q], 0) / members.length;
      });
      if (!changed && iter > 0) break;
    }
    const wss = points.reduce((s, p, i) => s + dist(p, centers[labels[i]]), 0);
    if (!best || wss < best.wss - 1e-12) best = { k, labels, centers, wss };
  }
  return best!;
}

export function elbowKmeans(points: number[][], seed: number, maxK = 7): Clustering {
  const rng = new Rng(seed);
  const n = points.length;
  const first = kmeans(points, 1, rng, 1);
  if (n <= 2 || first.wss === 0) return first;
  for (let k = 2; k <= Math.min(maxK, n); k++) {
    const c = kmeans(points, k, rng);
    if (c.wss <= 0.25 * first.wss || k === Math.min(maxK, n)) return c;
  }
  return first;
}
