/**
 * Every answer the API gives matches what its OpenAPI document says: real requests against a server
 * with data, a Bayesian and a ridge model, two plans (one tracked against six newer weeks) and a
 * touchpoints job, each 2xx answer checked
 * against its operation's documented media type and (JSON) schema. A schema that falls behind the
 * code fails here; so does an operation nobody sent.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { demoConfig, demoFiles, multipart, testApp, touchpointsCsv, waitJob } from './helpers.ts';
import { segmentedCsv } from '../touchpoints/segmentedCsv.ts';
import { documentedAnswer, operations, type OpenApiDoc } from './openapiCheck.ts';

// 110 weeks: the models see the first 104, a plan tracks the six after.
const demo = demoFiles(110, 3);
const channels = demo.sim.truth.channels.map((c) => c.name);
let app: FastifyInstance;
let doc: OpenApiDoc;
let checker: ReturnType<typeof documentedAnswer>;

before(async () => {
  ({ app } = await testApp(demo.workspace));
  doc = (await app.inject({ url: '/api/openapi.json' })).json();
  checker = documentedAnswer(doc);
});
after(async () => { await app.close(); });

/** Sends a request and checks its answer against the operation `path` (the document's template). */
async function call(method: string, path: string, url: string, extra: Omit<InjectOptions, 'method' | 'url'> = {}) {
  const res = await app.inject({ method: method as InjectOptions['method'], url, ...extra });
  checker.check(method, path, res);
  return res;
}

async function job(path: string, url: string, payload: object) {
  const started = await call('POST', path, url, { payload });
  const done = await waitJob(app, started.json().id, 180_000);
  assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
  await call('GET', '/api/jobs/{id}', `/api/jobs/${done.id}`);
  return done;
}

