import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { toCsv } from '../../data/index.ts';
import { badInput } from '../../errors.ts';
import { runFit } from '../../app/fit.ts';
import { loadModelTable } from '../../app/modelTable.ts';
import { loadFittedModel } from '../../app/load.ts';
import { paidChannels, type ModelConfig } from '../../models/config.ts';
import { readModelConfig } from '../../app/modelConfigFile.ts';
import type { WideTable } from '../../models/design.ts';
import { buildModelDataReadingHolidays } from '../../app/modelData.ts';
import { forecastPlan, modelCurves, scoreForecast, type BacktestScore, type Forecast } from '../../planning/index.ts';
import { coverageCheck, forecastOutcome, type CoverageCheck } from '../../planning/forecast.ts';
import { existingWorkspace, printJson } from '../program.ts';
import { spendColumns } from '../../models/subchannels.ts';

export interface BacktestResult extends BacktestScore {
  modelId: string; until: string; trainedPeriods: number; forecast: Forecast;
  /** How the test periods' inputs entered: spend per period ('actual') or each channel's total in the last fitted periods' pattern ('pattern'); controls at their 'actual' values or 'unknown'. */
  inputs: { spend: 'actual' | 'pattern'; controls: 'actual' | 'unknown' };
  /** The intervals' coverage against their mass, and a warning when it is below nominal beyond chance. */
  coverageCheck: CoverageCheck;
}

/**
 * Fits `config` on the data up to `until` (inclusive), forecasts the next `periods` periods with the spend
 * actually made in them, and scores the forecast against the actual outcome. A Bayesian model forecasts
 * with each period's actual activity and (unless `controls: 'unknown'`) the actual control values, as a
 * posterior predictive (planning/forecast.ts `forecastOutcome`); other families with each channel's
 * total in the pattern of its last `periods` fitted periods (`forecastPlan`). The training rows are
 * written beside the workspace (`<workspace>.backtest/<name>-until-<date>.csv`) so the stored model can
 * be loaded again.
 */
export async function backtest(config: ModelConfig, workspace: string, until: string, periods: number, opts: { fast?: boolean; seed?: number; chains?: number; draws?: number; warmup?: number; controls?: 'actual' | 'unknown' } = {}): Promise<BacktestResult> {
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
  const { output } = await runFit(trainConfig, workspace, { fast: opts.fast, seed: opts.seed, chains: opts.chains, draws: opts.draws, warmup: opts.warmup });
  const { fitted } = await loadFittedModel(workspace, output.modelId, { maxDraws: 200 });

  const test = rows((d) => future.includes(d));
  const actual = future.map((d) => test.filter((r) => r[dateCol] === d).reduce((s, r) => s + Number(r[config.target.column] ?? 0), 0));
  const T = fitted.dates.length, G = fitted.geos.length || 1;
  let naive = 0;
  for (let t = T - Math.min(4, T); t < T; t++) for (let g = 0; g < G; g++) if (fitted.observed[g * T + t]) naive += fitted.actual[g * T + t];
  naive /= Math.min(4, T);
  const unknownControls = opts.controls === 'unknown';
  let forecast: Forecast, inputs: BacktestResult['inputs'];
  const ahead = fitted.futureDraws ? futureInputs(trainConfig, table, until, future, fitted.geos) : null;
  if (fitted.futureDraws && ahead) {
    // The model's own forecast of the test periods: each period's actual activity (carry-over through
    // its adstock), the actual control values unless asked to treat them as unknown.
    forecast = forecastOutcome({ fitted, periods, activity: ahead.activity, controls: unknownControls || !ahead.controls ? undefined : ahead.controls, seed: opts.seed });
    inputs = { spend: 'actual', controls: unknownControls || !ahead.controls ? 'unknown' : 'actual' };
  } else {
    // The spend actually made per channel (and geo) in the test periods, in the pattern of the last
    // fitted periods (the curves a plan uses).
    const geoIndex = new Map(fitted.geos.map((g, i) => [g, i]));
    const byGeo = fitted.geos.length > 1;
    const { curves } = modelCurves(fitted, { periods, byGeo, maxSpend: 0 });
    const spend = curves.map((c) => test.reduce((s, r) => {
      if (byGeo && geoCol && geoIndex.get(String(r[geoCol])) !== c.geoIndex) return s;
      return s + spendColumns(paidChannels(config)[c.channelIndex]).reduce((t, col) => t + Number(r[col] ?? 0), 0);
    }, 0));
    forecast = forecastPlan({ fitted, curves, spend, periods, seed: opts.seed });
    inputs = { spend: 'pattern', controls: 'unknown' };
  }
  const score = scoreForecast(forecast, actual, naive);
  return { modelId: output.modelId, until, trainedPeriods: trained.length, ...score, forecast, inputs, coverageCheck: coverageCheck(score.periods.filter((p) => p.inside).length, score.periods.length, 0.9) };
}

/**
 * Activity per [g, p, c] and raw control values per [g, p, k] of the test periods, read the way the fit
 * read its data (exposure or spend, holiday counts): the model data of the whole table, sliced. Null when
 * the whole table does not line up with the fitted data (other geos); controls null when the whole
 * table gives other controls than the training rows (a holiday calendar that adds its column only there).
 */
