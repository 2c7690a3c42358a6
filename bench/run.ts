/**
 * `npm run bench [-- NAME ...]`: runs the named benchmarks (all when none is named). Each benchmark is
 * `bench/NAME.ts` exporting `run(): Promise<object>`; its result is written to `bench/results/NAME.json`.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts')).map((f) => f.slice(0, -3));
const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const chosen = names.length ? names : available;
mkdirSync(join(here, 'results'), { recursive: true });
for (const name of chosen) {
  if (!existsSync(join(here, `${name}.ts`))) {
    console.error(`unknown benchmark '${name}'; available: ${available.join(', ')}`);
    process.exit(2);
  }
  console.error(`bench ${name} …`);
  const mod = (await import(`./${name}.ts`)) as { run: () => Promise<object> };
  const result = { name, date: new Date().toISOString(), node: process.version, ...(await mod.run()) };
  const out = join(here, 'results', `${name}.json`);
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.error(`wrote ${out}`);
}
