import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { toCsv } from '../../data/index.ts';
import { badInput } from '../../errors.ts';
import { loadModelTable, runFit } from '../../jobs/fit.ts';
import { loadFittedModel } from '../../jobs/load.ts';
import { readModelConfig, type ModelConfig } from '../../models/config.ts';
import { forecastPlan, modelCurves, scoreForecast, type BacktestScore, type Forecast } from '../../planning/index.ts';
import { printJson, workspacePath } from '../program.ts';

export interface BacktestResult extends BacktestScore { modelId: string; until: string; trainedPeriods: number; forecast: Forecast }

/**
 * Fits `config` on the data up to `until` (inclusive), forecasts the next `periods` periods with the spend
 * actually made in them (each channel's total, in the pattern of its last `periods` fitted periods), and
 * scores the forecast against the actual outcome. The training rows are written beside the workspace
 * (`<workspace>.backtest/<name>-until-<date>.csv`) so the stored model can be loaded again.
 */
export async function backtest(config: ModelConfig, workspace: string, until: string, periods: number, opts: { fast?: boolean; seed?: number; chains?: number; draws?: number } = {}): Promise<BacktestResult> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || Number.isNaN(Date.parse(until))) throw badInput(`--until must be a date YYYY-MM-DD; got '${until}'`);
  if (!Number.isInteger(periods) || periods < 1) throw badInput(`--periods must be an integer >= 1; got '${periods}'`);
  const table = await loadModelTable(config, workspace);
  const dateCol = config.data.date, geoCol = config.data.geo;
  const dates = table.columns[dateCol]?.map((v) => String(v).slice(0, 10));
  if (!dates) throw badInput(`data: no date column '${dateCol}'`);
  const all = [...new Set(dates)].sort();
  const trained = all.filter((d) => d <= until), future = all.filter((d) => d > until).slice(0, periods);
  if (trained.length < 2 * periods) throw badInput(`--until ${until}: only ${trained.length} periods up to it; need at least ${2 * periods}`);
  if (future.length < periods) throw badInput(`--until ${until}: only ${future.length} periods after it in the data; --periods asks for ${periods}`);

  const names = Object.keys(table.columns);
  const rows = (keep: (d: string) => boolean) => {
    const out: Record<string, string | number | null>[] = [];
    for (let i = 0; i < table.rowCount; i++) if (keep(dates[i])) out.push(Object.fromEntries(names.map((n) => [n, n === dateCol ? dates[i] : table.columns[n][i]])));
    return out;
  };
  const name = `${config.name ?? 'model'}-until-${until}`;
  const dir = `${resolve(workspace)}.backtest`;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.csv`);
  writeFileSync(file, toCsv(rows((d) => d <= until), names));
  const trainConfig: ModelConfig = { ...config, name, data: { ...config.data, file, harmonized: undefined }, holdout: { periods: 0 } };
  const { output } = await runFit(trainConfig, workspace, { fast: opts.fast, seed: opts.seed, chains: opts.chains, draws: opts.draws });
  const { fitted } = await loadFittedModel(workspace, output.modelId, { maxDraws: 200 });

  // The spend actually made per channel (and geo) in the test periods, and the outcome.
  const test = rows((d) => future.includes(d));
  const geoIndex = new Map(fitted.geos.map((g, i) => [g, i]));
  const byGeo = fitted.geos.length > 1;
  const { curves } = modelCurves(fitted, { periods, byGeo, maxSpend: 0 });
  const spend = curves.map((c) => test.reduce((s, r) => {
    if (byGeo && geoCol && geoIndex.get(String(r[geoCol])) !== c.geoIndex) return s;
    return s + Number(r[config.channels[c.channelIndex].spend] ?? 0);
  }, 0));
  const actual = future.map((d) => test.filter((r) => r[dateCol] === d).reduce((s, r) => s + Number(r[config.target.column] ?? 0), 0));
  const forecast = forecastPlan({ fitted, curves, spend, periods, seed: opts.seed });
  const T = fitted.dates.length, G = fitted.geos.length || 1;
  let naive = 0;
  for (let t = T - Math.min(4, T); t < T; t++) for (let g = 0; g < G; g++) naive += fitted.actual[g * T + t];
  naive /= Math.min(4, T);
  return { modelId: output.modelId, until, trainedPeriods: trained.length, ...scoreForecast(forecast, actual, naive), forecast };
}

export function register(program: Command): void {
  program
    .command('backtest')
    .description('Fit up to a date, forecast the following periods with the spend actually made, and report the forecast error')
    .argument('<config>', 'model config (JSON)')
    .requiredOption('--until <date>', 'last date (YYYY-MM-DD) the fit sees')
    .requiredOption('--periods <n>', 'number of periods to forecast after it')
    .option('--fast', 'MAP + Laplace approximation (seconds)')
    .option('--json', 'print the result as JSON')
    .action(async (configPath: string, flags: { until: string; periods: string; fast?: boolean; json?: boolean }, cmd: Command) => {
      const config = readModelConfig(configPath);
      const r = await backtest(config, workspacePath(cmd.optsWithGlobals()), flags.until, Number(flags.periods), { fast: flags.fast });
      if (flags.json) { printJson(r); return; }
      const n = (v: number) => Math.round(v).toLocaleString('en-US');
      const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
      process.stdout.write([
        `back-test of ${r.modelId}: fitted on ${r.trainedPeriods} periods up to ${r.until}, forecast ${r.periods.length} periods`, '',
        'period           actual      forecast [90%]                     error',
        ...r.periods.map((p) => `${p.period}  ${n(p.actual).padStart(12)}  ${n(p.expected).padStart(12)} [${n(p.expectedInterval[0])}, ${n(p.expectedInterval[1])}]`.padEnd(72) + `${pct(p.error / p.actual)}${p.inside ? '' : '  (outside)'}`),
        '',
        `MAPE ${pct(r.mape)}, sMAPE ${pct(r.smape)}, RMSE ${n(r.rmse)}, bias ${pct(r.bias)}, 90% interval coverage ${pct(r.coverage)}`,
        `total: actual ${n(r.total.actual)}, forecast ${n(r.total.expected)} (${pct(r.total.error)})`,
        `naive forecast (mean of the last 4 periods): MAPE ${pct(r.naive.mape)}, RMSE ${n(r.naive.rmse)}`, '',
      ].join('\n'));
    });
}

