/**
 * Segments on the Touchpoints page: which customers the marketing moves. The segment model's
 * incremental conversions per segment (ranked per customer) and per segment × channel (a heat-map
 * per 1,000 exposed customers), each with its 90% interval; and every customer of a chosen segment
 * as an audience file to seed lookalikes.
 */
import { useState } from 'react';
import { download, type Schema } from '../../api.ts';
import { Chart } from '../../chart.tsx';
import { segmentHeatmap } from '../../../../src/charts/index.ts';
import { compactNumber, interval, num } from '../../format.ts';
import { Table } from '../../ui.tsx';

type Analysis = Schema<'SegmentAnalysis'>;

export function SegmentsView({ s, data }: { s: Analysis; data: string }) {
  const ranked = [...s.levels].sort((a, b) => a.rank - b.rank);
  const per = (e: { estimate: number; lower: number; upper: number }) => `${compactNumber(1000 * e.estimate)} ${interval(1000 * e.lower, 1000 * e.upper, compactNumber)}`;
  const option = segmentHeatmap({
    segments: ranked.map((l) => l.segment), channels: s.channels, format: compactNumber,
    cell: (segment, channel) => {
      const c = s.cells.find((x) => x.segment === segment && x.channel === channel);
      return c && c.exposedCustomers > 0 ? { ...c.perExposed, exposed: c.exposedCustomers } : null;
    },
  });
  return (
    <section className="card" data-testid="segments">
      <h2>Segments by {s.attribute}</h2>
      <p className="muted">
        Conversions the touches caused in each segment, from the incremental model with an effect per channel for each segment
        (fitted on {num(s.journeysFitted, 0)} of {num(s.journeys, 0)} journeys; 90% intervals from {s.draws} draws). Ranked by incremental conversions per customer.
      </p>
      {s.notes.map((n) => <p key={n} className="warn" role="note">{n}</p>)}
      <Table testId="segment-ranking" rows={ranked as unknown as Record<string, unknown>[]} columns={[
        { key: 'rank', label: 'Rank' }, { key: 'segment', label: s.attribute },
        { key: 'customers', label: 'Customers', format: (v) => num(v as number, 0) },
        { key: 'conversions', label: 'Conversions', format: (v) => num(v as number, 0) },
        { key: 'incremental', label: 'Caused by the touches (90% interval)', format: (v) => { const e = v as Analysis['levels'][number]['incremental']; return `${compactNumber(e.estimate)} ${interval(e.lower, e.upper, compactNumber)}`; } },
        { key: 'perCustomer', label: 'Per 1,000 customers (90% interval)', format: (v) => per(v as Analysis['levels'][number]['perCustomer']) },
      ]} />
      <h3>Per 1,000 exposed customers, segment by channel</h3>
      <p className="muted">Each cell: incremental conversions per 1,000 customers of the segment who saw the channel, with its 90% interval below; where the interval reaches 0 the data cannot tell the effect from none.</p>
      <Chart label={`Incremental conversions per 1,000 exposed customers by ${s.attribute} and channel`} testId="chart-segment-heatmap" height={Math.max(200, 60 + 56 * ranked.length)} option={option} />
      <SegmentAudience s={s} data={data} />
    </section>
  );
}

/** Every customer of one segment, as ids or SHA-256 hashes, for an ad platform's lookalike seed. */
function SegmentAudience({ s, data }: { s: Analysis; data: string }) {
  const levels = [...s.levels].sort((a, b) => a.rank - b.rank).filter((l) => l.segment !== '(not given)');
  const [value, setValue] = useState(levels[0]?.segment ?? '');
  const [hash, setHash] = useState(true);
  if (!levels.length) return null;
  const n = levels.find((l) => l.segment === value)?.customers ?? 0;
  const q = new URLSearchParams({ attribute: s.attribute, value, ...(hash ? { hash: 'sha256' } : {}) });
  return (
    <fieldset className="row" data-testid="segment-audience"><legend>Audience of a segment</legend>
      <label>Customers with {s.attribute} <select name="segment-audience" value={value} onChange={(e) => setValue(e.target.value)}>{levels.map((l) => <option key={l.segment}>{l.segment}</option>)}</select></label>
      <label><input type="checkbox" name="segment-audience-hash" checked={hash} onChange={(e) => setHash(e.target.checked)} /> SHA-256-hashed ids</label>
      <button className="secondary" onClick={() => void download(`/api/datasets/${encodeURIComponent(data)}/audience?${q}`, `audience-${s.attribute}-${value}.csv`)}>Export segment audience (CSV)</button>
      <span className="muted">{num(n, 0)} customers.</span>
    </fieldset>
  );
}
