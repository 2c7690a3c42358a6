/**
 * Monthly data with a known truth, from the weekly simulator (src/models/simulate makes weeks only):
 * each week's spend, impressions, revenue and true contributions are spread evenly over its seven
 * days and summed by calendar month (price averaged over the days), as `harmonize --grain month`
 * resamples sums. The truth is recomputed over the kept months: each channel's true contribution
 * and spend over exactly those days, so its ROI is what a monthly model of these data should find.
 * Used by test/fewPeriods/fewPeriods.test.ts and bench/fewperiods.ts.
 */
import { parseModelConfig, type ModelConfig } from '../../src/models/config.ts';
import type { WideTable } from '../../src/models/design.ts';
import { simulate } from '../../src/models/simulate/index.ts';

export interface MonthlySimulation {
  table: WideTable;
  config: ModelConfig;
  /** Per channel: name, spend and true contribution over the kept months, true ROI. */
  truth: { name: string; spend: number; contribution: number; roi: number }[];
}

/** `months` calendar months from January 2023, `channels` channels (the simulator's tv, search, social, …), national. */
export function simulateMonthly(opts: { months: number; channels: number; seed: number }): MonthlySimulation {
  const { months, channels: C, seed } = opts;
  const first = Date.UTC(2023, 0, 1);
  const end = Date.UTC(2023, months, 1); // exclusive
  const start = Date.UTC(2022, 11, 26); // the Monday on or before 2023-01-01
  const weeks = Math.ceil((end - start) / (7 * 86400000));
  const sim = simulate({ weeks, channels: C, seed, start: '2022-12-26' });
  const col = (name: string) => sim.columns.indexOf(name);
  const names = sim.truth.channels.map((c) => c.name);
  const sums = [...names.flatMap((n) => [`${n}_spend`, `${n}_impressions`]), 'revenue'];
  const monthKey = (ms: number) => new Date(ms).toISOString().slice(0, 7);
  const keys = Array.from({ length: months }, (_, m) => new Date(Date.UTC(2023, m, 1)).toISOString().slice(0, 10));
  const index = new Map(keys.map((k, m) => [k.slice(0, 7), m]));
  const acc: Record<string, number[]> = Object.fromEntries([...sums, 'price'].map((k) => [k, new Array(months).fill(0)]));
  const days = new Array(months).fill(0);
  const contribution = new Array(C).fill(0), spend = new Array(C).fill(0);
  sim.rows.forEach((row, t) => {
    const w0 = Date.parse(`${row[0]}T00:00:00Z`);
    for (let d = 0; d < 7; d++) {
      const day = w0 + d * 86400000;
      if (day < first || day >= end) continue;
      const m = index.get(monthKey(day))!;
      days[m]++;
      for (const k of sums) acc[k][m] += (row[col(k)] as number) / 7;
      acc.price[m] += row[col('price')] as number;
      for (let c = 0; c < C; c++) {
        contribution[c] += sim.contributionSeries[c][t] / 7;
        spend[c] += (row[col(`${names[c]}_spend`)] as number) / 7;
      }
    }
  });
  acc.price = acc.price.map((p, m) => p / days[m]);
  const columns: WideTable['columns'] = { date: keys };
  for (const k of [...sums, 'price']) columns[k] = acc[k].map((v) => Math.round(v * 100) / 100);
  const config = parseModelConfig({
    name: `monthly-${months}`,
    data: { file: 'monthly.csv' },
    target: { column: 'revenue' },
    channels: names.map((n) => ({ name: n, spend: `${n}_spend` })),
    controls: [{ column: 'price', sign: 'negative' }],
  });
  return {
    table: { source: 'monthly.csv', rowCount: months, columns },
    config,
    truth: names.map((name, c) => ({ name, spend: spend[c], contribution: contribution[c], roi: contribution[c] / spend[c] })),
  };
}
