/**
 * The touchpoints report: one self-contained HTML page (no script, no network) of a scoring — credit
 * by method, journeys at a glance (touches per journey with their conversion rate, days to convert),
 * the top paths with what their touches caused, and the segments with their intervals and a segment ×
 * channel heat-map. Charts are inline SVG drawn here, so the page prints and opens anywhere; every
 * string from data is HTML-escaped. Written once for `marginal touchpoints --report` and
 * `GET /api/touchpoints/:job/report`.
 */
import { escapeHtml as h } from '../analysis/report/escape.ts';
import { styles } from '../analysis/report/styles.ts';
import { compactNumber, formatCount, formatPercent } from '../units.ts';
import type { Summary } from './attribute.ts';
import type { PathRow } from './aggregate.ts';
import type { JourneyShape } from './shape.ts';
import type { SegmentAnalysis } from './segments.ts';

export interface TouchpointsReportInput {
  data: string;
  createdAt: string;
  summaries: Summary[];
  shape: JourneyShape;
  topPaths: PathRow[];
  segments: SegmentAnalysis | null;
  notes: string[];
  journeys: number;
  touches: number;
  /** With a model: the model calibrated to. */
  model?: string | null;
}

const INK = '#1d2330', BAR = '#2f6db5', MUTED = '#5b6475';

/** Horizontal bars, one per row, the value written at the bar's end. */
function bars(rows: { label: string; value: number }[], format: (v: number) => string, title: string): string {
  const max = Math.max(...rows.map((r) => r.value), 0) || 1;
  const rowH = 22, labelW = 150, barW = 420, height = rows.length * rowH + 8;
  const items = rows.map((r, i) => {
    const y = 4 + i * rowH, w = Math.max(0, (r.value / max) * barW);
    return `<text x="${labelW - 6}" y="${y + 15}" text-anchor="end" fill="${INK}" font-size="12">${h(r.label)}</text>`
      + `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 8}" fill="${BAR}"/>`
      + `<text x="${labelW + w + 6}" y="${y + 15}" fill="${MUTED}" font-size="12">${h(format(r.value))}</text>`;
  }).join('');
  return `<svg role="img" aria-label="${h(title)}" viewBox="0 0 ${labelW + barW + 90} ${height}" width="100%" style="max-width:${labelW + barW + 90}px">${items}</svg>`;
}

function table(head: string[], rows: string[][]): string {
  return `<div class="table-wrap"><table><thead><tr>${head.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${h(c)}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
}

const withInterval = (e: { estimate: number; lower: number; upper: number }, k = 1) => `${compactNumber(k * e.estimate)} [${compactNumber(k * e.lower)}, ${compactNumber(k * e.upper)}]`;

function creditSection(x: TouchpointsReportInput): string {
  const channels = x.summaries[0]?.channels.map((c) => c.channel) ?? [];
  const rows = channels.map((ch) => [ch, ...x.summaries.map((s) => compactNumber(s.channels.find((c) => c.channel === ch)?.conversions ?? 0))]);
  const first = x.summaries[0];
  return `<section><h2>Credit by method</h2>
<p class="meta">${formatCount(x.journeys)} journeys, ${formatCount(x.touches)} touches, ${compactNumber(first?.totalConversions ?? 0)} conversions credited${first ? ` (${formatCount(first.untouchedConversions)} had no touch in the lookback window)` : ''}.</p>
${first ? bars(first.channels.map((c) => ({ label: c.channel, value: c.conversions })), compactNumber, `Conversions credited to each channel by ${first.method}`) : ''}
${table(['Channel', ...x.summaries.map((s) => s.method)], rows)}</section>`;
}

function shapeSection(s: JourneyShape): string {
  const days = s.timeToConvert.length
    ? `<h3>Days from first touch to conversion</h3>${bars(s.timeToConvert.map((t) => ({ label: `${t.days} days`, value: t.conversions })), formatCount, 'Conversions by days from first touch')}
<p class="meta">Median ${compactNumber(s.medianDays ?? 0)} days; 90% of conversions within ${compactNumber(s.p90Days ?? 0)} days of the journey's first touch.</p>`
    : '<p class="meta">Aggregated paths carry no times: no days to convert.</p>';
  return `<section><h2>Journeys at a glance</h2>
<h3>Touches per journey</h3>${bars(s.pathLength.map((p) => ({ label: `${p.touches} ${p.touches === '1' ? 'touch' : 'touches'}`, value: p.journeys })), formatCount, 'Journeys by number of touches')}
${table(['Touches', 'Journeys', 'Conversions', 'Conversion rate'], s.pathLength.map((p) => [p.touches, formatCount(p.journeys), formatCount(p.conversions), formatPercent(p.conversionRate)]))}
${days}</section>`;
}

