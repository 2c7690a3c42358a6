/**
 * Per posterior draw, the lift of tests that change a channel's spend (changeTest.ts), outside the
 * graph: the insights' lift-test check of such tests and the design's preposterior read it. The
 * transforms are the registry's plain ones with the draw's parameters (futureDraws.ts `mediaPath`),
 * b the model's generated coefficients; a test holds it to the graph's own term.
 */
import type { ModelData } from '../design.ts';
import type { ChangeTestRequest } from '../fitted.ts';
import { changeTestSeries, changeTestSum, changeTestWindow } from './changeTest.ts';
import { mediaPath } from './futureDraws.ts';
import { groupParams } from './media.ts';
import type { MmmModel } from './model.ts';
import type { PreparedMmm } from './prepare.ts';

export interface ChangeTestContext {
  data: ModelData;
  prep: PreparedMmm;
  mmm: MmmModel;
  named: Record<string, Float64Array>[];
  thetas: Float64Array[];
}

export function changeTestDraws(ctx: ChangeTestContext, tests: readonly ChangeTestRequest[]): Float64Array[] {
  const { data, prep, mmm, named, thetas } = ctx;
  const G = prep.G;
  const prepared = tests.map((t) => {
    const window = changeTestWindow(data, t.start, t.end, t.alternate, 'test');
    const series = changeTestSeries(data, prep.xScale, prep.yScale, prep.adstock[t.channel].maxLag, { channel: t.channel, geos: t.geos, window, spendChange: t.spendChange, reading: t.reading });
    const j = mmm.groups.findIndex((g) => g.channels.includes(t.channel));
    return { series, j, q: mmm.groups[j].channels.indexOf(t.channel) };
  });
  const out = tests.map(() => new Float64Array(thetas.length));
  const names = [...new Set(prepared.map((p) => `b${p.j}`))];
  thetas.forEach((theta, d) => {
    const gen = mmm.model.generated(theta, names);
    prepared.forEach(({ series, j, q }, i) => {
      const group = mmm.groups[j], Cg = group.channels.length;
      const p: Record<string, Float64Array> = {};
      for (const { param } of groupParams(group)) {
        const key = `${param.key}${group.suffix}`;
        p[key] = Float64Array.of(named[d][key][q]);
      }
      const h = mediaPath(group, p, series.x, series.rowGeo.length, series.length, 1);
      const b = gen[`b${j}`];
      const bc = G > 1 ? Float64Array.from({ length: G }, (_, g) => b[g * Cg + q]) : Float64Array.of(b[q]);
      out[i][d] = changeTestSum(series, h, bc);
    });
  });
  return out;
}
