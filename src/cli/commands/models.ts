import type { Command } from 'commander';
import { withWorkspace } from '../../data/index.ts';
import { badInput } from '../../errors.ts';
import { listModelsWithStatus, modelWithStatus, type ModelRow } from '../../app/modelStatus.ts';
import { renameStoredModel } from '../../app/renameModel.ts';
import { deleteModel } from '../../app/deleteModel.ts';
import { duplicateModelConfig } from '../../app/duplicateModel.ts';
// The refit's modules (the models, the sampler) load only when a refit runs: listing models needs none.
import type { RefitRequest } from '../../app/refreshModel.ts';
import { writeConfigBeside } from '../../app/writeConfig.ts';
import { existingWorkspace, printJson } from '../program.ts';
import { samplingProgress } from '../progress.ts';
import { renderTable } from '../table.ts';
import { formatFit, int } from './fit.ts';
import { formatTimestamp } from '../../units.ts';

/**
 * `marginal models`: the stored models with the table version each was fitted on and whether it is
 * stale; `models show|rename|delete|duplicate|refit|refresh ID` for one of them. `marginal refresh ID`
 * is `models refresh ID`. Results on stdout, warnings and notes on stderr.
 */
export function register(program: Command): void {
  const models = program
    .command('models')
    .description('List the fitted models (fitted on which table version, stale or not); `models show|rename|delete|duplicate|refit|refresh ID` for one')
    .option('--json', 'print as JSON')
    .action(async (flags: { json?: boolean }, cmd: Command) => {
      const list = await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), (ws) => listModelsWithStatus(ws));
      if (flags.json) { printJson(list); return; }
      if (!list.length) { process.stdout.write('no models yet: run `marginal fit CONFIG.json`\n'); return; }
      process.stdout.write(`${modelTable(list).join('\n')}\n`);
      for (const m of list) if (m.stale && !m.stale.supersededBy) process.stderr.write(`stale: ${m.id}: ${m.stale.reason}; \`marginal refresh ${m.id}\` fits it on the current version\n`);
    });

  models
    .command('show')
    .description('One model: what it was fitted on, whether it is stale, its fit and the plans that depend on it')
    .argument('<id>', 'model id')
    .option('--json', 'print as JSON (config, fit output, stale, plans)')
    .action(async (id: string, flags: { json?: boolean }, cmd: Command) => {
      const m = await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), (ws) => modelWithStatus(ws, id));
      if (flags.json || cmd.optsWithGlobals<{ json?: boolean }>().json) { printJson(m); return; }
      process.stdout.write(`${describeModel(m).join('\n')}\n`);
    });

  models
    .command('rename')
    .description('Give a model another display name (its id stays, so plans and links keep working)')
    .argument('<id>', 'model id')
    .argument('<name>', 'the new name (1–80 characters)')
    .action(async (id: string, name: string, _flags: unknown, cmd: Command) => {
      const r = await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), (ws) => renameStoredModel(ws, id, name));
      process.stdout.write(`renamed model '${id}' from '${r.previous}' to '${r.name}'\n`);
    });

  models
    .command('delete')
    .description('Delete a model; refused while saved plans depend on it (they are listed) unless --force')
    .argument('<id>', 'model id')
    .option('--force', 'delete it even though plans depend on it (the plans keep their saved results)')
    .action(async (id: string, flags: { force?: boolean }, cmd: Command) => {
      const r = await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), (ws) => deleteModel(ws, id, { force: flags.force }));
      if (r.plans.length) process.stderr.write(`warning: plan${r.plans.length === 1 ? '' : 's'} ${r.plans.map((p) => p.id).join(', ')} keep their saved results but can no longer be tracked or re-optimized\n`);
      process.stdout.write(`deleted model '${id}'\n`);
    });

  models
    .command('duplicate')
    .description("Write a copy of a model's config under a new name (on the current version of its table), to edit and fit")
    .argument('<id>', 'model id')
    .requiredOption('--out <file>', 'where the config goes (JSON)')
    .option('--name <name>', 'the copy\'s name (default: <name>-copy)')
    .action(async (id: string, flags: { out: string; name?: string }, cmd: Command) => {
      const d = await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), (ws) => duplicateModelConfig(ws, id, flags.name));
      // The config is validated again before it is written.
      writeConfigBeside(JSON.parse(JSON.stringify(d.config)) as Record<string, unknown>, flags.out, flags.out);
      process.stdout.write(`wrote ${flags.out}: model ${id}'s config named '${d.name}'; fit it with \`marginal fit ${flags.out}\`\n`);
    });

  refitCommand(models.command('refit'), 'refit', 'Fit a model again: the same config on the same data (the table version it was fitted on)');
  refitCommand(models.command('refresh'), 'refresh', 'Fit a model again on the current version of its table (a stale model\'s one action)');
}

