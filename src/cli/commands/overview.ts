import type { Command } from 'commander';
import { withWorkspace } from '../../data/index.ts';
import { addHealth, collectOverview, type Overview } from '../../app/overview.ts';
import { modelInsights } from '../../app/insights.ts';
import { formatCount, formatInterval, formatValue, roiName } from '../../units.ts';
import { existingWorkspace, printJson } from '../program.ts';
import { renderTable } from '../table.ts';

/** `marginal overview`: the workspace at a glance, as the web's Overview page (GET /api/overview). */
export function register(program: Command): void {
  program
    .command('overview')
    .description("The workspace at a glance: per KPI the latest model, its health in one line and each channel's ROI with its 90% interval; data freshness; stale models; plans; open warnings")
    .option('--json', 'print as JSON (the API\'s GET /api/overview)')
    .action(async (flags: { json?: boolean }, cmd: Command) => {
      const workspace = existingWorkspace(cmd.optsWithGlobals());
      const o = await addHealth(await withWorkspace(workspace, (ws) => collectOverview(ws)), async (id) => (await modelInsights(workspace, id)).health);
      if (flags.json) printJson(o);
      else process.stdout.write(`${formatOverview(o).join('\n')}\n`);
    });
}

export function formatOverview(o: Overview): string[] {
  if (o.empty || o.next?.step === 'upload') return ['Nothing in this workspace yet.', o.next?.text.replace('on the Data page', 'with `marginal ingest FILE --kind mixed` (each column given a role) or --kind summary|conversions|factors') ?? ''];
  const lines: string[] = [];
  if (o.next) lines.push(o.next.text.replace('on the Data page: harmonize', 'harmonize (`marginal harmonize --grain week --name ID`)').replace('on the Models page: train', 'fit (`marginal fit CONFIG.json`)'), '');
  for (const k of o.kpis) {
    const cur = k.units?.currency ?? null;
    const roi = k.units?.roi ?? (k.kind === 'conversions' ? 'conversions-per-spend' : 'revenue-per-spend');
    lines.push(`${k.kpi} (${k.kind}): model ${k.model.id}${k.model.name !== k.model.id.replace(/-\d+$/, '') ? ` "${k.model.name}"` : ''} (${k.model.family}${k.model.approximate ? ', approximate' : ''}), fitted ${k.model.createdAt.slice(0, 10)} on ${k.model.table ? `${k.model.table} v${k.model.version}` : 'a file'}`);
    lines.push(`  health: ${k.health.line}`);
    if (k.stale) lines.push(`  STALE: ${k.stale.reason}${k.stale.supersededBy ? '' : `; \`marginal refresh ${k.model.id}\``}`);
    lines.push(...renderTable(
      [{ header: 'channel' }, { header: 'spend', align: 'right' }, { header: k.units ? roiName(k.units) : 'ROI', align: 'right' }, { header: '[90%]' }],
      k.channels.map((c) => [c.name, formatValue(c.spend, 'currency', cur), formatValue(c.roi, roi, cur), formatInterval(c.roiInterval ?? undefined, roi, cur)]),
      '  ',
    ));
    if (k.otherModels.length) lines.push(`  older models: ${k.otherModels.join(', ')}`);
    lines.push('');
  }
  lines.push('data');
  const data = [
    ...o.datasets.map((d) => [`dataset ${d.id}`, d.kind, d.from ?? '-', d.to ?? '-', formatCount(d.rows), '']),
    ...o.tables.map((t) => [`table ${t.id}`, `${t.grain}ly`, t.from, t.to, formatCount(t.rows), `version ${t.version}${t.versions > 1 ? ` of ${t.versions}` : ''}, ${t.createdAt.slice(0, 10)}`]),
  ];
  lines.push(...renderTable([{ header: 'what' }, { header: 'kind' }, { header: 'from' }, { header: 'last date' }, { header: 'rows', align: 'right' }, { header: 'version' }], data, '  '), '');
  if (o.stale.length) lines.push('stale models', ...o.stale.map((s) => `  ${s.id}: ${s.reason}; \`marginal refresh ${s.id}\``), '');
  if (o.plans.length) {
    lines.push('plans', ...renderTable([{ header: 'plan' }, { header: 'name' }, { header: 'model' }, { header: 'budget', align: 'right' }, { header: 'status' }],
      o.plans.map((p) => [p.id, p.name, p.models.join('+'), formatValue(p.budget, 'currency', p.currency), p.status === 'current' ? 'current' : `${p.status}: ${p.note}`]), '  '), '');
  }
  if (o.warnings.length) lines.push(`warnings (${o.warnings.length})`, ...o.warnings.map((w) => `  ${w.source}: ${w.level === 'problem' ? 'PROBLEM ' : ''}${w.text}`));
  return lines;
}
