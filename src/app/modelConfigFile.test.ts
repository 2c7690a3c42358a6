import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModelConfig } from './modelConfigFile.ts';

const minimal = { data: { file: 'x.csv' }, target: { column: 'y' }, channels: [{ name: 'tv', spend: 'tv_spend' }] };

test('readModelConfig resolves data.file against the config folder and reports bad JSON with the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
  writeFileSync(join(dir, 'm.json'), JSON.stringify({ ...minimal, data: { file: 'd/x.csv' } }));
  assert.equal(readModelConfig(join(dir, 'm.json')).data.file, join(dir, 'd/x.csv'));
  writeFileSync(join(dir, 'bad.json'), '{ "data": ');
  assert.throws(() => readModelConfig(join(dir, 'bad.json')), (e: Error) => e.message.includes('bad.json') && e.message.includes('not valid JSON'));
});
