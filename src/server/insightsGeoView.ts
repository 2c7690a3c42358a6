/**
 * What `GET /api/models/:id/insights` sends of a geo model: every figure of the model at national level
 * (its decomposition summed over geos per period, the national response curves), or with `?geo=NAME`
 * that one geo's decomposition, curves and fit bands beside the national ones. Forty geos' series and
 * curves in one answer made a 4.7 MB document that every page view (and every poll under load) paid
 * for; a page that shows one geo at a time asks for that geo. National models are sent whole.
 */
import { badInput, onField } from '../errors.ts';

type View = Record<string, unknown> & {
  decomposition: Record<string, unknown>[];
  responseCurves: { geo: string | null }[];
  curvePoints: { geo: string | null }[];
  series: { dates: string[]; geos: string[]; predictedLow?: number[]; predictedHigh?: number[]; predictiveLow: number[] | null; predictiveHigh: number[] | null } | null;
};

/** The geos of a view: those its decomposition rows name (none for a national model). */
export function viewGeos(x: Record<string, unknown>): string[] {
  const rows = (x as View).decomposition ?? [];
  if (!rows.some((r) => r.geo !== undefined)) return [];
  return [...new Set(rows.map((r) => String(r.geo)))];
}

export function insightsForGeo(x: Record<string, unknown>, geo: string | undefined): Record<string, unknown> {
  const v = x as View;
  const geos = viewGeos(x);
  if (!geos.length) {
    if (geo !== undefined) throw onField('geo', badInput(`model '${String(x.modelId)}' has no geos: its insights are national`));
    return { ...x, geos };
  }
  if (geo === undefined) {
    // Per period, the sum over geos of every number; a period is in-sample for all geos alike.
    const byDate = new Map<string, Record<string, unknown>>();
    for (const r of v.decomposition) {
      const d = String(r.date);
      let acc = byDate.get(d);
      if (!acc) { acc = { date: d, inSample: r.inSample }; byDate.set(d, acc); }
      for (const [k, val] of Object.entries(r)) if (typeof val === 'number') acc[k] = ((acc[k] as number | undefined) ?? 0) + val;
    }
    return {
      ...x, geos,
      decomposition: [...byDate.values()],
      responseCurves: v.responseCurves.filter((r) => r.geo === null),
      curvePoints: v.curvePoints.filter((r) => r.geo === null),
      // Quantiles of geos do not add up: the national view has no band.
      series: v.series ? { dates: v.series.dates, geos: v.series.geos, predictiveLow: null, predictiveHigh: null } : null,
    };
  }
  if (!geos.includes(geo)) throw onField('geo', badInput(`model '${String(x.modelId)}' has no geo '${geo}'; its geos: ${geos.slice(0, 20).join(', ')}${geos.length > 20 ? ` and ${geos.length - 20} more` : ''}`));
  const s = v.series;
  let series = s;
  if (s) {
    const g = s.geos.indexOf(geo), T = s.dates.length;
    const cut = (a: number[] | null | undefined) => (a && g >= 0 && a.length >= (g + 1) * T ? a.slice(g * T, (g + 1) * T) : null);
    series = { dates: s.dates, geos: [geo], ...(s.predictedLow ? { predictedLow: cut(s.predictedLow) ?? [], predictedHigh: cut(s.predictedHigh) ?? [] } : {}), predictiveLow: cut(s.predictiveLow), predictiveHigh: cut(s.predictiveHigh) };
  }
  return {
    ...x, geos,
    decomposition: v.decomposition.filter((r) => r.geo === geo),
    responseCurves: v.responseCurves.filter((r) => r.geo === geo || r.geo === null),
    curvePoints: v.curvePoints.filter((r) => r.geo === geo || r.geo === null),
    series,
  };
}