function futureInputs(config: ModelConfig, table: WideTable, until: string, future: string[], geos: string[]): { activity: Float64Array; controls: Float64Array | null } | null {
  const all = buildModelDataReadingHolidays({ ...config, holdout: { periods: 0 } }, table);
  if (all.geos.length !== (geos.length || 1) || (geos.length && all.geos.some((g, i) => g !== geos[i]))) return null;
  const dateCol = config.data.date;
  const keep = table.columns[dateCol].map((v) => String(v).slice(0, 10) <= until);
  const trainTable: WideTable = { source: table.source, rowCount: keep.filter(Boolean).length, columns: Object.fromEntries(Object.entries(table.columns).map(([k, v]) => [k, v.filter((_, i) => keep[i])])) };
  const trained = buildModelDataReadingHolidays({ ...config, holdout: { periods: 0 } }, trainTable);
  const { G, T, C, K } = all, P = future.length;
  const index = future.map((d) => all.dates.indexOf(d));
  const activity = new Float64Array(G * P * C);
  const controls = new Float64Array(G * P * K);
  for (let g = 0; g < G; g++) index.forEach((t, p) => {
    for (let c = 0; c < C; c++) activity[(g * P + p) * C + c] = all.activity[(g * T + t) * C + c];
    for (let k = 0; k < K; k++) controls[(g * P + p) * K + k] = all.controlValues[(g * T + t) * K + k];
  });
  const sameControls = trained.controls.length === K && trained.controls.every((n, k) => n === all.controls[k]);
  return { activity, controls: sameControls ? controls : null };
}

export function register(program: Command): void {
  program
    .command('backtest')
    .description('Fit up to a date, forecast the following periods with the spend actually made, and report the forecast error')
    .argument('<config>', 'model config (JSON)')
    .requiredOption('--until <date>', 'last date (YYYY-MM-DD) the fit sees')
    .requiredOption('--periods <n>', 'number of periods to forecast after it')
    .option('--fast', 'MAP + Laplace approximation (seconds)')
    .option('--controls <mode>', 'actual (the test periods\' control values, as the spend) or unknown (as a plan forecast: drawn from their in-sample spread)', 'actual')
    .option('--json', 'print the result as JSON')
    .action(async (configPath: string, flags: { until: string; periods: string; fast?: boolean; json?: boolean; controls: string }, cmd: Command) => {
      if (flags.controls !== 'actual' && flags.controls !== 'unknown') throw badInput(`--controls must be actual or unknown; got '${flags.controls}'`);
      const config = readModelConfig(configPath);
      const r = await backtest(config, existingWorkspace(cmd.optsWithGlobals()), flags.until, Number(flags.periods), { fast: flags.fast, controls: flags.controls });
      if (r.coverageCheck.warning) process.stderr.write(`WARNING: ${r.coverageCheck.warning}\n`);
      if (flags.json) { printJson(r); return; }
      const n = (v: number) => Math.round(v).toLocaleString('en-US');
      const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
      process.stdout.write([
        `back-test of ${r.modelId}: fitted on ${r.trainedPeriods} periods up to ${r.until}, forecast ${r.periods.length} periods`, '',
        'period           actual      forecast [90%]                     error',
        ...r.periods.map((p) => `${p.period}  ${n(p.actual).padStart(12)}  ${n(p.expected).padStart(12)} [${n(p.expectedInterval[0])}, ${n(p.expectedInterval[1])}]`.padEnd(72) + `${pct(p.error / p.actual)}${p.inside ? '' : '  (outside)'}`),
        '',
        `MAPE ${pct(r.mape)}, sMAPE ${pct(r.smape)}, RMSE ${n(r.rmse)}, bias ${pct(r.bias)}`,
        `90% intervals held ${r.coverageCheck.inside} of ${r.coverageCheck.periods} actuals (${pct(r.coverage)})${r.coverageCheck.warning ? ' — LOW COVERAGE, see the warning' : r.coverage < 0.9 ? ` — below 90%, within what ${r.coverageCheck.periods} periods show by chance (p = ${r.coverageCheck.pValue.toFixed(2)})` : ''}`,
        `intervals: ${r.forecast.uncertainty.method === 'posterior-predictive' ? 'posterior draws of the model (parameters, trend, seasonality, carry-over)' : 'media draws around the posterior-mean base'}, noise sd ${n(r.forecast.uncertainty.noiseSd)}${r.forecast.uncertainty.driftStep > 0 ? `, baseline drift ${n(r.forecast.uncertainty.driftStep)} per period` : ''}; spend ${r.inputs.spend === 'actual' ? 'per period as made' : 'in the pattern of the last fitted periods'}, controls ${r.inputs.controls === 'actual' ? 'at their actual values' : 'unknown (drawn from their in-sample spread)'}`,
        `total: actual ${n(r.total.actual)}, forecast ${n(r.total.expected)} (${pct(r.total.error)})`,
        `naive forecast (mean of the last 4 periods): MAPE ${pct(r.naive.mape)}, RMSE ${n(r.naive.rmse)}`, '',
      ].join('\n'));
    });
}

