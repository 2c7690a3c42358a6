/** Test fixture for the insights / report / plans commands: a fast fit of simulated data in a temporary workspace. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFit } from '../../src/app/fit.ts';
import { parseModelConfig } from '../../src/models/config.ts';
import { simulate } from '../../src/models/simulate/index.ts';
import { writeSimulation } from '../../src/app/writeSimulation.ts';

export interface FastFixture { dir: string; workspace: string; modelId: string; configPath: string; cleanup(): void }

export async function fastFitFixture(opts: { weeks?: number; channels?: number; geos?: number; seed?: number; holdout?: number } = {}): Promise<FastFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-plans-'));
  const sim = simulate({ weeks: opts.weeks ?? 104, channels: opts.channels ?? 3, geos: opts.geos ?? 0, seed: opts.seed ?? 2 });
  const files = writeSimulation(sim, dir);
  const raw = JSON.parse(readFileSync(files.config, 'utf8'));
  if (opts.holdout) raw.holdout = { periods: opts.holdout };
  raw.data.file = files.data;
  const config = parseModelConfig(raw);
  const workspace = join(dir, 'ws.duckdb');
  const { output } = await runFit(config, workspace, { fast: true, chains: 1, draws: 200 });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(files.config, JSON.stringify(raw));
  return { dir, workspace, modelId: output.modelId, configPath: files.config, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
