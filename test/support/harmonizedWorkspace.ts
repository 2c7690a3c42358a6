/**
 * Test fixture for the model lifecycle: simulated media, sales and factors ingested into a temporary
 * workspace, harmonized as 'weekly' up to a chosen week, and fast fits of the simulation's config on it
 * (Laplace: seconds). `reharmonize` makes the next version of 'weekly'.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { harmonize, ingestFile, withWorkspace } from '../../src/data/index.ts';
import { parseModelConfig } from '../../src/models/config.ts';
import { runFit } from '../../src/app/fit.ts';
import { demoConfig, demoFiles } from '../server/helpers.ts';

export const FAST = { fast: true, chains: 1, draws: 200 } as const;

export async function harmonizedWorkspace(opts: { weeks?: number; channels?: number; until?: number } = {}) {
  const demo = demoFiles(opts.weeks ?? 110, opts.channels ?? 3);
  const week = (t: number) => String(demo.sim.rows[t][0]);
  const channels = demo.sim.truth.channels.map((c) => c.name);
  // A second KPI: orders, about one per 40 of revenue.
  const revenue = demo.sim.columns.indexOf('revenue');
  const orders = join(demo.dir, 'orders.csv');
  writeFileSync(orders, `date,orders\n${demo.sim.rows.map((r) => `${r[0]},${Math.round(Number(r[revenue]) / 40)}`).join('\n')}\n`);
  await withWorkspace(demo.workspace, async (ws) => {
    await ingestFile(ws, demo.files.media, { kind: 'summary', name: 'media', currency: 'USD' });
    await ingestFile(ws, demo.files.sales, { kind: 'conversions', name: 'sales' });
    await ingestFile(ws, demo.files.factors, { kind: 'factors', name: 'factors' });
    await ingestFile(ws, orders, { kind: 'conversions', name: 'orders' });
    await harmonize(ws, { name: 'weekly', grain: 'week', to: week((opts.until ?? 100) - 1), datasets: ['media', 'sales', 'factors', 'orders'] });
  });
  const config = (over: Record<string, unknown> = {}) => parseModelConfig({ ...demoConfig(channels), data: { harmonized: 'weekly' }, name: 'weekly', ...over });
  return {
    ...demo, week, channels, config,
    fit: async (over: Record<string, unknown> = {}) => (await runFit(config(over), demo.workspace, FAST)).output.modelId,
    /** The next version of 'weekly': up to week `until` (default: every week), or from other datasets. */
    reharmonize: (o: { until?: number; datasets?: string[] } = {}) => withWorkspace(demo.workspace, (ws) => harmonize(ws, {
      name: 'weekly', grain: 'week', replace: true, datasets: o.datasets ?? ['media', 'sales', 'factors', 'orders'], ...(o.until ? { to: week(o.until - 1) } : {}),
    })),
    cleanup: () => rmSync(demo.dir, { recursive: true, force: true }),
  };
}
