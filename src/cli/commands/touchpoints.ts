import type { Command } from 'commander';
import type { JourneyShape } from '../../touchpoints/shape.ts';
import { badInput } from '../../errors.ts';
import { existingWorkspace, printJson } from '../program.ts';
import { METHODS, type Method, type summarize } from '../../touchpoints/index.ts';
import { scoreTouchpoints } from '../../app/touchpoints.ts';
import { maxInMemoryEvents, isLargeDataset, scoreEventFile, scoreLargeDataset } from '../../app/touchpointsAtScale.ts';
import { stepProgress } from '../progress.ts';
import { renderTable } from '../table.ts';
import { withFlagHints } from '../flagHints.ts';
import { compactNumber, formatCount, formatPercent } from '../../units.ts';
import type { SegmentAnalysis } from '../../touchpoints/segments.ts';

interface Flags {
  data?: string; events?: string; method: string; order?: string; lookback?: string; position?: string; halfLife?: string;
  shapleyWorth?: string; channelMap?: string[]; json?: boolean; out?: string; long?: boolean; audience?: string; audienceOut?: string; top?: string; hash?: boolean; step?: string;
  segment?: string; audienceSegment?: string; report?: string; campaignMap?: string[];
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

function parseMap(list: string[] | undefined, flag = '--channel-map', key = 'TOUCH'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const k = item.indexOf('=');
    if (k <= 0 || k === item.length - 1) throw badInput(`${flag} takes ${key}=MMM; got '${item}'`);
    out[item.slice(0, k)] = item.slice(k + 1);
  }
  return out;
}

