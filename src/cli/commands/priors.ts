import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { withWorkspace } from '../../data/index.ts';
import { badInput } from '../../errors.ts';
import { parseModelConfig } from '../../models/config.ts';
import { writeConfigBeside } from '../../app/writeConfig.ts';
import { curvePriorsOfModel } from '../../app/curvePriors.ts';
import { existingWorkspace, printJson } from '../program.ts';

/**
 * `marginal priors MODEL --for CONFIG --out FILE`: a model refresh (Robyn's `robyn_refresh`) — the
 * config with `priors.curves` from a fitted Bayesian model's posterior, so the next fit keeps each
 * channel's carry-over and saturation near the last one's unless the new data say otherwise. Curve
 * priors already in the config win. The written config is validated before it is written.
 */
export function register(program: Command): void {
  program
    .command('priors')
    .description("Write a config with curve priors (adstock decay, half-saturation, Hill shape) from a fitted Bayesian model's posterior: a model refresh")
    .argument('<model>', 'a stored Bayesian model id (see `marginal models`)')
    .requiredOption('--for <config>', 'the model config (JSON) to add the priors to')
    .requiredOption('--out <file>', 'where the config with the priors goes')
    .option('--widen <w>', 'prior sd = posterior sd × w; w ≥ 1 (2 keeps a quarter of the old fit\'s information, so overlapping periods do not count twice)', '2')
    .option('--json', 'print the priors written as JSON on stdout')
    .action(async (modelId: string, flags: { for: string; out: string; widen: string; json?: boolean }, cmd: Command) => {
      const widen = Number(flags.widen);
      let raw: Record<string, unknown> & { priors?: { curves?: Record<string, Record<string, unknown>> } };
      try {
        raw = JSON.parse(readFileSync(flags.for, 'utf8'));
      } catch (err) {
        throw badInput(`--for ${flags.for}: cannot read a JSON model config (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`);
      }
      const target = parseModelConfig(raw, flags.for);
      const { curves, skipped } = await withWorkspace(existingWorkspace(cmd.optsWithGlobals()), (ws) => curvePriorsOfModel(ws, modelId, target, widen));
      // The config's own curve priors win, parameter by parameter.
      const mine = raw.priors?.curves ?? {};
      const merged: Record<string, Record<string, unknown>> = Object.fromEntries(Object.entries(curves).map(([name, entry]) => [name, { ...entry }]));
      for (const [name, entry] of Object.entries(mine)) merged[name] = { ...(merged[name] ?? {}), ...entry };
      const out: Record<string, unknown> = { ...raw, priors: { ...(raw.priors ?? {}), curves: merged } };
      // Relative file paths are re-based onto the new config's folder; validated before it is written.
      writeConfigBeside(out, flags.for, flags.out);
      for (const s of skipped) process.stderr.write(`skipped ${s}\n`);
      // The result line goes to stdout, unless stdout carries the JSON.
      (flags.json ? process.stderr : process.stdout).write(`wrote ${flags.out} with curve priors from ${modelId} (posterior sd × ${widen}) for ${Object.keys(curves).join(', ') || 'no channel'}\n`);
      if (flags.json) printJson({ model: modelId, widen, curves: merged, skipped });
    });
}
