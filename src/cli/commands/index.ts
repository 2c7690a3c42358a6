import type { Register } from '../program.ts';

/**
 * Every CLI command, in the order `--help` lists them, each loaded only when it runs: a command's
 * modules (DuckDB, the models, the charts, the server) cost a second of start-up, and a command needs
 * only its own. `marginal --help` lists them from the manifest (`manifest.ts`, written by
 * `npm run gen:cli` from these modules and checked against them by test/cli/manifest.test.ts).
 * Add a command by adding its file here, then run `npm run gen:cli`.
 */
export const commandLoaders: Record<string, () => Promise<{ register: Register }>> = {
  demo: () => import('./demo.ts'),
  overview: () => import('./overview.ts'),
  simulate: () => import('./simulate.ts'),
  fit: () => import('./fit.ts'),
  models: () => import('./models.ts'),
  refresh: () => import('./refresh.ts'),
  priors: () => import('./priors.ts'),
  ingest: () => import('./ingest.ts'),
  datasets: () => import('./datasets.ts'),
  show: () => import('./show.ts'),
  drop: () => import('./drop.ts'),
  harmonize: () => import('./harmonize.ts'),
  export: () => import('./export.ts'),
  serve: () => import('./serve.ts'),
  worker: () => import('./worker.ts'),
  insights: () => import('./insights.ts'),
  report: () => import('./report.ts'),
  design: () => import('./design.ts'),
  optimize: () => import('./optimize.ts'),
  plans: () => import('./plans.ts'),
  track: () => import('./track.ts'),
  touchpoints: () => import('./touchpoints.ts'),
  backtest: () => import('./backtest.ts'),
  compare: () => import('./compare.ts'),
};
