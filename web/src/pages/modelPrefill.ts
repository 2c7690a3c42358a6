/**
 * The wizard's answers from a model config (a duplicated model, POST /api/models/:id/duplicate): what
 * each step's form shows so that training it again gives the same config under the new name. Columns
 * of the table the config does not use come unchecked; what the form cannot say (a channel whose spend
 * column is not named `<channel>_spend`) is listed in `lost`.
 */
import type { Schema } from '../api.ts';
import type { ChannelChoice, ControlChoice, Experiment } from './modelTypes.ts';

export type ModelConfig = Schema<'ModelConfig'>;

export interface WizardAnswers {
  target: string; kind: 'revenue' | 'conversions'; rpc: string; population: string;
  channels: ChannelChoice[]; controls: ControlChoice[]; organic: string[]; missingMedia: 'refuse' | 'zero';
  holidayCountry: string; yearly: number; trend: 'linear' | 'none' | 'piecewise';
  adstock: string; maxLag: number; saturation: string; family: string; holdout: number;
  experiments: Experiment[]; bootstrap: string; search: { on: boolean; iterations: number; trials: number };
  lost: string[];
}

const text = (v: number | undefined) => (v === undefined ? '' : String(v));

export function wizardAnswers(config: ModelConfig, media: string[], factors: string[], curveKeys: string[]): WizardAnswers {
  const byspend = new Map(config.channels.map((c) => [c.spend, c]));
  const p = config.priors;
  const channels: ChannelChoice[] = media.filter((m) => /_spend$/.test(m) && !m.includes('__')).map((m) => {
    const c = byspend.get(m);
    const name = c?.name ?? m.replace(/_spend$/, '');
    const roi = p.roi[name], mroi = p.mroi[name], share = p.contributionShare[name], curves = p.curves[name] ?? {};
    const prior = mroi ?? roi;
    return {
      name, spend: m, exposure: c?.reach ? '#rf' : c?.exposure ?? '', on: !!c, split: !!c?.subchannels,
      roiMean: text(prior?.mean), roiSd: text(prior?.sd), priorOn: mroi ? 'mroi' : 'roi',
      share: share ? String(Number((100 * share.share).toPrecision(6))) : '', confidence: share ? String(share.confidence) : '0.75',
      adstock: c?.adstock?.type ?? '', saturation: c?.saturation?.type ?? '',
      curve: Object.fromEntries(curveKeys.map((k) => { const x = (curves as Record<string, { mean: number; sd: number } | undefined>)[k]; return [k, { mean: text(x?.mean), sd: text(x?.sd) }]; })),
    };
  });
  const controlOf = new Map(config.controls.map((c) => (typeof c === 'string' ? [c, { column: c, sign: 'auto' }] : [c.column, c])));
  const controls: ControlChoice[] = factors.map((f) => ({ column: f, on: controlOf.has(f), sign: controlOf.get(f)?.sign ?? (/price/i.test(f) ? 'negative' : 'auto') }));
  const rpc = config.target.revenuePerConversion;
  const trend = typeof config.trend === 'string' ? config.trend : 'piecewise';
  return {
    target: config.target.column, kind: config.target.kind, rpc: rpc === undefined ? '' : String(rpc), population: config.data.population ?? '',
    channels, controls, missingMedia: config.data.missingMedia ?? 'refuse',
    // Organic channels the form offers by their activity column (named as the column).
    organic: config.channels.filter((c) => c.organic === true || (c.spend === undefined && !c.subchannels)).flatMap((c) => (c.exposure ? [c.exposure] : [])),
    holidayCountry: config.holidays?.country ?? '', yearly: config.seasonality.yearly, trend,
    adstock: config.adstock.type, maxLag: config.adstock.maxLag ?? 8, saturation: config.saturation.type, family: config.family, holdout: config.holdout.periods,
    experiments: config.experiments.map((e) => ({ channel: e.channel, start: e.start, end: e.end, lift: String(e.lift), liftSe: String(e.liftSe) })),
    bootstrap: text(config.classic?.bootstrap),
    search: config.search ? { on: true, iterations: config.search.iterations, trials: config.search.trials } : { on: false, iterations: 2000, trials: 5 },
    lost: [
      ...config.channels.filter((c) => c.spend !== undefined && !channels.some((x) => x.spend === c.spend)).map((c) => `channel ${c.name} (spend column ${c.spend})`),
      // The form names an organic channel after its column.
      ...config.channels.filter((c) => c.spend === undefined && !c.subchannels && c.exposure !== undefined && c.exposure !== c.name).map((c) => `the name of organic channel ${c.name} (it becomes ${c.exposure})`),
      // The form splits a channel into the table's own sub-channel columns: other names come back as the total.
      ...config.channels.filter((c) => c.subchannels && (c.spend === undefined || c.subchannels.some((s) => s.spend !== `${c.name}__${s.name}_spend`))).map((c) => `the sub-channels of ${c.name} as configured (${c.subchannels!.map((s) => s.name).join(', ')})`),
    ],
  };
}
