/**
 * Replays the attacks of issue 18 against a real listening server: token bypass by percent-encoding
 * and absolute-form request targets, every OpenAPI route without a token, DNS-rebinding Host headers,
 * cross-origin state-changing requests, and bad input that must never answer 5xx.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { demoFiles, ingestVia, multipart, testApp } from './helpers.ts';
import { startServer } from '../../src/server/listen.ts';
import type { InjectOptions } from 'fastify';

const TOKEN = 'security-test-token-0123456789';
const demo = demoFiles(30, 1);
let server: Awaited<ReturnType<typeof startServer>>;
let port = 0;

interface Raw { status: number; body: string }
/** One HTTP request with the target sent exactly as given (no normalization by a client library). */
function raw(method: string, target: string, headers: Record<string, string> = {}, body?: Buffer | string, to = port): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: to, method, path: target, headers: { host: `127.0.0.1:${to}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`${method} ${target} timed out`)));
    if (body !== undefined) req.write(body);
    req.end();
  });
}
const auth = { authorization: `Bearer ${TOKEN}` };

before(async () => {
  const { app } = await testApp(demo.workspace);
  for (const [file, kind, name] of [[demo.files.media, 'summary', 'media'], [demo.files.sales, 'conversions', 'sales'], [demo.files.factors, 'factors', 'factors']] as const) {
    const r = await ingestVia(app, file, kind, name);
    assert.equal(r.statusCode, 201, r.body);
  }
  assert.equal((await app.inject({ method: 'POST', url: '/api/harmonized', payload: { name: 'demo', grain: 'week' } })).statusCode, 201);
  await app.close();
  server = await startServer({ workspace: demo.workspace, host: '0.0.0.0', port: 0, token: TOKEN, webRoot: null });
  port = Number(new URL(server.url).port);
});
after(async () => { await server.close(); });

test('percent-encoded and absolute-form targets cannot bypass the token', async () => {
  const attempts: [string, string][] = [
    ['GET', '/api/datasets'],
    ['GET', '/%61pi/datasets'],
    ['GET', '/%61%70%69/datasets'],
    ['GET', '/API/datasets'],
    ['GET', '//api/datasets'],
    ['GET', '/api//datasets'],
    ['GET', '/./api/datasets'],
    ['GET', '/api/./datasets'],
    ['GET', '/x/../api/datasets'],
    ['GET', '/api/datasets?'],
    ['GET', '/api/datasets#x'],
    ['GET', '/api/datasets/'],
    ['GET', '/api/%64atasets'],
    ['GET', '/api/health/../datasets'],
    ['GET', '/api/health%2F..%2Fdatasets'],
    ['GET', `http://127.0.0.1:${port}/api/datasets`],
    ['GET', `http://attacker.example/api/datasets`],
    ['DELETE', '/%61pi/datasets/factors'],
    ['DELETE', `http://127.0.0.1:${port}/api/harmonized/demo`],
    ['DELETE', `http://127.0.0.1:${port}/%61pi/harmonized/demo`],
  ];
  for (const [method, target] of attempts) {
    const r = await raw(method, target);
    assert.ok(r.status === 401 || r.status === 404 || r.status === 400, `${method} ${target} answered ${r.status}: ${r.body.slice(0, 200)}`);
    assert.doesNotMatch(r.body, /"media"|"factors"|"sales"/, `${method} ${target} leaked data`);
  }
  // Nothing was deleted: with the token, the three datasets and the table are all there.
  const list = JSON.parse((await raw('GET', '/api/datasets', auth)).body) as { id: string }[];
  assert.deepEqual(list.map((d) => d.id).sort(), ['factors', 'media', 'sales']);
  assert.equal((await raw('GET', '/api/harmonized/demo', auth)).status, 200);
  // The same tricks with the token reach the route (the router decodes; the check follows the route).
  assert.equal((await raw('GET', '/%61pi/datasets', auth)).status, 200);
});

