import type { Command } from 'commander';
import { plainNumber } from '../../units.ts';
import { readFileSync } from 'node:fs';
import { badInput } from '../../errors.ts';
import { printJson, workspacePath } from '../program.ts';
import { getModel, withWorkspace } from '../../data/index.ts';
import { parseModelConfig } from '../../models/config.ts';
import { writeConfigBeside } from '../../jobs/writeConfig.ts';
import {
  attribute, calibrateToMmm, contributionSharePriors, CHEAP_METHODS, exportScores, loadJourneys, summarize, METHODS,
  type Method, type Scores, type MmmSeries,
} from '../../touchpoints/index.ts';
import { fitIncremental } from '../../touchpoints/incremental.ts';

interface Flags {
  data?: string; method: string; order?: string; lookback?: string; position?: string; halfLife?: string;
  shapleyWorth?: string; channelMap?: string[]; json?: boolean; out?: string; step?: string;
  priorsFor?: string; priorsOut?: string; confidence?: string; mediaShare?: string;
}

const num = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (!Number.isFinite(x)) throw badInput(`${name} must be a number; got '${v}'`);
  return x;
};

function parsePosition(v: string | undefined): { first: number; last: number } | undefined {
  if (v === undefined) return undefined;
  const parts = v.split(/[/,]/).map(Number);
  if (parts.length !== 3 || parts.some((x) => !Number.isFinite(x) || x < 0)) throw badInput(`--position must be FIRST/MIDDLE/LAST percentages like 40/20/40; got '${v}'`);
  const s = parts[0] + parts[1] + parts[2];
  if (Math.abs(s - 100) > 1e-9 && Math.abs(s - 1) > 1e-9) throw badInput(`--position weights must add up to 100 (or 1); got '${v}'`);
  return { first: parts[0] / s, last: parts[2] / s };
}

function parseMap(list: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const k = item.indexOf('=');
    if (k <= 0 || k === item.length - 1) throw badInput(`--channel-map takes TOUCH=MMM; got '${item}'`);
    out[item.slice(0, k)] = item.slice(k + 1);
  }
  return out;
}

