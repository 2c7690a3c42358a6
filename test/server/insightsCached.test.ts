/**
 * A model's insights are sent from a ready copy: gzipped for a client that accepts it (the same JSON
 * once decoded), plain otherwise, and 304 with no body for a client whose entity tag is current.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { fastFitFixture } from '../support/fastFit.ts';
import { testApp } from './helpers.ts';

test('insights: gzip when accepted, plain otherwise, 304 for a current entity tag', async () => {
  const f = await fastFitFixture({ weeks: 52, channels: 2 });
  const { app } = await testApp(f.workspace);
  try {
    const url = `/api/models/${f.modelId}/insights`;
    const plain = await app.inject({ url });
    assert.equal(plain.statusCode, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    const etag = plain.headers.etag as string;
    assert.match(etag, /^"[A-Za-z0-9_-]{27}"$/);
    const zipped = await app.inject({ url, headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(zipped.statusCode, 200);
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'accept-encoding');
    assert.ok(zipped.rawPayload.length < plain.rawPayload.length / 2, `gzip ${zipped.rawPayload.length} B against ${plain.rawPayload.length} B`);
    assert.deepEqual(JSON.parse(gunzipSync(zipped.rawPayload).toString('utf8')), plain.json());
    // Refused by weight: plain again.
    assert.equal((await app.inject({ url, headers: { 'accept-encoding': 'gzip;q=0' } })).headers['content-encoding'], undefined);
    const again = await app.inject({ url, headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.rawPayload.length, 0);
    // Another model's tag (or a stale one) gets the whole answer.
    const stale = await app.inject({ url, headers: { 'if-none-match': '"stale"' } });
    assert.equal(stale.statusCode, 200);
    assert.deepEqual(stale.json(), plain.json());
  } finally { await app.close(); f.cleanup(); }
});