/** `refit` / `refresh` (under `models`, and `marginal refresh` at the top). */
export function refitCommand(cmd: Command, mode: RefitRequest['mode'], description: string): Command {
  cmd.description(description)
    .argument('<id>', 'model id')
    .option('--json', 'print the new fit output as JSON')
    .option('--fast', 'MAP + Laplace approximation (default: as the model was fitted)')
    .option('--chains <n>', 'number of chains (default: config)')
    .option('--draws <n>', 'draws per chain (default: config)')
    .option('--warmup <n>', 'warm-up iterations per chain (default: config)')
    .option('--seed <n>', 'random seed (default: config)');
  if (mode === 'refresh') {
    cmd.option('--with-priors', "keep what was learned: curve priors (decay, half-saturation, shape) from the model's posterior, as `marginal priors` writes them (Bayesian models)")
      .option('--widen <w>', 'with --with-priors: prior sd = posterior sd × w', '2');
  }
  return cmd.action(async (id: string, flags: { json?: boolean; fast?: boolean; chains?: string; draws?: string; warmup?: string; seed?: string; withPriors?: boolean; widen?: string }, c: Command) => {
    const widen = flags.widen === undefined ? undefined : Number(flags.widen);
    if (widen !== undefined && !(widen >= 1)) throw badInput(`--widen must be a number >= 1; got '${flags.widen}'`);
    const chains = int('--chains', flags.chains, 1);
    const progress = samplingProgress(chains ?? 4);
    let out;
    try {
      const { refitModel } = await import('../../app/refreshModel.ts');
      out = await refitModel(existingWorkspace(c.optsWithGlobals()), id, { mode, withPriors: flags.withPriors, widen }, {
        ...(flags.fast ? { fast: true } : {}), chains, draws: int('--draws', flags.draws, 10), warmup: int('--warmup', flags.warmup, 10), seed: int('--seed', flags.seed, 0),
        onProgress: progress.onProgress,
      });
    } finally {
      progress.stop();
    }
    for (const n of out.plan.notes) process.stderr.write(`${mode}: ${n}\n`);
    for (const w of out.output.warnings) process.stderr.write(`WARNING: ${w}\n`);
    if (flags.json || c.optsWithGlobals<{ json?: boolean }>().json) printJson(out.output);
    else process.stdout.write(`${mode === 'refresh' ? 'refreshed' : 'refitted'} ${id} as ${out.output.modelId}\n${formatFit(out.output)}`);
  });
}

/** The model list as a table: what each was fitted on and whether it is stale. */
export function modelTable(list: readonly ModelRow[]): string[] {
  return renderTable(
    [{ header: 'model' }, { header: 'name' }, { header: 'family' }, { header: 'health' }, { header: 'R²', align: 'right' }, { header: 'fitted on' }, { header: 'fitted' }, { header: 'plans', align: 'right' }, { header: 'data' }],
    list.map((m) => [
      m.id, m.name, m.family, m.status === 'ok' ? 'healthy' : m.status === 'approximate' ? 'approximate' : `${m.warnings} warning${m.warnings === 1 ? '' : 's'}`,
      m.r2 === null ? '-' : m.r2.toFixed(3), m.table === null ? 'a file' : `${m.table} v${m.version}`, formatTimestamp(m.createdAt), String(m.plans.length),
      m.stale ? (m.stale.supersededBy ? `stale, refreshed as ${m.stale.supersededBy}` : 'STALE') : 'current',
    ]),
  );
}

/** One model in lines: what it was fitted on, stale or not, the plans on it. */
export function describeModel(m: Awaited<ReturnType<typeof modelWithStatus>>): string[] {
  const config = m.config as { data: { harmonized?: string; version?: number; file?: string }; target: { column: string } };
  const out = m.output as { approximate?: boolean; fit?: { r2?: number }; warnings?: string[] };
  return [
    `model ${m.id} (${m.family}${out.approximate ? ', approximate' : ''})`,
    `  name       ${m.name}`,
    `  target     ${config.target.column}`,
    `  fitted on  ${config.data.harmonized ? `harmonized '${config.data.harmonized}' version ${config.data.version ?? 1}` : `file ${config.data.file}`}, ${formatTimestamp(m.createdAt)}`,
    ...(m.refreshedFrom ? [`  from       ${m.refreshedFrom}`] : []),
    `  data       ${m.stale ? `STALE: ${m.stale.reason}${m.stale.supersededBy ? '' : `; \`marginal refresh ${m.id}\` fits it on the current version`}` : 'current'}`,
    `  fit        R² ${out.fit?.r2 === undefined ? '-' : out.fit.r2.toFixed(3)}, ${out.warnings?.length ?? 0} warning${out.warnings?.length === 1 ? '' : 's'}`,
    `  plans      ${m.plans.length ? m.plans.map((p) => p.id).join(', ') : 'none'}`,
  ];
}
