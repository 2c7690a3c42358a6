/**
 * Aggregates of per-touch scores for BI tools: by channel, campaign, week and path position, and the
 * top converting paths. No I/O.
 */
import type { Journeys, Scores } from './types.ts';

export type Position = 'starter' | 'player' | 'closer';

/** Position of touch k of an n-touch journey: the last is the closer (also when n = 1), the first of several the starter, the rest players. */
export function positionOf(k: number, n: number): Position {
  if (k === n - 1) return 'closer';
  return k === 0 ? 'starter' : 'player';
}

/** ISO date (YYYY-MM-DD) of the Monday starting the week of an epoch-seconds instant (UTC); '' when unknown. */
export function weekOf(t: number): string {
  if (!Number.isFinite(t)) return '';
  const day = Math.floor(t / 86400);
  const dow = (day + 3) % 7; // 1970-01-01 was a Thursday: Monday = 0
  return new Date((day - ((dow + 7) % 7)) * 86400000).toISOString().slice(0, 10);
}

export type AggregateRow = Record<string, string | number>;

/**
 * Sums each method's scores by a key of the touch. Rows: `{ [keyName]: key, touches, <method>, <method>_value, … }`.
 * `key(i, k, n)` gets the touch index, its position in its journey and the journey's length.
 */
export function aggregateBy(j: Journeys, scores: Scores[], keyName: string, key: (i: number, jour: number, k: number, n: number) => string): AggregateRow[] {
  const rows = new Map<string, AggregateRow>();
  const J = j.offsets.length - 1;
  for (let q = 0; q < J; q++) {
    const a = j.offsets[q], n = j.offsets[q + 1] - a;
    for (let k = 0; k < n; k++) {
      const i = a + k, name = key(i, q, k, n);
      let r = rows.get(name);
      if (!r) {
        r = { [keyName]: name, touches: 0 };
        for (const s of scores) { r[s.method] = 0; r[`${s.method}_value`] = 0; }
        rows.set(name, r);
      }
      (r.touches as number)++;
      for (const s of scores) { (r[s.method] as number) += s.conversions[i]; (r[`${s.method}_value`] as number) += s.value[i]; }
    }
  }
  return [...rows.values()].sort((x, y) => String(x[keyName]).localeCompare(String(y[keyName])));
}

export function aggregates(j: Journeys, scores: Scores[]): Record<'channels' | 'campaigns' | 'weeks' | 'positions', AggregateRow[]> {
  return {
    channels: aggregateBy(j, scores, 'channel', (i) => j.channels[j.touchChannel[i]]),
    campaigns: aggregateBy(j, scores, 'campaign', (i) => (j.touchCampaign[i] >= 0 ? j.campaigns[j.touchCampaign[i]] : '')),
    weeks: aggregateBy(j, scores, 'week', (_i, q) => weekOf(j.endTime[q])),
    positions: aggregateBy(j, scores, 'path_position', (_i, _q, k, n) => positionOf(k, n)),
  };
}

export interface PathRow {
  path: string; journeys: number; conversions: number; value: number; conversionRate: number;
  /** With the incremental model's scores: the conversions (and value) the path's touches caused, and per journey. */
  incremental?: number; incrementalValue?: number; incrementalPerJourney?: number;
}

/** The `limit` paths (channel sequences, `a > b > c`) with the most conversions; with `incremental` scores, what each path caused. */
export function topPaths(j: Journeys, limit = 100, incremental?: Scores): PathRow[] {
  const m = new Map<string, PathRow>();
  const J = j.offsets.length - 1;
  for (let q = 0; q < J; q++) {
    const parts: string[] = [];
    let inc = 0, incV = 0;
    for (let i = j.offsets[q]; i < j.offsets[q + 1]; i++) {
      parts.push(j.channels[j.touchChannel[i]]);
      if (incremental) { inc += incremental.conversions[i]; incV += incremental.value[i]; }
    }
    const path = parts.join(' > ');
    let r = m.get(path);
    if (!r) { r = { path, journeys: 0, conversions: 0, value: 0, conversionRate: 0, ...(incremental ? { incremental: 0, incrementalValue: 0 } : {}) }; m.set(path, r); }
    r.journeys += j.conversions[q] + j.nulls[q]; r.conversions += j.conversions[q]; r.value += j.value[q];
    if (incremental) { r.incremental! += inc; r.incrementalValue! += incV; }
  }
  const rows = [...m.values()];
  for (const r of rows) {
    r.conversionRate = r.journeys > 0 ? r.conversions / r.journeys : 0;
    if (incremental) r.incrementalPerJourney = r.journeys > 0 ? r.incremental! / r.journeys : 0;
  }
  rows.sort((a, b) => b.conversions - a.conversions || b.journeys - a.journeys || a.path.localeCompare(b.path));
  return rows.slice(0, limit);
}
