import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { z } from 'zod';
import { answer, fileAnswer, plainJsonSerializer } from './answer.ts';

test('a described answer is still sent as JSON.stringify sends it: nothing the schema leaves out is dropped, nothing coerced', async () => {
  const app = Fastify();
  app.setSerializerCompiler(plainJsonSerializer);
  const value = { a: 1, extra: { nested: [1, 'x'] }, notANumber: NaN, count: '3' };
  app.get('/x', { schema: { response: { 200: answer(z.object({ a: z.number(), count: z.number() })) } } }, async () => value);
  const res = await app.inject({ url: '/x' });
  assert.equal(res.body, JSON.stringify(value));
  await app.close();
});

test('answer() documents the output side of a zod schema; fileAnswer() one entry per media type', () => {
  const a = answer(z.object({ n: z.number().default(1) }), 'Fine');
  assert.equal(a.description, 'Fine');
  assert.deepEqual(a.content['application/json'].schema.required, ['n']);
  const f = fileAnswer('Rows', 'text/csv', 'application/vnd.apache.parquet');
  assert.deepEqual(f.content['text/csv'].schema, { type: 'string' });
  assert.deepEqual(f.content['application/vnd.apache.parquet'].schema, { type: 'string', format: 'binary' });
});