export function register(program: Command): void {
  program
    .command('touchpoints')
    .description('Score touchpoints (multi-touch attribution); with MODEL, calibrate the scores to the MMM')
    .argument('[model]', 'a fitted model id: rescale scores to its incremental outcome per channel and period')
    .requiredOption('--data <id>', 'touchpoint dataset (ingested with --kind touchpoints)')
    .option('--method <m>', `${METHODS.join('|')}`, 'linear')
    .option('--order <n>', 'Markov order 1..3', '1')
    .option('--lookback <days>', 'touches at most this many days before the journey end count', '30')
    .option('--position <f/m/l>', 'position-based weights (first/middle/last)', '40/20/40')
    .option('--half-life <days>', 'time-decay half-life in days (steps for aggregated paths)', '7')
    .option('--shapley-worth <w>', 'Shapley coalition worth: rate|conversions', 'rate')
    .option('--step <hours>', 'incremental model time step in hours', '24')
    .option('--channel-map <touch=mmm...>', 'touchpoint channel = model channel (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--json', 'print the summary (contract: touchpoints-output) as JSON on stdout')
    .option('--out <file>', 'per-touch scores (every method) to FILE.csv or FILE.parquet, with aggregates beside it')
    .option('--priors-for <config>', 'a model config (JSON): write it with priors.contributionShare from these scores to --priors-out')
    .option('--priors-out <file>', 'where the config with share priors goes')
    .option('--confidence <c>', 'confidence of the share priors, in (0, 1)', '0.5')
    .option('--media-share <x>', 'part of the total outcome driven by media (default with --method incremental: its estimate; required otherwise)')
    .action(async (modelId: string | undefined, flags: Flags, cmd: Command) => {
      const method = flags.method as Method;
      if (!(METHODS as readonly string[]).includes(method)) throw badInput(`--method must be one of ${METHODS.join(', ')}; got '${flags.method}'`);
      if (flags.shapleyWorth !== 'rate' && flags.shapleyWorth !== 'conversions') throw badInput(`--shapley-worth must be one of rate, conversions; got '${flags.shapleyWorth}'`);
      const opts = { order: num('--order', flags.order), position: parsePosition(flags.position), halfLife: num('--half-life', flags.halfLife), worth: flags.shapleyWorth as 'rate' | 'conversions' };
      const channelMap = parseMap(flags.channelMap);
      const { j, model } = await withWorkspace(workspacePath(cmd.optsWithGlobals()), async (ws) => ({
        j: await loadJourneys(ws, flags.data!, { lookbackDays: num('--lookback', flags.lookback) }),
        model: modelId ? await getModel(ws, modelId) : null,
      }));
      if (j.offsets.length <= 1) throw badInput(`dataset '${flags.data}' has no journey with a touch in the lookback window`);
      if ((flags.priorsFor === undefined) !== (flags.priorsOut === undefined)) throw badInput('--priors-for and --priors-out go together');
      if (flags.priorsFor && flags.mediaShare === undefined && method !== 'incremental') throw badInput('--priors-for needs --media-share (the part of the outcome media drive: from a previous fit, a lift test, or --method incremental)');
      const all: Scores[] = [];
      let main: Scores | undefined;
      let mediaShare = num('--media-share', flags.mediaShare);
      let model_: Record<string, unknown> | undefined;
      if (method === 'incremental' || flags.out === undefined) {
        if (method === 'incremental') {
          const inc = fitIncremental(j, { stepHours: num('--step', flags.step) });
          process.stderr.write(`incremental model: ${inc.iterations} L-BFGS iterations, ${inc.seconds.toFixed(1)} s; base conversions ${inc.base.toFixed(1)}\n`);
          main = inc.incremental;
          model_ = {
            base: inc.base, converged: inc.converged, iterations: inc.iterations, seconds: inc.seconds, alpha: inc.params.alpha,
            channels: j.channels.map((channel, c) => ({ channel, beta: inc.params.beta[c], lambda: inc.params.lambda[c] })),
          };
          if (mediaShare === undefined) {
            let incTotal = 0;
            for (const x of inc.incremental.conversions) incTotal += x;
            const all = incTotal + inc.base + j.untouchedConversions;
            mediaShare = all > 0 ? Math.min(1, Math.max(1e-6, incTotal / all)) : 1;
          }
          all.push(inc.incremental, inc.influenced);
        } else main = attribute(j, method, opts);
      }
      if (flags.out !== undefined) {
        for (const m of CHEAP_METHODS) all.push(m === method && main ? main : attribute(j, m, opts));
        main ??= all.find((s) => s.method === method);
      }
      const summary: Record<string, unknown> = { ...summarize(j, main!), ...(model_ ? { hazard: model_ } : {}) };
      let consistency: Record<string, unknown>[] | undefined;
      if (model) {
        const res = model.result as { series?: { dates: string[]; contributions: Record<string, number[]> }; channels?: { name: string }[] };
        if (!res?.series?.contributions) throw badInput(`model '${modelId}' has no contribution series (family ${(model as { family?: string }).family}); calibration needs a Bayesian fit`);
        const mmm: MmmSeries = { dates: res.series.dates, channels: Object.keys(res.series.contributions), contributions: res.series.contributions };
        const cal = calibrateToMmm(j, main!, mmm, channelMap);
        all.push(cal.scores);
        consistency = cal.consistency.map((r) => ({ ...r, touchChannels: r.touchChannels.join('|'), difference: r.touchpoints - r.mmm }));
        summary.consistency = cal.consistency.map(({ channel, period, mmm: m, touchpoints }) => (period === undefined ? { channel, mmm: m, touchpoints } : { channel, period, mmm: m, touchpoints }));
        summary.model = modelId;
        summary.unmatchedChannels = cal.unmatchedChannels;
        summary.uncovered = cal.uncovered;
        if (cal.unmatchedChannels.length) process.stderr.write(`WARNING: touchpoint channels with no model channel (scored 0 after calibration): ${cal.unmatchedChannels.join(', ')}; map them with --channel-map TOUCH=MMM\n`);
        if (cal.uncovered > 0) process.stderr.write(`WARNING: ${plainNumber(cal.uncovered)} of the model's incremental outcome falls in channel-periods without touchpoint scores\n`);
      }
      if (flags.priorsFor && flags.priorsOut) {
        let raw: { channels?: { name?: unknown }[]; priors?: Record<string, unknown> };
        try { raw = JSON.parse(readFileSync(flags.priorsFor, 'utf8')); } catch (err) { throw badInput(`--priors-for ${flags.priorsFor}: cannot read a JSON model config (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`); }
        parseModelConfig(raw, flags.priorsFor);
        const names = (raw.channels ?? []).map((c) => String(c.name));
        if (!names.length) throw badInput(`--priors-for ${flags.priorsFor}: the config names no channels`);
        const priors = contributionSharePriors(summarize(j, main!).channels, names, num('--confidence', flags.confidence)!, channelMap, mediaShare);
        raw.priors = { ...(raw.priors ?? {}), contributionShare: { ...((raw.priors?.contributionShare as object) ?? {}), ...priors } };
        // Relative file paths are re-based onto the new config's folder; validated before it is written.
        writeConfigBeside(raw, flags.priorsFor, flags.priorsOut);
        summary.priors = priors; summary.mediaShare = mediaShare;
        process.stderr.write(`wrote ${flags.priorsOut} with contribution-share priors for ${Object.keys(priors).join(', ')}\n`);
      }
      if (flags.out !== undefined) {
        const r = await exportScores(j, all, flags.out, consistency);
        summary.out = r.out; summary.files = r.files;
        process.stderr.write(`wrote ${r.rows} touch rows to ${r.out} and ${Object.keys(r.files).length} aggregate files\n`);
      }
      if (flags.json) printJson(summary);
      else {
        const s = summary as unknown as ReturnType<typeof summarize>;
        process.stdout.write(`${s.method}: ${s.totalConversions.toFixed(2)} conversions over ${s.touches} touches in ${s.journeys} journeys (${s.untouchedConversions} conversions had no touch)\n`);
        for (const c of s.channels) process.stdout.write(`  ${c.channel}\t${c.conversions.toFixed(2)}\t${(100 * c.share).toFixed(1)}%\n`);
      }
    });
}
