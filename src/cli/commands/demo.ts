import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { harmonize, ingestFile, withWorkspace } from '../../data/index.ts';
import { parseModelConfig } from '../../models/config.ts';
import { simulate } from '../../models/simulate/index.ts';
import { writeSimulation } from '../../app/writeSimulation.ts';
import type { ReportScripts } from '../../analysis/index.ts';
import { runFit } from '../../app/fit.ts';
import { samplingProgress } from '../progress.ts';
import { predictiveCoverageLine } from './fit.ts';
import { formatPercent } from '../../units.ts';

/**
 * `npm start`: the main job on bundled demo data — simulate three years of weekly data with a known
 * truth, ingest it as an analyst would receive it (media, sales and price files), harmonize, fit the
 * Bayesian MMM, write the HTML report, and compare the estimates with the truth.
 */
export function register(program: Command): void {
  program
    .command('demo')
    .description('Run the whole job on simulated demo data (what `npm start` does)')
    .option('--out <dir>', 'output folder', 'out/demo')
    .option('--fast', 'Laplace approximation instead of NUTS (seconds)')
    .action(async (flags: { out: string; fast?: boolean }) => {
      const out = resolve(flags.out);
      const say = (s: string) => process.stderr.write(`${s}\n`);
      mkdirSync(out, { recursive: true });
      const sim = simulate({ weeks: 156, channels: 5, seed: 1 });
      const files = writeSimulation(sim, join(out, 'data'));
      say(`1/5 simulated 156 weeks × 5 channels with a known truth → ${files.data}`);

      const workspace = join(out, 'marginal.duckdb');
      for (const f of [workspace, `${workspace}.wal`]) if (existsSync(f)) rmSync(f);
      await withWorkspace(workspace, async (ws) => {
        // The simulated shop sells in US dollars, so every surface shows its amounts as money.
        await ingestFile(ws, files.media, { kind: 'summary', name: 'media', currency: 'USD' });
        await ingestFile(ws, files.sales, { kind: 'conversions', name: 'sales', currency: 'USD' });
        await ingestFile(ws, files.factors, { kind: 'factors', name: 'factors' });
        await harmonize(ws, { name: 'demo', grain: 'week' });
      });
      say(`2/5 ingested media.csv, sales.csv, factors.csv and harmonized them weekly → ${workspace} (table 'demo')`);

      const config = parseModelConfig({
        name: 'demo',
        data: { harmonized: 'demo' },
        target: { column: 'revenue', kind: 'revenue' },
        channels: sim.truth.channels.map((c) => ({ name: c.name, spend: `${c.name}_spend` })),
        controls: [{ column: 'price', sign: 'negative' }],
        holdout: { periods: 8 },
        inference: { chains: 4, warmup: 500, draws: 500, seed: 1 },
      });
      writeFileSync(join(out, 'model.json'), `${JSON.stringify(config, null, 2)}\n`);
      say(`3/5 fitting the Bayesian MMM (${flags.fast ? 'Laplace approximation' : '4 chains × 500 warm-up × 500 draws, NUTS'}) …`);
      const progress = samplingProgress(config.inference.chains);
      let fit;
      try {
        fit = await runFit(config, workspace, { fast: flags.fast, onProgress: progress.onProgress });
      } finally {
        progress.stop();
      }
      const { output, result } = fit;
      writeFileSync(join(out, 'fit.json'), `${JSON.stringify(output, null, 2)}\n`);
      say(`    model ${output.modelId}: R² ${output.fit.r2.toFixed(3)}, holdout MAPE ${output.fit.holdout ? formatPercent(output.fit.holdout.mape) : '-'}, ${'rhatMax' in output.diagnostics && !output.approximate ? `R-hat max ${output.diagnostics.rhatMax.toFixed(3)}, ${output.diagnostics.divergences} divergences, ` : ''}${output.diagnostics.seconds.toFixed(1)} s`);
      const cover = 'predictiveCoverage' in output.fit ? output.fit.predictiveCoverage : undefined;
      if (cover) say(`    ${predictiveCoverageLine(cover)}`);
      for (const w of output.warnings) say(`    WARNING: ${w}`);

      let reportPath: string | null = null;
      try {
        const { renderReport } = await import('../../analysis/index.ts') as { renderReport?: (input: unknown, scripts: ReportScripts) => string };
        const { reportScripts } = await import('../../app/reportScripts.ts');
        if (renderReport) {
          reportPath = join(out, 'report.html');
          writeFileSync(reportPath, renderReport({ modelId: output.modelId, name: 'demo', createdAt: new Date().toISOString(), target: { column: 'revenue', kind: 'revenue' }, result }, reportScripts()));
        }
      } catch {
        reportPath = null;
      }
      say(`4/5 report: ${reportPath ?? '(the HTML report is not part of this build)'}`);

      const rows = output.channels.map((c, i) => {
        const t = sim.truth.channels[i];
        const inside = t.roi >= c.roiInterval[0] && t.roi <= c.roiInterval[1];
        return `${c.name.padEnd(8)} ROI ${c.roi.toFixed(2)} [${c.roiInterval[0].toFixed(2)}, ${c.roiInterval[1].toFixed(2)}]  truth ${t.roi.toFixed(2)} ${inside ? '✓ inside' : '✗ outside'}   marginal ROI ${c.mroi.toFixed(2)}  truth ${t.mroi.toFixed(2)}`;
      });
      say('5/5 estimates vs. the truth the data were simulated from:');
      process.stdout.write(`${rows.join('\n')}\n\nresults in ${out}: data/, marginal.duckdb, model.json, fit.json${reportPath ? ', report.html' : ''}\n`);
    });
}
