import type { Command } from 'commander';
import { badInput } from '../../errors.ts';
import { readModelConfig } from '../../app/modelConfigFile.ts';
import { MAX_ITERATIONS } from '../../models/config.ts';
// The fit's modules load when a fit runs; the formatters below serve other commands (models, refresh) too.
import type { FitOutput } from '../../app/fit.ts';
import { existingWorkspace, printJson, workspacePath } from '../program.ts';
import { samplingProgress } from '../progress.ts';
import { renderTable, type Cell, type Column } from '../table.ts';
import type { PriorCheck } from '../../models/bayesian/priorCheck.ts';
import { formatAmount, formatAmountInterval, formatInterval, formatPercent, formatValue, roiName, unitLabel, type Unit } from '../../units.ts';

interface FitFlags { json?: boolean; fast?: boolean; chains?: string; draws?: string; warmup?: string; seed?: string }

export function register(program: Command): void {
  program
    .command('fit')
    .description('Fit a model from a config file and store it in the workspace')
    .argument('<config>', 'model config (JSON)')
    .option('--json', 'print the fit output (contract: fit-output) as JSON on stdout')
    .option('--fast', 'MAP + Laplace approximation: seconds, approximate')
    .option('--chains <n>', 'number of chains (default: config, 4)')
    .option('--draws <n>', 'draws per chain after warm-up (default: config, 1000)')
    .option('--warmup <n>', 'warm-up iterations per chain (default: config, 1000)')
    .option('--seed <n>', 'random seed (default: config, 1)')
    .action(async (configPath: string, flags: FitFlags, cmd: Command) => {
      const config = readModelConfig(configPath);
      const chains = int('--chains', flags.chains, 1, 64) ?? config.inference.chains;
      const progress = samplingProgress(chains);
      let result;
      try {
        result = await (await import('../../app/fit.ts')).runFit(config, workspacePath(cmd.optsWithGlobals()), {
          fast: flags.fast, chains, draws: int('--draws', flags.draws, 10, MAX_ITERATIONS), warmup: int('--warmup', flags.warmup, 10, MAX_ITERATIONS), seed: int('--seed', flags.seed, 0),
          onProgress: progress.onProgress,
        });
      } finally {
        progress.stop();
      }
      const { output } = result;
      for (const w of output.warnings) process.stderr.write(`WARNING: ${w}\n`);
      if (flags.json) printJson(output);
      else process.stdout.write(formatFit(output));
    });
}

