/**
 * The CLI's side of the no-code workspace: one wide file ingested by role (`--role` implies
 * `--kind mixed`), `harmonize --dry-run` printing the table it would write and storing nothing,
 * `--columns` and `--overlap`, and refusals worded as the web's with the flag added.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = join(import.meta.dirname, '../../bin/marginal');

test('ingest by role, harmonize --dry-run (nothing stored), --columns, --overlap, refusals with their flag', () => {
  const dir = mkdtempSync(join(tmpdir(), 'marginal-cli-data-'));
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, '--workspace', join(dir, 'ws.duckdb'), ...args], { encoding: 'utf8', cwd: dir });
  try {
    // `orders_total` is not an outcome name: without --role it would be a factor.
    writeFileSync(join(dir, 'wide.csv'), 'date,tv_spend,search_spend,orders_total,temp\n2024-01-01,10,1,5,3\n2024-01-08,20,2,6,4\n2024-01-15,30,3,7,5\n');
    writeFileSync(join(dir, 'more.csv'), 'date,tv_spend\n2024-01-15,300\n2024-01-22,400\n');
    const ing = run('ingest', 'wide.csv', '--role', 'orders_total=outcome', '--name', 'shop');
    assert.equal(ing.status, 0, ing.stderr);
    assert.match(ing.stdout, /^ingested wide\.csv as 'shop' \(summary, wide\): 3 rows, 6 values stored\ningested wide\.csv as 'shop-outcome' \(conversions, wide\): 3 rows, 3 values stored\ningested wide\.csv as 'shop-factors' \(factors, wide\): 3 rows, 3 values stored\nroles: date date; media tv_spend, search_spend; outcome orders_total; factor temp\n$/);
    assert.equal(run('ingest', 'more.csv', '--kind', 'summary', '--name', 'more').status, 0);

    const dry = run('harmonize', '--grain', 'week', '--name', 'w', '--datasets', 'more,shop,shop-outcome', '--columns', 'shop:tv_spend', '--overlap', 'priority', '--dry-run', '--rows', '2');
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /^preview of 'w' \(nothing stored\): 4 rows \(weekly, 2024-01-01 … 2024-01-22, national\)\n/);
    assert.match(dry.stdout, /\norders_total +outcome +shop-outcome\ntv_spend +media +more, shop\n/);
    assert.match(dry.stdout, /first 2 rows:\ndate +orders_total +tv_spend\n2024-01-01 +5 +10\n2024-01-08 +6 +20\n$/);
    assert.match(dry.stderr, /warning: tv_spend: 1 period had values from 'more' and 'shop'; 'more' was kept \(first in the order given\)/);
    assert.doesNotMatch(run('datasets').stdout, /\bw\b/, 'the dry run stored no table');
    const json = JSON.parse(run('harmonize', '--grain', 'week', '--name', 'w', '--datasets', 'shop,more', '--overlap', 'sum', '--dry-run', '--json').stdout);
    assert.deepEqual(json.sample.map((r: { tv_spend: number }) => r.tv_spend), [10, 20, 330, 400]);

    const clash = run('harmonize', '--grain', 'week', '--name', 'w', '--datasets', 'shop,more');
    assert.equal(clash.status, 2);
    assert.equal(clash.stderr, "error: column 'tv_spend' has values from both 'shop' and 'more' for the same periods; choose how to combine them: add them up (sum), or take the first dataset's value in the order given (priority); or leave the column out of all but one dataset (--overlap sum or --overlap priority)\n");
    assert.equal(run('harmonize', '--grain', 'week', '--name', 'w', '--datasets', 'shop', '--columns', 'shop:radio_spend').stderr,
      "error: dataset 'shop' has no column 'radio_spend'; its columns: search_spend, tv_spend (--datasets, --columns)\n");
    assert.equal(run('harmonize', '--grain', 'week', '--name', 'shop').stderr, "error: the name 'shop' is taken by a dataset; choose another name for the table (--name; --replace replaces an existing harmonized table)\n");
    assert.match(run('ingest', 'wide.csv', '--role', 'temp=media', '--name', 'x').stderr, /^error: column 'temp' is media, but its name does not say the channel and the measure: .* \(--role COLUMN=ROLE\)\n$/);
    assert.match(run('ingest', 'wide.csv', '--kind', 'summary', '--role', 'temp=factor').stderr, /^error: --role gives columns roles in a mixed file; use it with --kind mixed/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});
