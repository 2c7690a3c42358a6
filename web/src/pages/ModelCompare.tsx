/** Stored models side by side (GET /api/models/compare): fit and holdout metrics, and each channel's ROI per model. */
import { useMemo, useState } from 'react';
import { api, type Schema } from '../api.ts';
import { Chart, PALETTE } from '../chart.tsx';
import { formatInterval, formatValue, num, pct } from '../format.ts';
import { ErrorBox, Table } from '../ui.tsx';
import { WhyNot } from '../form.tsx';

type ModelComparison = Schema<'ModelComparison'>;

export function ModelCompare({ chosen }: { chosen: string[] }) {
  const [cmp, setCmp] = useState<ModelComparison | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async () => {
    setError(null);
    try { setCmp(await api<ModelComparison>(`/api/models/compare?ids=${chosen.map(encodeURIComponent).join(',')}`)); } catch (e) { setError(e); }
  };
  const chart = useMemo(() => cmp && {
    tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatValue(v, 'revenue-per-spend') }, legend: { bottom: 0, type: 'scroll' }, grid: { left: 50, right: 20, top: 20, bottom: 50 },
    xAxis: { type: 'category', data: cmp.channels.map((c) => c.name) }, yAxis: { type: 'value', name: 'ROI' },
    series: cmp.models.map((m, i) => ({ type: 'bar', name: m.id, color: PALETTE[i % PALETTE.length], data: cmp.channels.map((c) => c.models[m.id]?.roi ?? null) })),
  }, [cmp]);
  return (
    <>
      <button onClick={() => void run()} disabled={chosen.length < 2}>Compare selected ({chosen.length})</button>
      <WhyNot action="compare" reasons={chosen.length < 2 ? [`tick ${chosen.length ? 'one more model' : 'two or more models'} in the list above`] : []} />
      <ErrorBox error={error} />
      {cmp && chart && (
        <div data-testid="model-comparison">
          <h3>Side by side</h3>
          <Table testId="model-comparison-fit" rows={cmp.models as unknown as Record<string, unknown>[]} columns={[
            { key: 'id', label: 'Model' }, { key: 'family', label: 'Family', format: (v, r) => (r.approximate ? `${String(v)} (approximate)` : String(v)) },
            { key: 'r2', label: 'R²', format: (v) => num(v as number, 3) }, { key: 'mape', label: 'MAPE', format: (v) => pct(v as number) },
            { key: 'holdout', label: 'Holdout MAPE', format: (v) => (v ? pct((v as { mape: number }).mape) : '–') },
            { key: 'currency', label: 'Currency', format: (v) => (typeof v === 'string' ? v : 'not given') },
            { key: 'warnings', label: 'Warnings' },
          ]} />
          <Chart label="ROI per channel in each model" testId="chart-model-compare" option={chart} />
          <Table testId="model-comparison-roi" rows={cmp.channels.map((c) => ({ channel: c.name, ...Object.fromEntries(cmp.models.map((m) => [m.id, c.models[m.id]])) }))} columns={[
            { key: 'channel', label: 'Channel' },
            ...cmp.models.map((m) => ({
              key: m.id, label: `${m.roiUnit === 'conversions-per-spend' ? `Conversions per ${m.currency ?? 'unit'} of spend` : 'ROI'} · ${m.id}`,
              format: (v: unknown) => {
                const x = v as ModelComparison['channels'][number]['models'][string];
                const u = m.roiUnit ?? 'revenue-per-spend';
                return x ? <>{formatValue(x.roi, u)} <span className="muted">{formatInterval(x.roiInterval, u)}</span></> : '–';
              },
            })),
            ...cmp.models.map((m) => ({
              key: `${m.id}:mroi`, label: `Marginal ${m.roiUnit === 'conversions-per-spend' ? 'conv. per unit' : 'ROI'} · ${m.id}`,
              format: (_: unknown, r: Record<string, unknown>) => {
                const x = r[m.id] as ModelComparison['channels'][number]['models'][string];
                const u = m.roiUnit ?? 'revenue-per-spend';
                return x ? <>{formatValue(x.mroi, u)} <span className="muted">{formatInterval(x.mroiInterval, u)}</span></> : '–';
              },
            })),
          ]} />
          <p className="muted">Bayesian intervals are 90% credible intervals; ridge, linear and tree models' are 90% bootstrap intervals.</p>
        </div>
      )}
    </>
  );
}
