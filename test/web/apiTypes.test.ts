/**
 * web/src/api-types.ts is what `npm run gen:api` makes from the server's OpenAPI document today: a
 * route or schema changed without regenerating it fails here, so the web cannot drift from the server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
// @ts-expect-error: a plain-JavaScript script without type declarations
import { OUT, apiTypes } from '../../scripts/gen-api-types.mjs';

test('the committed web API types are the ones the server\'s OpenAPI document gives now', async () => {
  const now = await apiTypes();
  assert.ok(readFileSync(OUT, 'utf8') === now, 'web/src/api-types.ts is out of date: run `npm run gen:api` and commit it');
});
