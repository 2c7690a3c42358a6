/**
 * Reading a model config from its JSON file. The file's folder is where its relative paths start, so
 * `data.file` and `holidays.file` come back resolved against it. Here rather than beside the config's
 * schema (src/models/config.ts) because the models do no I/O.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { badFile } from '../errors.ts';
import { parseModelConfig, type ModelConfig } from '../models/config.ts';

/** Reads and validates a config file; resolves a relative `data.file` and `holidays.file` against the config's folder. */
export function readModelConfig(path: string): ModelConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw badFile({ file: path, message: `cannot read config: ${(err as Error).message}` });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw badFile({ file: path, message: `not valid JSON: ${(err as Error).message}` });
  }
  const config = parseModelConfig(raw, path);
  if (config.data.file) config.data.file = resolve(dirname(path), config.data.file);
  if (config.holidays?.file) config.holidays.file = resolve(dirname(path), config.holidays.file);
  return config;
}