test('every route of the OpenAPI document answers 401 without the token (health alone is open and shows no path)', async () => {
  const doc = JSON.parse((await raw('GET', '/api/openapi.json', auth)).body) as { paths: Record<string, Record<string, unknown>> };
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => [m.toUpperCase(), path.replace(/\{[^}]+\}/g, 'demo')] as const));
  assert.ok(ops.length >= 39, `only ${ops.length} operations in the OpenAPI document (39 with GET /api/catalog)`);
  for (const [method, path] of ops) {
    const r = await raw(method, path, { 'content-type': 'application/json' }, method === 'GET' || method === 'DELETE' ? undefined : '{}');
    if (path === '/api/health') continue;
    assert.equal(r.status, 401, `${method} ${path} without a token answered ${r.status}`);
  }
  assert.equal((await raw('GET', '/api/openapi.json')).status, 401);
  // The scheme is case-insensitive (RFC 7235); the token is not, and nothing but it will do.
  assert.equal((await raw('GET', '/api/openapi.json', { authorization: `bearer ${TOKEN}` })).status, 200);
  for (const wrong of [`Bearer ${TOKEN.toUpperCase()}x`, `Basic ${TOKEN}`, TOKEN, `Bearer  ${TOKEN.slice(1)}`, 'Bearer ']) {
    assert.equal((await raw('GET', '/api/openapi.json', { authorization: wrong })).status, 401, `'${wrong}'`);
  }
  const health = await raw('GET', '/api/health');
  assert.equal(health.status, 200);
  assert.doesNotMatch(health.body, /\/|duckdb/, 'health names no path');
});

test('a Host header naming another site is refused (DNS rebinding), the bound names are answered', async () => {
  for (const host of ['attacker.example', `attacker.example:${port}`, 'localhost.attacker.example', '127.0.0.1.nip.example']) {
    const r = await raw('GET', '/api/datasets', { ...auth, host });
    assert.equal(r.status, 421, `Host '${host}' answered ${r.status}`);
  }
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
    assert.equal((await raw('GET', '/api/datasets', { ...auth, host })).status, 200, host);
  }
});

