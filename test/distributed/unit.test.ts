/** The distributed runner's pieces that need no Redis: progress batching, failure reasons, connection errors. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProgressRelay, parseReason, redactUrl } from '../../src/jobs/distributed/index.ts';
import { connect } from '../../src/jobs/distributed/shared.ts';
import { freePort } from './redis.ts';

test('progress relay: the first event goes at once, then one batch per interval with the latest event per chain, in order', async () => {
  const sent: unknown[][] = [];
  const relay = new ProgressRelay(async (b) => { sent.push(b); }, 200);
  relay.push({ chain: 0, iteration: 1 });
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(sent, [[{ chain: 0, iteration: 1 }]]);
  relay.push({ chain: 0, iteration: 2 });
  relay.push({ chain: 1, iteration: 1 });
  relay.push({ chain: 0, iteration: 3 });
  relay.push({ phase: 'summaries' });
  assert.equal(sent.length, 1, 'nothing more within the interval');
  await relay.flush();
  assert.deepEqual(sent[1], [{ chain: 1, iteration: 1 }, { chain: 0, iteration: 3 }, { phase: 'summaries' }]);
  await relay.flush();
  assert.equal(sent.length, 2, 'an empty flush sends nothing');
});

test('failure reasons: a coded JSON reason keeps code, detail and problems; anything else is INTERNAL', () => {
  assert.deepEqual(parseReason(JSON.stringify({ error: 'BAD_INPUT', detail: 'x must be positive', problems: [{ column: 'x' }] })), { error: 'BAD_INPUT', detail: 'x must be positive', problems: [{ column: 'x' }] });
  assert.deepEqual(parseReason('job stalled more than allowable limit'), { error: 'INTERNAL', detail: 'job stalled more than allowable limit' });
  assert.deepEqual(parseReason(JSON.stringify({ error: 'NOT_A_CODE', detail: 'd' })), { error: 'INTERNAL', detail: 'd' });
  assert.equal(parseReason('').error, 'INTERNAL');
});

test('an unreachable Redis is a BAD_INPUT naming the URL without its password', async () => {
  const port = await freePort(); // nothing listens there
  await assert.rejects(connect(`redis://:s3cret@127.0.0.1:${port}`, 2000), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'BAD_INPUT');
    assert.match(e.message, new RegExp(`cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
    assert.doesNotMatch(e.message, /s3cret/);
    return true;
  });
  await assert.rejects(connect('http://127.0.0.1:6379'), /must be a redis:\/\/ or rediss:\/\/ URL/);
  assert.equal(redactUrl('redis://user:pw@host:6379/0'), 'redis://user:***@host:6379/0');
});