test('every operation answers as documented', async () => {
  // Uploads: detect, discard.
  const upload = async (file: string, kind: string, name: string) => {
    const up = await call('POST', '/api/uploads', `/api/uploads?kind=${kind}`, multipart(name, readFileSync(file)));
    return up.json().upload as string;
  };
  const scratch = await upload(demo.files.media, 'summary', 'media.csv');
  await call('POST', '/api/uploads/{id}/detect', `/api/uploads/${scratch}/detect`, { payload: { kind: 'summary', map: { tv_impressions: 'ignore' } } });
  await call('DELETE', '/api/uploads/{id}', `/api/uploads/${scratch}`);
  // A file detection cannot read still uploads, with the problem in place of the detection.
  await call('POST', '/api/uploads', '/api/uploads?kind=summary', multipart('odd.csv', 'just one column\nx\n'));

  // Datasets.
  for (const [file, kind, name] of [[demo.files.media, 'summary', 'media'], [demo.files.sales, 'conversions', 'sales'], [demo.files.factors, 'factors', 'factors'], [demo.files.factors, 'factors', 'scratch']] as const) {
    await call('POST', '/api/datasets', '/api/datasets', { payload: { upload: await upload(file, kind, `${name}.csv`), kind, name, ...(name === 'media' ? { currency: 'USD' } : {}) } });
  }
  await call('GET', '/api/datasets', '/api/datasets');
  await call('GET', '/api/presets', '/api/presets');
  await call('GET', '/api/datasets/{id}', '/api/datasets/media');
  await call('GET', '/api/datasets/{id}/rows', '/api/datasets/sales/rows?limit=3');
  await call('GET', '/api/datasets/{id}/export', '/api/datasets/sales/export?format=csv');
  await call('GET', '/api/datasets/{id}/export', '/api/datasets/sales/export?format=parquet');
  await call('GET', '/api/datasets/{id}/columns', '/api/datasets/media/columns');
  // One wide file by role (media, outcome, factors), stored as three datasets, then dropped again.
  const wide = (await call('POST', '/api/uploads', '/api/uploads?kind=mixed', multipart('wide.csv', readFileSync(demo.files.data)))).json().upload as string;
  await call('POST', '/api/uploads/{id}/roles', `/api/uploads/${wide}/roles`, { payload: { roles: { price: 'factor' } } });
  await call('POST', '/api/datasets/by-role', '/api/datasets/by-role', { payload: { upload: wide, name: 'wide', roles: { price: 'factor' } } });
  for (const id of ['wide', 'wide-outcome', 'wide-factors']) await call('DELETE', '/api/datasets/{id}', `/api/datasets/${id}`);

  // Harmonized tables.
  await call('POST', '/api/harmonized', '/api/harmonized', { payload: { name: 'demo', grain: 'week', datasets: ['media', 'sales', 'factors'], to: String(demo.sim.rows[103][0]) } });
  await call('POST', '/api/harmonized', '/api/harmonized', { payload: { name: 'latest', grain: 'week', datasets: ['media', 'sales', 'factors'] } });
  await call('POST', '/api/harmonized', '/api/harmonized', { payload: { name: 'tmp', grain: 'month', datasets: ['sales', 'scratch'] } });
  await call('POST', '/api/harmonized/preview', '/api/harmonized/preview', { payload: { name: 'peek', grain: 'week', datasets: [{ id: 'media', columns: ['tv_spend'] }, 'sales'], rows: 3 } });
  await call('GET', '/api/harmonized', '/api/harmonized');
  await call('GET', '/api/harmonized/{id}', '/api/harmonized/demo');
  await call('GET', '/api/harmonized/{id}/rows', '/api/harmonized/demo/rows?limit=5');
  await call('GET', '/api/harmonized/{id}/export', '/api/harmonized/demo/export');
  await call('DELETE', '/api/harmonized/{id}', '/api/harmonized/tmp');
  await call('DELETE', '/api/datasets/{id}', '/api/datasets/scratch');

  // Models: a Bayesian (fast) and a ridge fit, and what is asked of them.
  const config = demoConfig(channels);
  await call('GET', '/api/holidays/countries', '/api/holidays/countries');
  await call('GET', '/api/catalog', '/api/catalog');
  await call('POST', '/api/models/prior-check', '/api/models/prior-check', { payload: { config } });
  const bayes = (await job('/api/models/{id}/fit', '/api/models/demo/fit', { config, fast: true })).result.modelId as string;
  const ridge = (await job('/api/models/{id}/fit', '/api/models/ridgy/fit', { config: { ...config, name: 'ridgy', family: 'ridge', classic: { bootstrap: 5 } } })).result.modelId as string;
  await call('GET', '/api/models', '/api/models');
  for (const id of [bayes, ridge]) {
    await call('GET', '/api/models/{id}', `/api/models/${id}`);
    const insights = await call('GET', '/api/models/{id}/insights', `/api/models/${id}/insights`);
    assert.ok(insights.json().channels.length === channels.length);
    await call('GET', '/api/models/{id}/report', `/api/models/${id}/report`);
  }
  await call('GET', '/api/models/{id}/export/{table}', `/api/models/${bayes}/export/channels`);
  await call('GET', '/api/models/compare', `/api/models/compare?ids=${bayes},${ridge}`);
  await call('POST', '/api/models/{id}/curve-priors', `/api/models/${bayes}/curve-priors`, { payload: { config } });

  // Plans on the Bayesian model.
  const weekly = (await app.inject({ url: `/api/models/${bayes}` })).json().output.channels.reduce((s: number, c: { spend: number }) => s + c.spend, 0) / 104;
  for (const [name, budget] of [['base', 13 * weekly], ['more', 13 * weekly * 1.3]] as const) {
    await job('/api/plans', '/api/plans', { name, model: bayes, budget, periods: 13, draws: 20 });
  }
  await call('GET', '/api/plans', '/api/plans');
  await call('GET', '/api/plans/{id}', '/api/plans/base-1');
  await call('GET', '/api/plans/compare', '/api/plans/compare?ids=base-1,more-1');
  await call('GET', '/api/plans/{id}/export', '/api/plans/more-1/export');
  await call('GET', '/api/plans/{id}/export', '/api/plans/more-1/export?format=xlsx');
  const track = (await job('/api/plans/{id}/track', '/api/plans/base-1/track', { data: 'latest' })).result;
  assert.ok(track.covered > 0 && track.remainder, JSON.stringify(track).slice(0, 300));
  await call('PATCH', '/api/plans/{id}', '/api/plans/more-1', { payload: { name: 'stretch' } });
  await call('DELETE', '/api/plans/{id}', '/api/plans/more-1');

  // Experiments: tests designed on the Bayesian model, and a designed test's plan.
  const design = await job('/api/models/{id}/design', `/api/models/${bayes}/design`, { channels: [channels[1]], weeks: 4 });
  assert.ok(design.result.tests.length > 0);
  await call('GET', '/api/designs/{id}/plan', `/api/designs/${design.id}/plan?rank=1`);
  // A model's lifecycle: a new version of its table makes it stale; refresh, refit, rename, duplicate, delete; the overview.
  await call('POST', '/api/harmonized', '/api/harmonized', { payload: { name: 'demo', grain: 'week', datasets: ['media', 'sales', 'factors'], replace: true } });
  const stale = await call('GET', '/api/models/{id}', `/api/models/${bayes}`);
  assert.match(stale.json().stale.reason, /^fitted on version 1 of 'demo'; version 2 \(/);
  await call('GET', '/api/overview', '/api/overview');
  const refreshed = (await job('/api/models/{id}/refresh', `/api/models/${bayes}/refresh`, { usePosteriorAsPriors: true })).result.modelId as string;
  const refitted = (await job('/api/models/{id}/refit', `/api/models/${ridge}/refit`, {})).result.modelId as string;
  await call('PATCH', '/api/models/{id}', `/api/models/${refreshed}`, { payload: { name: 'Brand, refreshed' } });
  await call('POST', '/api/models/{id}/duplicate', `/api/models/${refreshed}/duplicate`, { payload: { name: 'brand-copy' } });
  await call('DELETE', '/api/models/{id}', `/api/models/${refitted}`);

  // Touchpoints, calibrated to the model.
  const journeys = await touchpointsCsv(channels, '2023-03-06');
  const up = await call('POST', '/api/uploads', '/api/uploads?kind=touchpoints', multipart('journeys.csv', journeys));
  await call('POST', '/api/datasets', '/api/datasets', { payload: { upload: up.json().upload, kind: 'touchpoints', name: 'journeys' } });
  const tp = await job('/api/touchpoints', '/api/touchpoints', { data: 'journeys', methods: ['linear', 'markov'], model: bayes });
  await call('GET', '/api/touchpoints/{id}/export/{table}', `/api/touchpoints/${tp.id}/export/consistency`);
  await call('POST', '/api/touchpoints/{id}/priors', `/api/touchpoints/${tp.id}/priors`, { payload: { mediaShare: 0.3 } });
  await call('GET', '/api/touchpoints/{id}/audience/{channel}', `/api/touchpoints/${tp.id}/audience/${channels[0]}?hash=sha256`);
  await call('GET', '/api/touchpoints/{id}/scores', `/api/touchpoints/${tp.id}/scores?shape=long`);
  await call('GET', '/api/touchpoints/{id}/report', `/api/touchpoints/${tp.id}/report`);
  // Journeys whose customers carry a device (declared a segment at ingest): the attributes and a segment's audience.
  const seg = await call('POST', '/api/uploads', '/api/uploads?kind=touchpoints', multipart('devices.csv', segmentedCsv(300).csv));
  await call('POST', '/api/datasets', '/api/datasets', { payload: { upload: seg.json().upload, kind: 'touchpoints', name: 'devices', map: { device: 'segment' } } });
  await call('GET', '/api/datasets/{id}/segments', '/api/datasets/devices/segments');
  await call('GET', '/api/datasets/{id}/audience', '/api/datasets/devices/audience?attribute=device&value=mobile&hash=sha256');

  // Jobs: the list, the event stream of a finished job, and two ways to cancel a running one.
  await call('GET', '/api/jobs', '/api/jobs');
  await call('GET', '/api/jobs/{id}/events', `/api/jobs/${tp.id}/events`);
  for (const [method, path, url] of [['DELETE', '/api/jobs/{id}', (id: string) => `/api/jobs/${id}`], ['POST', '/api/jobs/{id}/cancel', (id: string) => `/api/jobs/${id}/cancel`]] as const) {
    const started = await call('POST', '/api/models/{id}/fit', '/api/models/slow/fit', { payload: { config: { ...config, name: 'slow' }, chains: 1, draws: 2000, warmup: 2000 } });
    const cancelled = await call(method, path, url(started.json().id));
    assert.equal(cancelled.json().status, 'cancelled');
  }
  await call('GET', '/api/health', '/api/health');

  assert.deepEqual([...checker.seen].sort(), operations(doc), 'every operation of the document was sent and checked');
});

test('every operation documents a 2xx answer with its content, and named schemas resolve', () => {
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const ok = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      assert.ok(ok.length > 0 && ok.every(([, r]) => r.content && Object.keys(r.content).length > 0), `${method.toUpperCase()} ${path} documents no 2xx answer with content`);
    }
  }
  const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
  for (const name of new Set(refs)) assert.ok(doc.components.schemas[name], `#/components/schemas/${name} is referenced but not defined`);
  assert.ok(!JSON.stringify(doc).includes('#/$defs/'), 'no reference is left pointing into a route\'s own $defs');
});