export function register(program: Command): void {
  program
    .command('touchpoints')
    .description('Score touchpoints (multi-touch attribution); with MODEL, calibrate the scores to the MMM')
    .argument('[model]', 'a fitted model id: rescale scores to its incremental outcome per channel and period')
    .option('--data <id>', 'touchpoint dataset (ingested with --kind touchpoints)')
    .option('--events <file.parquet>', 'an event file too large to ingest (hundreds of millions of events), scored where it lies: every method\'s credit per channel, partition by partition of customers (columns journey_id, ts, channel; interaction, conversion, value, campaign if any)')
    .option('--method <m>', `${METHODS.join('|')}`, 'linear')
    .option('--order <n>', 'Markov order 1..3', '1')
    .option('--lookback <days>', 'touches at most this many days before the journey end count', '30')
    .option('--position <f/m/l>', 'position-based weights (first/middle/last)', '40/20/40')
    .option('--half-life <days>', 'time-decay half-life in days (steps for aggregated paths)', '7')
    .option('--shapley-worth <w>', 'Shapley coalition worth: rate|conversions', 'rate')
    .option('--step <hours>', 'incremental model time step in hours', '24')
    .option('--channel-map <touch=mmm...>', 'touchpoint channel = model channel (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--campaign-map <campaign=mmm...>', 'campaign = model channel (repeatable): its touches count for that channel whatever their touch channel', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--json', 'print the summary (contract: touchpoints-output) as JSON on stdout')
    .option('--out <file>', 'per-touch scores (every method) to FILE.csv or FILE.parquet, with aggregates beside it (columns: contracts/touchpoint-scores.schema.json)')
    .option('--long', 'with --out: also FILE.long.csv|parquet, one row per touch and method (for BI tools)')
    .option('--audience <channel>', 'write the customers this channel\'s touches moved most (by --method) to --audience-out: a seed for lookalike audiences')
    .option('--audience-segment <attribute=value>', 'write every customer of one segment (e.g. device=mobile) to --audience-out: a seed for lookalike audiences')
    .option('--audience-out <file.csv>', 'where --audience or --audience-segment goes')
    .option('--top <n>', 'with --audience: how many customers (default 1000)')
    .option('--hash', 'with --audience: SHA-256 of each id (trimmed, lower-cased), as ad platforms match them')
    .option('--segment <attribute>', 'a customer attribute declared at ingest (--map COLUMN=segment): incremental conversions per segment and per segment × channel, with 90% intervals')
    .option('--report <file.html>', 'the touchpoints report: credit by method, journeys at a glance, top paths, segments (one HTML file, no network needed)')
    .option('--priors-for <config>', 'a model config (JSON): write it with priors.contributionShare from these scores to --priors-out')
    .option('--priors-out <file>', 'where the config with share priors goes')
    .option('--confidence <c>', 'confidence of the share priors, in (0, 1)', '0.5')
    .option('--media-share <x>', 'part of the total outcome driven by media (default with --method incremental: its estimate; required otherwise)')
    .action(async (modelId: string | undefined, flags: Flags, cmd: Command) => {
      const method = flags.method as Method;
      if (!(METHODS as readonly string[]).includes(method)) throw badInput(`--method must be one of ${METHODS.join(', ')}; got '${flags.method}'`);
      if (flags.shapleyWorth !== 'rate' && flags.shapleyWorth !== 'conversions') throw badInput(`--shapley-worth must be one of rate, conversions; got '${flags.shapleyWorth}'`);
      const opts = { order: num('--order', flags.order), position: parsePosition(flags.position), halfLife: num('--half-life', flags.halfLife), worth: flags.shapleyWorth as 'rate' | 'conversions' };
      if ((flags.data === undefined) === (flags.events === undefined)) throw badInput('give the touchpoints to score: --data DATASET (ingested) or --events FILE.parquet (scored where it lies)');
      if (flags.events !== undefined) return atScale({ file: flags.events }, modelId, flags, method, opts);
      const workspace = existingWorkspace(cmd.optsWithGlobals());
      if (await isLargeDataset(workspace, flags.data!)) return atScale({ workspace, data: flags.data! }, modelId, flags, method, opts);
      const summary = await withFlagHints({ channelMap: '--channel-map TOUCH=MMM', mediaShare: '--media-share SHARE', campaignMap: '--campaign-map CAMPAIGN=MMM', segment: '--segment ATTRIBUTE or --audience-segment ATTRIBUTE=VALUE' }, () => scoreTouchpoints(workspace, {
        data: flags.data!, method, model: modelId, channelMap: parseMap(flags.channelMap), campaignMap: parseMap(flags.campaignMap, '--campaign-map', 'CAMPAIGN'), lookbackDays: num('--lookback', flags.lookback), options: opts,
        stepHours: num('--step', flags.step), out: flags.out, long: flags.long, audience: audienceOf(flags), segmentAudience: segmentAudienceOf(flags), segment: flags.segment, report: flags.report, priorsFor: flags.priorsFor, priorsOut: flags.priorsOut,
        confidence: num('--confidence', flags.confidence)!, mediaShare: num('--media-share', flags.mediaShare),
      }, (text, level) => process.stderr.write(`${level === 'warning' ? 'WARNING: ' : ''}${text}\n`)));
      if (flags.json) printJson(summary);
      else {
        const s = summary as unknown as ReturnType<typeof summarize>;
        process.stdout.write(`${s.method}: ${s.totalConversions.toFixed(2)} conversions over ${s.touches} touches in ${s.journeys} journeys (${s.untouchedConversions} conversions had no touch)\n`);
        for (const c of s.channels) process.stdout.write(`  ${c.channel}\t${c.conversions.toFixed(2)}\t${formatPercent(c.share)}\n`);
        const shape = (summary as { shape?: JourneyShape }).shape;
        if (shape) {
          process.stdout.write(`journeys by touches: ${shape.pathLength.map((p) => `${p.touches}: ${p.journeys} (${formatPercent(p.conversionRate)} convert)`).join(' · ')}\n`);
          if (shape.medianDays !== null) process.stdout.write(`days from first touch to conversion: median ${shape.medianDays.toFixed(1)}, 90% within ${shape.p90Days!.toFixed(1)}\n`);
        }
        const seg = (summary as { segments?: SegmentAnalysis }).segments;
        if (seg) process.stdout.write(segmentText(seg));
      }
    });
}

/**
 * `--events FILE`, or a dataset with more events than are scored in memory: every method's credit per
 * channel, partition by partition; what needs the journeys in memory is refused by name.
 */
async function atScale(source: { file: string } | { workspace: string; data: string }, modelId: string | undefined, flags: Flags, method: Method, options: { order?: number; position?: { first: number; last: number }; halfLife?: number; worth: 'rate' | 'conversions' }): Promise<void> {
  const inMemory = [
    [modelId !== undefined, 'a MODEL to calibrate to'], [flags.out !== undefined, '--out'], [flags.long, '--long'], [flags.audience !== undefined || flags.audienceSegment !== undefined, '--audience'],
    [flags.segment !== undefined, '--segment'], [flags.report !== undefined, '--report'], [flags.priorsFor !== undefined, '--priors-for'],
    [(flags.channelMap ?? []).length > 0, '--channel-map'], [(flags.campaignMap ?? []).length > 0, '--campaign-map'],
  ].filter(([given]) => given).map(([, name]) => name as string);
  const needs = `${inMemory.join(', ')} need${inMemory.length === 1 ? 's' : ''} the journeys in memory`;
  if (inMemory.length && 'file' in source) throw badInput(`--events gives every method's credit per channel; ${needs}: ingest the file (marginal ingest FILE --kind touchpoints) and score it with --data`);
  if (inMemory.length && 'data' in source) throw badInput(`dataset '${source.data}' has more than ${formatCount(maxInMemoryEvents())} events, too many to hold every journey in memory: it is scored partition by partition, every method's credit per channel; ${needs}: ingest a sample of customers as another dataset for them`);
  const request = { method, lookbackDays: num('--lookback', flags.lookback), stepHours: num('--step', flags.step), ...options };
  const bar = stepProgress();
  const s = await withFlagHints({ lookbackDays: '--lookback DAYS' }, () => ('file' in source ? scoreEventFile(source.file, request, bar.onProgress) : scoreLargeDataset(source.workspace, source.data, request, bar.onProgress)))
    .finally(() => bar.stop());
  if (flags.json) { printJson(s); return; }
  process.stdout.write(`${formatCount(s.events)} events of ${s.source} in ${s.partitions} partition${s.partitions === 1 ? '' : 's'}: ${formatCount(s.touches)} touches in ${formatCount(s.journeyCount)} journeys; ${compactNumber(s.totalConversions)} conversions had a touch in the lookback, ${compactNumber(s.untouchedConversions)} had none (${s.seconds.total.toFixed(1)} s)\n`);
  process.stdout.write('share of conversions credited, by method:\n');
  const cols = [{ header: 'channel' }, ...s.methods.map((m) => ({ header: m.method, align: 'right' as const }))];
  for (const line of renderTable(cols, s.channelNames.map((c, x) => [c, ...s.methods.map((m) => formatPercent(m.channels[x].share))]), '  ')) process.stdout.write(`${line}\n`);
  for (const n of s.notes) process.stdout.write(`NOTE: ${n}\n`);
  if (s.incremental) process.stdout.write(`incremental model fitted on ${formatCount(s.incremental.journeysFitted)} journeys of a random sample of customers (${s.incremental.iterations} L-BFGS iterations${s.incremental.converged ? '' : ', NOT converged'}); base conversions ${compactNumber(s.incremental.base)}\n`);
}

/** Segments ranked by incremental conversions per customer, then each segment × channel, with 90% intervals. */
function segmentText(seg: SegmentAnalysis): string {
  const est = (e: { estimate: number; lower: number; upper: number }) => `${compactNumber(e.estimate)} (90%: ${compactNumber(e.lower)}–${compactNumber(e.upper)})`;
  const lines = [`incremental conversions by ${seg.attribute} (segment model, ${seg.journeysFitted < seg.journeys ? `fitted on ${seg.journeysFitted} of ${seg.journeys} journeys` : `${seg.journeys} journeys`}):`];
  for (const l of [...seg.levels].sort((a, b) => a.rank - b.rank)) {
    lines.push(`  ${l.rank}. ${l.segment}\t${est(l.incremental)} caused among ${formatCount(l.customers)} customers; per 1,000 customers ${est({ estimate: 1000 * l.perCustomer.estimate, lower: 1000 * l.perCustomer.lower, upper: 1000 * l.perCustomer.upper })}`);
    for (const c of seg.cells.filter((x) => x.segment === l.segment)) lines.push(`     ${c.channel}\t${est(c.incremental)}; per 1,000 exposed ${compactNumber(1000 * c.perExposed.estimate)}`);
  }
  for (const n of seg.notes) lines.push(`NOTE: ${n}`);
  return lines.join('\n') + '\n';
}

/** `--audience-segment ATTRIBUTE=VALUE --audience-out FILE [--hash]`, checked together. */
function segmentAudienceOf(flags: Flags): { attribute: string; value: string; out: string; hash?: boolean } | undefined {
  if (flags.audienceSegment === undefined) return undefined;
  const k = flags.audienceSegment.indexOf('=');
  if (k <= 0 || k === flags.audienceSegment.length - 1) throw badInput(`--audience-segment takes ATTRIBUTE=VALUE, e.g. device=mobile; got '${flags.audienceSegment}'`);
  if (!flags.audienceOut) throw badInput('--audience-segment ATTRIBUTE=VALUE and --audience-out FILE.csv go together');
  if (flags.audience !== undefined) throw badInput('one audience at a time: --audience CHANNEL or --audience-segment ATTRIBUTE=VALUE');
  return { attribute: flags.audienceSegment.slice(0, k), value: flags.audienceSegment.slice(k + 1), out: flags.audienceOut, ...(flags.hash ? { hash: true } : {}) };
}

/** `--audience CHANNEL --audience-out FILE [--top N] [--hash]`, checked together. */
function audienceOf(flags: Flags): { channel: string; out: string; top?: number; hash?: boolean } | undefined {
  if (flags.audienceSegment !== undefined && flags.audience === undefined) return undefined;
  if (flags.audience === undefined && flags.audienceOut === undefined) return undefined;
  if (!flags.audience || !flags.audienceOut) throw badInput('--audience CHANNEL and --audience-out FILE.csv go together');
  const top = flags.top === undefined ? undefined : Number(flags.top);
  if (top !== undefined && !(Number.isInteger(top) && top >= 1)) throw badInput(`--top must be a whole number of customers, at least 1; got '${flags.top}'`);
  return { channel: flags.audience, out: flags.audienceOut, ...(top !== undefined ? { top } : {}), ...(flags.hash ? { hash: true } : {}) };
}