export function int(flag: string, value: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw badInput(`${flag} must be an integer${max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max.toLocaleString('en-US')}` : ` >= ${min}`}; got '${value}'`);
  return n;
}

/** The posterior predictive check in one line (`marginal fit`, `marginal demo`). */
export function predictiveCoverageLine(cover: { inSample: number; holdout?: number }): string {
  return `inside the 90% predictive interval: ${formatPercent(cover.inSample, 0)} of fitted observations`
    + (cover.holdout !== undefined ? `, ${formatPercent(cover.holdout, 0)} of held-out ones` : '') + ' (about 90% expected)';
}

/** The channel table in the model's units: contribution in the target's unit, ROI (or conversions per
 *  spend), marginal ROI and, for conversions targets, cost per conversion, each with its 90% interval. */
export function channelTable(o: Pick<FitOutput, 'channels' | 'units'>): string[] {
  const u = o.units;
  const cur = u.currency;
  const f = (v: number | undefined, unit: Unit) => formatValue(v, unit, cur, { compact: false });
  // Intervals in full digits, or compact (1.2M) when the table is wider than the terminal.
  const iv = (x: readonly [number, number] | undefined, unit: Unit): Cell => ({ text: formatInterval(x, unit, cur, { compact: false }), short: formatInterval(x, unit, cur, { compact: true }) });
  const cpa = u.cpa !== null;
  const columns: Column[] = [
    { header: 'channel' }, { header: 'spend', align: 'right' },
    { header: 'contribution', align: 'right' }, { header: '[90%]' },
    { header: u.roi === 'revenue-per-spend' ? 'ROI' : 'conv./spend', align: 'right' }, { header: '[90%]' },
    { header: u.roi === 'revenue-per-spend' ? 'marginal ROI' : 'marginal', align: 'right' }, { header: '[90%]' },
    ...(cpa ? [{ header: 'CPA', align: 'right' as const }, { header: '[90%]' }] : []),
  ];
  const rows = o.channels.map((c) => {
    const x = c as typeof c & { cpa?: number; cpaInterval?: [number, number] };
    return [c.name, f(c.spend, 'currency'), f(c.contribution, u.outcome), iv(c.contributionInterval, u.outcome), f(c.roi, u.roi), iv(c.roiInterval, u.roi), f(c.mroi, u.mroi), iv(c.mroiInterval, u.mroi),
      ...(cpa ? [f(x.cpa, 'currency-per-conversion'), iv(x.cpaInterval, 'currency-per-conversion')] : [])];
  });
  return [unitsLine(u), ...renderTable(columns, rows)];
}

/** The units of the channel table's columns, in one line above it. */
export function unitsLine(u: FitOutput['units']): string {
  const cur = u.currency;
  return `units: spend in ${unitLabel('currency', cur)}; contribution in ${unitLabel(u.outcome, cur)}; ${roiName(u)} in ${unitLabel(u.roi, cur)}${u.cpa ? `; CPA (cost per incremental conversion) in ${unitLabel(u.cpa, cur)}` : ''}`;
}

/** The prior predictive check in one line: what the ROI priors alone say media explain. */
export function priorCheckLine(p: PriorCheck): string {
  const pct = (x: number) => formatPercent(x, x < 0.1 ? 1 : 0);
  const rule = p.defaultRule === 'media-share' ? ' (default ROI prior centred on a 20% media share: Meridian\'s would put media above half of the outcome here)' : p.defaultRule === 'given' ? ' (priors.defaultRoi as configured)' : '';
  return `prior check: before seeing the outcome, the ROI priors put media at ${pct(p.mediaShare.median)} of it (90% ${pct(p.mediaShare.interval[0])}–${pct(p.mediaShare.interval[1])})${rule}`;
}

export function formatFit(o: FitOutput): string {
  const ci = (a: [number, number], f = (v: number) => v.toFixed(2)) => `[${f(a[0])}, ${f(a[1])}]`;
  const lines = [
    `model ${o.modelId} (${o.family}${o.approximate ? ', APPROXIMATE' : ''})`,
    `fit: R² ${o.fit.r2.toFixed(3)}, MAPE ${formatPercent(o.fit.mape)}, NRMSE ${o.fit.nrmse.toFixed(3)}` +
      (o.fit.holdout ? `; holdout R² ${o.fit.holdout.r2.toFixed(3)}, MAPE ${formatPercent(o.fit.holdout.mape)}` : ''),
    ...('predictiveCoverage' in o.fit && o.fit.predictiveCoverage ? [predictiveCoverageLine(o.fit.predictiveCoverage)] : []),
    ...(o.priorCheck ? [priorCheckLine(o.priorCheck)] : []),
    // Laplace draws are independent by construction: their R-hat and ESS say nothing about convergence.
    o.approximate && 'rhatMax' in o.diagnostics
      ? `diagnostics: none to check (Laplace approximation: independent draws), ${o.diagnostics.seconds.toFixed(1)} s`
      : 'rhatMax' in o.diagnostics
      ? `diagnostics: R-hat max ${o.diagnostics.rhatMax.toFixed(3)}, bulk ESS min ${Math.round(o.diagnostics.essBulkMin)}, divergences ${o.diagnostics.divergences}, ${o.diagnostics.seconds.toFixed(1)} s`
      : `diagnostics: ${o.diagnostics.bootstrap} bootstrap replicates, ${o.diagnostics.seconds.toFixed(1)} s`,
    '',
    ...channelTable(o),
    '',
  ];
  // ROI above is the posterior mean; for right-skewed posteriors (weakly identified channels) the
  // median is the better single number, so Bayesian fits show it too.
  const medians = o.channels.flatMap((c) => ('roiMedian' in c && typeof c.roiMedian === 'number' ? [`${c.name} ${c.roiMedian.toFixed(2)}`] : []));
  if (medians.length) lines.push(`ROI posterior median: ${medians.join(' · ')}`, '');
  lines.push(...organicAndFrequencyLines(o));
  // The curve parameters a user gave priors for (priors.curves), to see whether the data moved them.
  const names: Record<string, string> = { decay: 'decay', halfSaturation: 'half-saturation', shape: 'shape' };
  const curves = o.channels.flatMap((c) => ('curve' in c && c.curve ? Object.entries(c.curve) : [])
    .filter(([, p]) => p.prior.given)
    .map(([key, p]) => `${c.name} ${names[key]} ${p.mean.toFixed(2)} ${ci(p.interval)} (prior ${p.prior.mean.toFixed(2)} ± ${p.prior.sd.toFixed(2)})`));
  if (curves.length) lines.push(`curve priors: ${curves.join(' · ')}`, '');
  return `${lines.join('\n')}\n`;
}

/** Organic channels (what they added, no ROI) and reach & frequency channels' optimal frequency, a line each. */
function organicAndFrequencyLines(o: FitOutput): string[] {
  const cur = o.units.currency;
  const organic = (o.organic ?? []).map((x) => `${x.name} ${formatValue(x.contribution, o.units.outcome, cur)} ${formatInterval(x.contributionInterval, o.units.outcome, cur)}, ${formatPercent(x.share)} of the outcome ${formatInterval(x.shareInterval, 'share')}`);
  const rf = o.channels.flatMap((c) => ('rf' in c && c.rf ? [`${c.name} ${formatAmount(c.rf.optimalFrequency)} ${formatAmountInterval(c.rf.optimalFrequencyInterval)} per person per period (now ${formatAmount(c.rf.observedFrequency)})`] : []));
  return [
    ...(organic.length ? [`organic (no spend, so no ROI): ${organic.join(' · ')}`, ''] : []),
    ...(rf.length ? [`optimal frequency (reach & frequency; most outcome per unit of spend): ${rf.join(' · ')}`, ''] : []),
  ];
}
