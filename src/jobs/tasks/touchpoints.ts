/**
 * The touchpoints task: journeys (built from the workspace by the caller) → scores by each method,
 * their per-channel summaries, top paths, and — with a model's contribution series — the scores
 * calibrated to the MMM with the consistency table. Pure computation in a job worker.
 */
import { attribute, calibrateToMmm, summarize, topPaths, type Journeys, type Method, type MmmSeries } from '../../touchpoints/index.ts';

export interface TouchpointsInput {
  journeys: Journeys;
  methods: Method[];
  options: { order?: number; halfLife?: number; position?: { first: number; last: number }; worth?: 'rate' | 'conversions' };
  mmm?: { model: string; series: MmmSeries; channelMap: Record<string, string> };
}

export async function run(input: TouchpointsInput, progress: (p: unknown) => void): Promise<unknown> {
  const j = input.journeys;
  const summaries = [];
  let first = null;
  for (const [k, method] of input.methods.entries()) {
    progress({ method, done: k, total: input.methods.length });
    const scores = attribute(j, method, input.options);
    first ??= scores;
    summaries.push(summarize(j, scores));
  }
  let calibration = null;
  if (input.mmm && first) {
    const cal = calibrateToMmm(j, first, input.mmm.series, input.mmm.channelMap);
    calibration = {
      model: input.mmm.model, method: first.method,
      summary: summarize(j, cal.scores),
      consistency: cal.consistency.map((r) => ({ ...r, difference: r.touchpoints - r.mmm })),
      unmatchedChannels: cal.unmatchedChannels, uncovered: cal.uncovered,
    };
  }
  return { summaries, calibration, topPaths: topPaths(j, 25), journeys: j.offsets.length - 1, touches: j.offsets[j.offsets.length - 1] };
}