function pathsSection(paths: PathRow[]): string {
  const inc = paths.some((p) => p.incremental !== undefined);
  return `<section><h2>Top converting paths</h2>
${inc ? '<p class="meta">With the incremental model: the conversions each path\'s touches caused, in all and per 1,000 journeys.</p>' : ''}
${table(['Path', 'Journeys', 'Conversions', 'Conversion rate', ...(inc ? ['Caused by the touches', 'Caused per 1,000 journeys'] : [])],
    paths.slice(0, 25).map((p) => [p.path, formatCount(p.journeys), formatCount(p.conversions), formatPercent(p.conversionRate), ...(inc ? [compactNumber(p.incremental ?? 0), compactNumber(1000 * (p.incrementalPerJourney ?? 0))] : [])]))}</section>`;
}

/** A cell colour on a white-to-blue ramp by share of the largest value, with ink that reads on it. */
function ramp(v: number, max: number): { bg: string; fg: string } {
  const t = max > 0 ? Math.min(1, Math.max(0, v / max)) : 0;
  const mix = (a: number, b: number) => Math.round(a + (b - a) * t);
  return { bg: `rgb(${mix(247, 8)},${mix(251, 48)},${mix(255, 107)})`, fg: t > 0.6 ? '#fff' : INK };
}

function segmentSection(s: SegmentAnalysis): string {
  const ranked = [...s.levels].sort((a, b) => a.rank - b.rank);
  let max = 0;
  for (const c of s.cells) if (c.exposedCustomers > 0) max = Math.max(max, 1000 * c.perExposed.estimate);
  const heat = `<div class="table-wrap"><table><thead><tr><th>${h(s.attribute)}</th>${s.channels.map((c) => `<th>${h(c)}</th>`).join('')}</tr></thead><tbody>${ranked.map((l) => `<tr><td>${h(l.segment)}</td>${s.channels.map((ch) => {
    const c = s.cells.find((x) => x.segment === l.segment && x.channel === ch);
    if (!c || c.exposedCustomers === 0) return '<td>not seen</td>';
    const { bg, fg } = ramp(1000 * c.perExposed.estimate, max);
    return `<td style="background:${bg};color:${fg}">${h(withInterval(c.perExposed, 1000))}</td>`;
  }).join('')}</tr>`).join('')}</tbody></table></div>`;
  return `<section><h2>Segments by ${h(s.attribute)}</h2>
<p class="meta">Conversions the touches caused in each segment, from the incremental model with an effect per channel for each segment (fitted on ${formatCount(s.journeysFitted)} of ${formatCount(s.journeys)} journeys; 90% intervals in brackets). Ranked by incremental conversions per customer.</p>
${s.notes.map((n) => `<p class="meta"><b>Note:</b> ${h(n)}</p>`).join('')}
${table(['Rank', s.attribute, 'Customers', 'Conversions', 'Caused by the touches', 'Per 1,000 customers'], ranked.map((l) => [String(l.rank), l.segment, formatCount(l.customers), formatCount(l.conversions), withInterval(l.incremental), withInterval(l.perCustomer, 1000)]))}
<h3>Per 1,000 exposed customers, segment by channel</h3>
<p class="meta">Where a cell's interval reaches 0 the data cannot tell its effect from none.</p>
${heat}</section>`;
}

export function renderTouchpointsReport(x: TouchpointsReportInput): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Touchpoints: ${h(x.data)}</title><style>${styles}</style></head>
<body><main>
<header class="top"><div class="brand">Marginal touchpoints report</div><h1>Journeys in ${h(x.data)}</h1>
<div class="meta">Scored ${h(x.createdAt)}${x.model ? `; calibrated to model ${h(x.model)}` : ''}; methods: ${h(x.summaries.map((s) => s.method).join(', '))}.</div></header>
${x.notes.map((n) => `<p class="meta"><b>Note:</b> ${h(n)}</p>`).join('')}
${creditSection(x)}
${shapeSection(x.shape)}
${pathsSection(x.topPaths)}
${x.segments ? segmentSection(x.segments) : ''}
</main></body></html>
`;
}
