/** The model wizard's answers per channel, control and lift test (Models.tsx, modelPrefill.ts). */
export interface ChannelChoice {
  name: string; spend: string; exposure: string; on: boolean;
  /** Report the channel by its sub-channels: the table's `<name>__<sub>_spend` columns. */
  split?: boolean;
  roiMean: string; roiSd: string; priorOn: 'roi' | 'mroi'; share: string; confidence: string; adstock: string; saturation: string;
  /** Response-curve priors (`priors.curves`, keys from the catalog's curve parameters): mean and sd of each, '' when not given. */
  curve: Record<string, { mean: string; sd: string }>;
}
export interface ControlChoice { column: string; on: boolean; sign: string }
export interface Experiment { channel: string; start: string; end: string; lift: string; liftSe: string }
