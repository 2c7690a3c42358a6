/**
 * Writing a model config derived from another one (`marginal priors --for/--out`, `marginal
 * touchpoints --priors-for/--priors-out`). A config's relative file paths (`data.file`,
 * `holidays.file`) are relative to the config's own folder (readModelConfig), so a config written
 * into another folder must carry them re-based onto its new folder, or it points nowhere.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { badFile } from '../errors.ts';
import { parseModelConfig } from '../models/config.ts';

/** The config with its relative `data.file` and `holidays.file` re-based from `fromPath`'s folder onto `toPath`'s; everything else as it was. */
export function rebaseConfigPaths<T extends Record<string, unknown>>(raw: T, fromPath: string, toPath: string): T {
  const rebase = (file: unknown) => (typeof file === 'string' && file !== '' && !isAbsolute(file)
    ? relative(dirname(resolve(toPath)), resolve(dirname(fromPath), file))
    : file);
  const out: Record<string, unknown> = { ...raw };
  for (const key of ['data', 'holidays'] as const) {
    const section = raw[key];
    if (section && typeof section === 'object' && 'file' in section) out[key] = { ...section, file: rebase((section as { file: unknown }).file) };
  }
  return out as T;
}

/**
 * Writes `raw` (a config read from `fromPath`, with changes) to `toPath`: relative file paths
 * re-based onto `toPath`'s folder, validated first (nothing is written if it does not validate),
 * the folder created if need be. Returns what was written.
 */
export function writeConfigBeside<T extends Record<string, unknown>>(raw: T, fromPath: string, toPath: string): T {
  const out = rebaseConfigPaths(raw, fromPath, toPath);
  parseModelConfig(out, toPath);
  try {
    mkdirSync(dirname(resolve(toPath)), { recursive: true });
    writeFileSync(toPath, `${JSON.stringify(out, null, 2)}\n`);
  } catch (err) {
    throw badFile({ file: toPath, message: `cannot write the config: ${(err as Error).message.split('\n')[0]}` });
  }
  return out;
}