test('cross-origin state-changing requests are refused; the app\'s own origin is allowed', async () => {
  const up = multipart('media.csv', readFileSync(demo.files.media));
  for (const headers of <Record<string, string>[]>[{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }, { origin: `http://localhost:${port + 1}` }]) {
    const r = await raw('POST', '/api/uploads?kind=summary', { ...auth, ...up.headers, ...headers }, up.payload);
    assert.equal(r.status, 403, `${JSON.stringify(headers)} answered ${r.status}`);
    const d = await raw('DELETE', '/api/datasets/factors', { ...auth, ...headers });
    assert.equal(d.status, 403);
  }
  const ok = await raw('POST', '/api/uploads?kind=summary', { ...auth, ...up.headers, origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' }, up.payload);
  assert.equal(ok.status, 201, ok.body);
  assert.equal((await raw('DELETE', `/api/uploads/${(JSON.parse(ok.body) as { upload: string }).upload}`, auth)).status, 200);
});

test('a loopback server without a token also refuses foreign hosts and cross-origin writes', async () => {
  const local = await startServer({ workspace: demoFiles(10, 1).workspace, host: '127.0.0.1', port: 0, webRoot: null });
  try {
    const p = Number(new URL(local.url).port);
    assert.equal((await raw('GET', '/api/datasets', {}, undefined, p)).status, 200);
    assert.equal((await raw('GET', '/api/datasets', { host: `rebound.attacker.example:${p}` }, undefined, p)).status, 421);
    const up = multipart('media.csv', 'date,x\n2024-01-01,1\n');
    assert.equal((await raw('POST', '/api/uploads', { ...up.headers, origin: 'https://evil.example' }, up.payload, p)).status, 403);
    assert.equal((await raw('POST', '/api/uploads', { ...up.headers, origin: `http://127.0.0.1:${p}` }, up.payload, p)).status, 201);
  } finally { await local.close(); }
});

test('bad input answers 4xx naming the field, never 5xx; a real 5xx carries a request id', async () => {
  const { app } = await testApp(demoFiles(10, 1).workspace);
  app.get('/api/test-only-crash', async () => { throw new Error('boom'); });
  try {
    const cases: [string, InjectOptions, RegExp][] = [
      ['month 13', { method: 'POST', url: '/api/harmonized', payload: { name: 'x', grain: 'week', from: '2025-13-45' } }, /`from` must be a real date/],
      ['30 February', { method: 'POST', url: '/api/harmonized', payload: { name: 'x', grain: 'week', to: '2025-02-30' } }, /`to` must be a real date/],
      ['multipart without a boundary', { method: 'POST', url: '/api/uploads', payload: 'abc', headers: { 'content-type': 'multipart/form-data' } }, /multipart/],
      ['truncated multipart', { method: 'POST', url: '/api/uploads', payload: '--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\ndate,x\n2024', headers: { 'content-type': 'multipart/form-data; boundary=b' } }, /multipart/],
    ];
    for (const [what, req, detail] of cases) {
      const r = await app.inject(req);
      assert.equal(r.statusCode, 400, `${what}: ${r.statusCode} ${r.body}`);
      assert.match(r.json().detail, detail, what);
    }
    const crash = await app.inject({ url: '/api/test-only-crash' });
    assert.equal(crash.statusCode, 500);
    assert.ok(crash.json().request, 'the 500 names its request id');
    assert.match(crash.json().detail, new RegExp(`request ${crash.json().request}`));
  } finally { await app.close(); }
});

test('one request cannot occupy the machine: fits past the limits are refused before queueing', async () => {
  const config = { data: { harmonized: 'demo' }, target: { column: 'revenue' }, channels: [{ name: demo.sim.truth.channels[0].name, spend: `${demo.sim.truth.channels[0].name}_spend` }] };
  const post = (body: unknown) => raw('POST', '/api/models/huge/fit', { ...auth, 'content-type': 'application/json' }, JSON.stringify(body));
  const cases: [unknown, RegExp][] = [
    [{ config: { ...config, inference: { draws: 5e4 } } }, /`config.inference.draws` is 50,000; this server allows at most 20,000/],
    [{ config: { ...config, inference: { draws: 1e8 } } }, /`config.inference.draws` must be at most 100000; got 100000000/],
    [{ config: { ...config, family: 'ridge', search: { iterations: 1e12 } } }, /`config.search.iterations` is 1,000,000,000,000/],
    [{ config: { ...config, inference: { warmup: 1e7 } } }, /`config.inference.warmup`/],
  ];
  for (const [body, detail] of cases) {
    const r = await post(body);
    assert.equal(r.status, 400, r.body);
    assert.match((JSON.parse(r.body) as { detail: string }).detail, detail);
  }
  assert.deepEqual(JSON.parse((await raw('GET', '/api/jobs', auth)).body), [], 'nothing was queued');
});

test('no request names a file on the server: data.file and holidays.file are refused by fit and curve-priors', async () => {
  const config = { data: { file: '/etc/passwd' }, target: { column: 'revenue' }, channels: [{ name: 'tv', spend: 'tv_spend' }] };
  for (const url of ['/api/models/demo/curve-priors', '/api/models/demo/fit']) {
    for (const body of [{ config }, { config: { ...config, data: { harmonized: 'demo' }, holidays: { file: '/etc/hosts' } } }]) {
      const r = await raw('POST', url, { ...auth, 'content-type': 'application/json' }, JSON.stringify(body));
      assert.equal(r.status, 400, `${url}: ${r.body}`);
      assert.match((JSON.parse(r.body) as { detail: string }).detail, /is not accepted by the server \(no request may read files/);
    }
  }
});

test('the app\'s own origin in the forms a browser or a proxy sends is accepted; another local app\'s is not', async () => {
  const { app } = await testApp(demoFiles(10, 1).workspace, { allowedHosts: new Set(['localhost', '127.0.0.1', '::1', 'mmm.example.com']) });
  try {
    const post = (host: string, origin: string) => app.inject({ method: 'POST', url: '/api/harmonized', headers: { host, origin }, payload: { name: 'x', grain: 'day' } });
    // Default ports: Host "localhost:80" and Origin "http://localhost" are the same origin (400: the body is bad, not the origin).
    assert.equal((await post('localhost:80', 'http://localhost')).statusCode, 400);
    // Behind a proxy that rewrites Host to the upstream address, the page's public name is allowed by the operator.
    assert.equal((await post('127.0.0.1:8080', 'https://mmm.example.com')).statusCode, 400);
    // Another app on this machine is not this one.
    assert.equal((await post('127.0.0.1:8080', 'http://localhost:3000')).statusCode, 403);
    assert.equal((await post('127.0.0.1:8080', 'https://evil.example')).statusCode, 403);
  } finally { await app.close(); }
});
