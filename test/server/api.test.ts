/**
 * The REST API end to end with app.inject: a new user's path (upload → detect → ingest → harmonize →
 * fit job with progress → insights → report → exports), the OpenAPI document, and the error contract.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { demoConfig, demoFiles, ingestVia, multipart, testApp, waitJob } from './helpers.ts';

const demo = demoFiles();
const channels = demo.sim.truth.channels.map((c) => c.name);
let app: FastifyInstance;
let modelId = '';

before(async () => {
  ({ app } = await testApp(demo.workspace));
});
after(async () => { await app.close(); });

test('upload answers the detected layout and roles; detect follows a changed mapping', async () => {
  const up = await app.inject({ method: 'POST', url: '/api/uploads?kind=summary', ...multipart('media.csv', (await import('node:fs')).readFileSync(demo.files.media)) });
  assert.equal(up.statusCode, 201, up.body);
  const u = up.json();
  assert.match(u.upload, /^[a-f0-9]{16}$/);
  assert.equal(u.name, 'media.csv');
  assert.equal(u.detection.plan.layout, 'wide');
  assert.equal(u.detection.plan.roles.date, 'date');
  assert.equal(u.detection.columns.find((c: { name: string }) => c.name === 'tv_spend').role, 'tv_spend');
  assert.equal(u.detection.rows.length, 20);
  const d = await app.inject({ method: 'POST', url: `/api/uploads/${u.upload}/detect`, payload: { kind: 'summary', map: { tv_impressions: 'ignore' } } });
  assert.equal(d.statusCode, 200, d.body);
  assert.equal(d.json().columns.find((c: { name: string }) => c.name === 'tv_impressions').role, 'ignore');
  assert.equal((await app.inject({ method: 'DELETE', url: `/api/uploads/${u.upload}` })).statusCode, 200);
  assert.equal((await app.inject({ method: 'POST', url: `/api/uploads/${u.upload}/detect`, payload: { kind: 'summary' } })).statusCode, 404);
});

test('ingest three files, list and show datasets, preview rows, export CSV', async () => {
  for (const [file, kind, name] of [[demo.files.media, 'summary', 'media'], [demo.files.sales, 'conversions', 'sales'], [demo.files.factors, 'factors', 'factors']] as const) {
    const r = await ingestVia(app, file, kind, name);
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.json().id, name);
  }
  const list = (await app.inject({ url: '/api/datasets' })).json();
  assert.deepEqual(list.map((d: { id: string }) => d.id).sort(), ['factors', 'media', 'sales']);
  const media = (await app.inject({ url: '/api/datasets/media' })).json();
  assert.equal(media.rows, 104);
  const rows = (await app.inject({ url: '/api/datasets/media/rows?limit=3' })).json();
  assert.equal(rows.length, 3);
  const csv = await app.inject({ url: '/api/datasets/sales/export?format=csv' });
  assert.equal(csv.statusCode, 200);
  assert.match(csv.headers['content-type'] as string, /text\/csv/);
  assert.equal(csv.body.trim().split('\n').length, 105);
  const again = await ingestVia(app, demo.files.media, 'summary', 'media');
  assert.equal(again.statusCode, 409, again.body);
  assert.equal(again.json().error, 'CONFLICT');
});

test('a bad file is refused with the row and column of the problem', async () => {
  const bad = 'date,tv_spend,search_spend\n2024-01-01,100,50\n2024-01-08,eleven,60\n';
  const up = await app.inject({ method: 'POST', url: '/api/uploads?kind=summary', ...multipart('bad.csv', bad) });
  assert.equal(up.statusCode, 201);
  const r = await app.inject({ method: 'POST', url: '/api/datasets', payload: { upload: up.json().upload, kind: 'summary', name: 'bad' } });
  assert.equal(r.statusCode, 400, r.body);
  const body = r.json();
  assert.equal(body.error, 'BAD_FILE');
  assert.equal(body.problems[0].row, 3);
  assert.equal(body.problems[0].column, 'tv_spend');
  assert.match(body.problems[0].text, /bad\.csv, row 3, column 'tv_spend', value 'eleven'/);
  assert.equal((await app.inject({ url: '/api/datasets/bad' })).statusCode, 404);
});

test('harmonize weekly answers the validation report; show, rows, export', async () => {
  const r = await app.inject({ method: 'POST', url: '/api/harmonized', payload: { name: 'demo', grain: 'week' } });
  assert.equal(r.statusCode, 201, r.body);
  const h = r.json();
  assert.equal(h.rows, 104);
  assert.ok(h.report.correlation.matrix.length === channels.length);
  assert.ok(h.report.columns.some((c: { column: string; coverage: number }) => c.column === 'revenue' && c.coverage === 1));
  const show = (await app.inject({ url: '/api/harmonized/demo' })).json();
  assert.equal(show.id, 'demo');
  const rows = (await app.inject({ url: '/api/harmonized/demo/rows?limit=5' })).json();
  assert.equal(rows.length, 5);
  assert.equal(rows[0].date, '2023-01-02');
  const csv = await app.inject({ url: '/api/harmonized/demo/export' });
  assert.equal(csv.body.trim().split('\n').length, 105);
  const bad = await app.inject({ method: 'POST', url: '/api/harmonized', payload: { name: 'x', grain: 'day' } });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().detail, /grain/);
});

/**
 * A server-sent events parser as the HTML spec reads an event stream: lines end with CRLF, LF or CR;
 * a line starting with ':' is a comment (the server's `: ping` keep-alive) and is ignored; `field: value`
 * (one space after the colon dropped), several `data` lines joined with '\n'; a blank line dispatches
 * the event if it has data; an event not closed by a blank line when the stream ends is dropped. Chunks
 * may split the stream anywhere — inside a line, between CR and LF, inside a UTF-8 character.
 */
class SseParser {
  private text = '';
  private decoder = new TextDecoder('utf-8');
  private first = true;
  private type = '';
  private data: string[] = [];
  private lastId = '';

  feed(chunk: string | Uint8Array): { type: string; data: string; id: string }[] {
    this.text += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    if (this.first && this.text.length) { this.first = false; if (this.text.startsWith('\uFEFF')) this.text = this.text.slice(1); }
    const out: { type: string; data: string; id: string }[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.text);
      // A CR at the end of what has arrived may be the first half of a CRLF: wait for the next chunk.
      if (!m || (m[0] === '\r' && m.index === this.text.length - 1)) break;
      const line = this.text.slice(0, m.index);
      this.text = this.text.slice(m.index + m[0].length);
      this.line(line, out);
    }
    return out;
  }

  /** The end of the stream: a pending line is read; an event without its closing blank line is dropped. */
  end(): { type: string; data: string; id: string }[] {
    const out: { type: string; data: string; id: string }[] = [];
    const rest = this.text + this.decoder.decode();
    this.text = '';
    if (rest.endsWith('\r')) this.line(rest.slice(0, -1), out);
    else if (rest) this.line(rest, out);
    this.type = '';
    this.data = [];
    return out;
  }

  private line(line: string, out: { type: string; data: string; id: string }[]): void {
    if (line === '') {
      if (this.data.length) out.push({ type: this.type || 'message', data: this.data.join('\n'), id: this.lastId });
      this.type = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return; // a comment
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.type = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
    // 'retry' and unknown fields: nothing to do here
  }
}

test('SSE parser: comments (the `: ping` keep-alive) are skipped, events split across chunks anywhere are whole, CRLF/CR/LF all end lines', () => {
  const stream = '\uFEFFevent: status\ndata: {"status":"running"}\n\n: ping\n\n:another comment\r\nevent: progress\r\ndata: {"a":1,\r\ndata:"b":"é"}\r\n\r\n: ping\n\nevent:status\rdata: {"status":"succeeded"}\r\rdata: no end';
  const expected = [
    { type: 'status', data: '{"status":"running"}', id: '' },
    { type: 'progress', data: '{"a":1,\n"b":"é"}', id: '' },
    { type: 'status', data: '{"status":"succeeded"}', id: '' },
  ];
  const whole = new SseParser();
  assert.deepEqual([...whole.feed(stream), ...whole.end()], expected);
  // Every split point, as bytes (so also inside 'é' and between CR and LF).
  const bytes = Buffer.from(stream);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const p = new SseParser();
    assert.deepEqual([...p.feed(bytes.subarray(0, cut)), ...p.feed(bytes.subarray(cut)), ...p.end()], expected, `split at byte ${cut}`);
  }
  // One byte at a time.
  const p = new SseParser();
  const got = [];
  for (const b of bytes) got.push(...p.feed(Uint8Array.of(b)));
  assert.deepEqual([...got, ...p.end()], expected);
  // A stream of pings alone has no events.
  assert.deepEqual(new SseParser().feed(': ping\n\n: ping\n\n'), []);
});

test('fit job: 202, progress over server-sent events, stored model, insights with numbers, report, exports', async () => {
  const r = await app.inject({ method: 'POST', url: '/api/models/demo/fit', payload: { config: demoConfig(channels), fast: true } });
  assert.equal(r.statusCode, 202, r.body);
  const job = r.json();
  assert.equal(r.headers.location, `/api/jobs/${job.id}`);
  const sse = await app.inject({ url: `/api/jobs/${job.id}/events` });
  assert.match(sse.headers['content-type'] as string, /text\/event-stream/);
  const parser = new SseParser();
  const events = [...parser.feed(sse.body), ...parser.end()].map((e) => ({ type: e.type, data: JSON.parse(e.data) }));
  assert.ok(events.length >= 2, sse.body.slice(0, 500));
  assert.equal(events[0].type, 'status');
  const last = events.at(-1)!;
  assert.equal(last.type, 'status');
  assert.equal(last.data.status, 'succeeded', JSON.stringify(last.data.error));
  modelId = last.data.result.modelId;
  assert.equal(modelId, 'demo-1');
  const done = await waitJob(app, job.id);
  assert.equal(done.result.modelId, 'demo-1');
  assert.equal(done.result.channels.length, channels.length);

  const models = (await app.inject({ url: '/api/models' })).json();
  assert.equal(models[0].id, 'demo-1');
  const m = (await app.inject({ url: '/api/models/demo-1' })).json();
  assert.equal(m.config.name, 'demo');
  assert.equal(m.output.channels.length, channels.length);

  const ins = await app.inject({ url: '/api/models/demo-1/insights' });
  assert.equal(ins.statusCode, 200, ins.body);
  const x = ins.json();
  assert.equal(x.channels.length, channels.length);
  for (const c of x.channels) assert.ok(Number.isFinite(c.roi) && c.spend > 0, JSON.stringify(c));
  assert.equal(x.decomposition.length, 104);
  // The decomposition adds up to the prediction, row by row.
  const row = x.decomposition[10];
  const parts = Object.entries(row).filter(([k]) => !['date', 'inSample', 'actual', 'predicted', 'residual', 'geo'].includes(k)).reduce((s, [, v]) => s + (v as number), 0);
  assert.ok(Math.abs(parts - row.predicted) < 1e-6 * Math.abs(row.predicted));
  assert.ok(x.responseCurves.length > 0 && x.adstock.length > 0 && x.health.length > 0);

  const report = await app.inject({ url: '/api/models/demo-1/report' });
  assert.equal(report.statusCode, 200);
  assert.match(report.body, /<html/i);
  const csv = await app.inject({ url: '/api/models/demo-1/export/channels' });
  assert.equal(csv.statusCode, 200);
  assert.equal(csv.body.trim().split('\n').length, channels.length + 1);
  assert.equal((await app.inject({ url: '/api/models/demo-1/export/secrets' })).statusCode, 400);
  assert.equal((await app.inject({ url: '/api/models/nope-1/insights' })).statusCode, 404);
});

test('a ridge model fits as a job and gets the same HTML report as a Bayesian one', async () => {
  const r = await app.inject({ method: 'POST', url: '/api/models/ridgy/fit', payload: { config: { ...demoConfig(channels), name: 'ridgy', family: 'ridge', classic: { bootstrap: 5 } } } });
  assert.equal(r.statusCode, 202, r.body);
  const done = await waitJob(app, r.json().id);
  assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
  const report = await app.inject({ url: `/api/models/${done.result.modelId}/report` });
  assert.equal(report.statusCode, 200, report.body.slice(0, 300));
  assert.match(report.body, /bootstrap/);
});

test("holidays by country from the built-in calendar: the countries route, and a fit whose decomposition has the country's holidays", async () => {
  const countries = await app.inject({ url: '/api/holidays/countries' });
  assert.equal(countries.statusCode, 200);
  const list = countries.json() as Record<string, string>;
  assert.equal(list.US, 'United States of America');
  assert.equal(list.DE, 'Germany');
  assert.ok(Object.keys(list).length > 100, `${Object.keys(list).length} countries`);
  const r = await app.inject({ method: 'POST', url: '/api/models/hol/fit', payload: { config: { ...demoConfig(channels), name: 'hol', holidays: { country: 'US' } }, fast: true } });
  assert.equal(r.statusCode, 202, r.body);
  const done = await waitJob(app, r.json().id);
  assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
  const insights = await app.inject({ url: `/api/models/${done.result.modelId}/insights` });
  assert.equal(insights.statusCode, 200, insights.body.slice(0, 300));
  const rows = insights.json().decomposition as Record<string, unknown>[];
  const key = Object.keys(rows[0]).find((k) => /holidays_US/.test(k));
  assert.ok(key, `decomposition columns: ${Object.keys(rows[0]).join(', ')}`);
  // Controls enter standardized, so weeks without a holiday share one value; the week of 2023-07-03
  // (Independence Day) has another.
  const week = (d: string) => rows.find((x) => x.date === d)![key] as number;
  assert.ok(Math.abs(week('2023-06-26') - week('2023-06-12')) < 1e-9, `${week('2023-06-26')} vs ${week('2023-06-12')}`);
  assert.ok(Math.abs(week('2023-07-03') - week('2023-06-26')) > 1, `${week('2023-07-03')} vs ${week('2023-06-26')}`);
  const unknown = await app.inject({ method: 'POST', url: '/api/models/x/fit', payload: { config: { ...demoConfig(channels), holidays: { country: 'QQ' } } } });
  assert.equal(unknown.statusCode, 400, unknown.body);
  assert.match(unknown.json().detail, /'QQ'/);
});

test('compare stored models side by side: a Bayesian and a ridge fit of the same data; bad ids are refused', async () => {
  const models = (await app.inject({ url: '/api/models' })).json() as { id: string; family: string }[];
  const bayes = models.find((m) => m.family === 'bayesian')!.id, ridge = models.find((m) => m.family === 'ridge')!.id;
  const r = await app.inject({ url: `/api/models/compare?ids=${bayes},${ridge}` });
  assert.equal(r.statusCode, 200, r.body);
  const c = r.json();
  assert.deepEqual(c.models.map((m: { id: string; family: string }) => [m.id, m.family]), [[bayes, 'bayesian'], [ridge, 'ridge']]);
  const stored = (await app.inject({ url: `/api/models/${bayes}` })).json().output;
  assert.equal(c.models[0].r2, stored.fit.r2);
  assert.deepEqual(c.channels.map((ch: { name: string }) => ch.name), channels);
  const tv = c.channels.find((ch: { name: string }) => ch.name === 'tv');
  assert.equal(tv.models[bayes].roi, stored.channels.find((x: { name: string }) => x.name === 'tv').roi);
  assert.ok(tv.models[ridge].roi > 0);
  for (const [q, code, detail] of [[`${bayes}`, 400, /2 to 10/], [`${bayes},${bayes}`, 400, /2 to 10/], [`${bayes},../x`, 400, /not a valid id/], [`${bayes},nope-9`, 404, /nope-9/]] as const) {
    const bad = await app.inject({ url: `/api/models/compare?ids=${encodeURIComponent(q)}` });
    assert.equal(bad.statusCode, code, `${q}: ${bad.body}`);
    assert.match(bad.json().detail, detail);
  }
});

test('curve priors from a stored model (a refresh): the posterior\'s means and widened sds for a config; bad input refused', async () => {
  const models = (await app.inject({ url: '/api/models' })).json() as { id: string; family: string }[];
  const bayes = models.find((m) => m.family === 'bayesian')!.id, ridge = models.find((m) => m.family === 'ridge')!.id;
  const stored = (await app.inject({ url: `/api/models/${bayes}` })).json().output as { channels: { name: string; curve: Record<string, { mean: number; sd: number; prior: { sd: number } }> }[] };
  const r = await app.inject({ method: 'POST', url: `/api/models/${bayes}/curve-priors`, payload: { config: demoConfig(channels), widen: 1.5 } });
  assert.equal(r.statusCode, 200, r.body);
  const out = r.json() as { model: string; widen: number; curves: Record<string, Record<string, { mean: number; sd: number }>>; skipped: string[] };
  assert.equal(out.model, bayes);
  assert.deepEqual(Object.keys(out.curves), channels);
  for (const ch of stored.channels) for (const [key, p] of Object.entries(ch.curve)) {
    assert.equal(out.curves[ch.name][key].mean, p.mean);
    assert.ok(Math.abs(out.curves[ch.name][key].sd - Math.min(1.5 * p.sd, p.prior.sd)) < 1e-12, `${ch.name}.${key}`);
  }
  // A config whose saturation has no shape takes none, and says so.
  const mm = (await app.inject({ method: 'POST', url: `/api/models/${bayes}/curve-priors`, payload: { config: { ...demoConfig(channels), saturation: { type: 'michaelis-menten' } } } })).json();
  assert.ok(Object.values(mm.curves).every((c) => !('shape' in (c as object))) && mm.skipped.some((x: string) => /tv\.shape: the new config's saturation \(michaelis-menten\) has none/.test(x)), JSON.stringify(mm.skipped));
  for (const [url, payload, code, detail] of [
    [`/api/models/${ridge}/curve-priors`, { config: demoConfig(channels) }, 400, /ridge model/],
    ['/api/models/nope-3/curve-priors', { config: demoConfig(channels) }, 404, /nope-3/],
    [`/api/models/${bayes}/curve-priors`, { config: demoConfig(channels), widen: 0.5 }, 400, /widen/],
    [`/api/models/${bayes}/curve-priors`, { config: { ...demoConfig(channels), colour: 1 } }, 400, /colour/],
    [`/api/models/${bayes}/curve-priors`, { config: demoConfig(channels), extra: true }, 400, /extra/],
  ] as const) {
    const bad = await app.inject({ method: 'POST', url, payload });
    assert.equal(bad.statusCode, code, `${url} ${JSON.stringify(payload).slice(0, 80)}: ${bad.body}`);
    assert.match(bad.json().detail, detail);
  }
});

test('fit refuses a config that reads a file, a bad config and a missing column, before queueing', async () => {
  const file = await app.inject({ method: 'POST', url: '/api/models/x/fit', payload: { config: { ...demoConfig(channels), data: { file: '/etc/passwd' } } } });
  assert.equal(file.statusCode, 400);
  assert.match(file.json().detail, /data\.file/);
  const bad = await app.inject({ method: 'POST', url: '/api/models/x/fit', payload: { config: { ...demoConfig(channels), saturation: { type: 'hil' } } } });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().detail, /saturation\.type/);
  const col = await app.inject({ method: 'POST', url: '/api/models/x/fit', payload: { config: { ...demoConfig(channels), channels: [{ name: 'tv', spend: 'nope_spend' }] } } });
  assert.equal(col.statusCode, 400, col.body);
  assert.match(col.json().detail, /nope_spend/);
  // Each refusal names its field as a path a form can put beside its input, with a message that reads after the label.
  const date = await app.inject({ method: 'POST', url: '/api/models/x/fit', payload: { config: { ...demoConfig(channels), experiments: [{ channel: channels[0], start: '2024-13-01', end: '2024-02-01', lift: 10 }] } } });
  assert.equal(date.statusCode, 400, date.body);
  const dateProblem = date.json().problems.find((p: { field?: string }) => p.field === 'config.experiments[0].start');
  assert.ok(dateProblem, `a problem names config.experiments[0].start: ${date.body}`);
  const order = await app.inject({ method: 'POST', url: '/api/models/x/fit', payload: { config: { ...demoConfig(channels), experiments: [{ channel: channels[0], start: '2024-03-01', end: '2024-02-01', lift: 10, liftSe: 2 }] } } });
  assert.equal(order.statusCode, 400, order.body);
  assert.deepEqual(order.json().problems.map((p: { field?: string }) => p.field), ['config.experiments[0].end']);
  const neg = await app.inject({ method: 'POST', url: '/api/models/x/fit', payload: { config: { ...demoConfig(channels), priors: { roi: { [channels[0]]: { mean: 2, sd: -1 } } } } } });
  assert.equal(neg.statusCode, 400, neg.body);
  assert.ok(neg.json().problems.some((p: { field?: string }) => p.field === `config.priors.roi.${channels[0]}.sd`), neg.body);
});

test('the catalog lists what a config may choose: transforms with their parameters, the families, curve parameters, signs', async () => {
  const r = await app.inject({ url: '/api/catalog' });
  assert.equal(r.statusCode, 200, r.body);
  const c = r.json();
  assert.deepEqual(c.families, ['bayesian', 'linear', 'ridge', 'forest', 'boosting']);
  assert.deepEqual(c.transforms.filter((t: { kind: string }) => t.kind === 'saturation').map((t: { name: string }) => t.name), ['hill', 'logistic', 'michaelis-menten']);
  const hill = c.transforms.find((t: { name: string }) => t.name === 'hill');
  assert.deepEqual(hill.families, c.families);
  assert.deepEqual(hill.parameters.map((p: { name: string; key: string; role?: string }) => [p.name, p.key, p.role]), [['K', 'k', 'halfSaturation'], ['S', 's', 'shape']]);
  assert.deepEqual(hill.parameters[0].prior, { dist: 'logNormal', mu: 0, sigma: 0.7 });
  assert.deepEqual(hill.parameters[0].support, { type: 'positive' });
  // The delay of a delayed adstock is bounded by the lags: given at the catalog's maxLag.
  const theta = c.transforms.find((t: { name: string }) => t.name === 'delayed').parameters[1];
  assert.equal(theta.dependsOnMaxLag, true);
  assert.deepEqual(theta.support, { type: 'interval', lower: 0, upper: c.maxLag - 1 });
  assert.deepEqual(c.curveParameters.map((p: { name: string; kind: string }) => `${p.name}:${p.kind}`), ['decay:adstock', 'halfSaturation:saturation', 'shape:saturation']);
  assert.deepEqual(c.controlSigns, ['auto', 'positive', 'negative']);
});

test('OpenAPI lists every route with its schemas', async () => {
  const doc = (await app.inject({ url: '/api/openapi.json' })).json();
  assert.equal(doc.openapi, '3.1.0');
  for (const p of ['/api/datasets', '/api/harmonized', '/api/models', '/api/models/{id}/fit', '/api/models/{id}/insights', '/api/jobs/{id}/events', '/api/uploads', '/api/catalog']) assert.ok(doc.paths[p], p);
  const fit = doc.paths['/api/models/{id}/fit'].post;
  assert.ok(fit.requestBody.content['application/json'].schema.properties.config.properties.channels);
  for (const ops of Object.values(doc.paths) as Record<string, { summary?: string }>[]) for (const op of Object.values(ops)) assert.ok(op.summary);
});

test('hostile input: never a 500', async () => {
  const cases: [string, InjectOptions, number][] = [
    ['malformed JSON', { method: 'POST', url: '/api/harmonized', payload: '{"name": "x", ', headers: { 'content-type': 'application/json' } }, 400],
    ['wrong content type', { method: 'POST', url: '/api/harmonized', payload: 'name=x', headers: { 'content-type': 'text/plain' } }, 415],
    ['oversized JSON body', { method: 'POST', url: '/api/harmonized', payload: JSON.stringify({ name: 'x', grain: 'week', derive: ['a'.repeat(2 * 1024 * 1024)] }), headers: { 'content-type': 'application/json' } }, 413],
    ['traversal in a dataset id', { url: '/api/datasets/..%2F..%2Fetc%2Fpasswd' }, 400],
    ['dots in a dataset id', { url: '/api/datasets/..' }, 404],
    ['traversal in an upload id', { method: 'POST', url: '/api/uploads/..%2F..%2Fx/detect', payload: { kind: 'summary' } }, 400],
    ['traversal in a job id', { url: '/api/jobs/..%2F..%2Fetc' }, 400],
    ['traversal in an export table', { url: '/api/models/demo-1/export/..%2F..%2Fetc' }, 400],
    ['unknown key in a body', { method: 'POST', url: '/api/harmonized', payload: { name: 'x', grain: 'week', sql: 'DROP TABLE models' } }, 400],
    ['SQL in an id', { url: "/api/datasets/a'%3B%20DROP%20TABLE%20datasets%3B--" }, 400],
    ['upload without multipart', { method: 'POST', url: '/api/uploads', payload: { file: 'x' } }, 415],
    ['unknown route', { url: '/api/nothing' }, 404],
    ['wrong method', { method: 'PUT', url: '/api/models' }, 404],
    ['bad query', { url: '/api/datasets/media/rows?limit=-5' }, 400],
  ];
  for (const [what, req, status] of cases) {
    const r = await app.inject(req);
    assert.equal(r.statusCode, status, `${what}: ${r.statusCode} ${r.body}`);
    const body = r.json();
    assert.equal(typeof body.error, 'string', what);
    assert.equal(typeof body.detail, 'string', what);
  }
  assert.equal((await app.inject({ url: '/api/datasets' })).json().length, 3, 'nothing was dropped');
});

test('an upload named with a path lands inside the workspace folder; a disallowed extension is refused', async () => {
  const up = await app.inject({ method: 'POST', url: '/api/uploads?kind=summary', ...multipart('../../../../tmp/evil.csv', 'date,tv_spend\n2024-01-01,1\n') });
  assert.equal(up.statusCode, 201, up.body);
  assert.equal(up.json().name, 'evil.csv');
  assert.ok(existsSync(`${demo.workspace}.files/uploads/${up.json().upload}/evil.csv`));
  const sh = await app.inject({ method: 'POST', url: '/api/uploads?kind=summary', ...multipart('run.sh', 'echo hi') });
  assert.equal(sh.statusCode, 400);
  assert.ok(readdirSync(`${demo.workspace}.files/uploads`).every((d) => /^[a-f0-9]{16}$/.test(d)));
});

test('an upload over the size limit answers 413 and keeps nothing', async () => {
  const small = await testApp(demoFiles(10, 1).workspace, { uploadLimit: 1024 });
  try {
    const r = await small.app.inject({ method: 'POST', url: '/api/uploads?kind=summary', ...multipart('big.csv', `date,tv_spend\n${'2024-01-01,1\n'.repeat(500)}`) });
    assert.equal(r.statusCode, 413, r.body);
    assert.equal(r.json().error, 'TOO_LARGE');
    const dir = `${small.ctx.uploads.dir}`;
    assert.ok(!existsSync(dir) || readdirSync(dir).length === 0);
  } finally { await small.app.close(); }
});

test('plans: optimize two plans as jobs, list, show, compare side by side, export', async () => {
  assert.ok(modelId, 'the fit test ran first');
  const m = (await app.inject({ url: `/api/models/${modelId}` })).json();
  const weekly = m.output.channels.reduce((s: number, c: { spend: number }) => s + c.spend, 0) / 104;
  const ids: string[] = [];
  for (const [name, budget] of [['base', 13 * weekly], ['more', 13 * weekly * 1.3]] as const) {
    const r = await app.inject({ method: 'POST', url: '/api/plans', payload: { name, model: modelId, budget, periods: 13, draws: 20 } });
    assert.equal(r.statusCode, 202, r.body);
    const done = await waitJob(app, r.json().id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    const spent = done.result.allocation.reduce((s: number, a: { spend: number }) => s + a.spend, 0);
    assert.ok(Math.abs(spent - budget) < 1e-6 * budget, `allocation sums to the budget: ${spent} vs ${budget}`);
    assert.ok(done.result.total.expected >= done.result.baseline.expected - 1e-6 * Math.abs(done.result.baseline.expected));
    ids.push(done.result.planId);
  }
  assert.deepEqual(ids, ['base-1', 'more-1']);
  const list = (await app.inject({ url: '/api/plans' })).json();
  assert.deepEqual(list.map((p: { id: string }) => p.id), ids);
  assert.equal((await app.inject({ url: '/api/plans/base-1' })).json().spec.name, 'base');
  const cmp = await app.inject({ url: `/api/plans/compare?ids=${ids.join(',')}` });
  assert.equal(cmp.statusCode, 200, cmp.body);
  const c = cmp.json();
  assert.equal(c.plans.length, 2);
  assert.equal(c.comparisons[0].rows.length, channels.length);
  assert.ok(Math.abs(c.comparisons[0].difference.budget - 0.3 * 13 * weekly) < 1e-6 * weekly * 13);
  const csv = await app.inject({ url: '/api/plans/more-1/export' });
  assert.equal(csv.body.trim().split('\n').length, channels.length + 1);
  const monthly = await app.inject({ url: '/api/plans/more-1/export?table=monthly' });
  assert.match(monthly.body.split('\n')[0], /^model,period,expected,expectedLow,expectedHigh,base,media$/);
  const xlsx = await app.inject({ url: '/api/plans/more-1/export?format=xlsx' });
  assert.equal(xlsx.statusCode, 200);
  assert.equal(xlsx.rawPayload.subarray(0, 2).toString(), 'PK', 'an XLSX (zip) workbook');
  assert.equal((await app.inject({ url: '/api/plans/more-1/export?table=secrets' })).statusCode, 400);
  assert.equal((await app.inject({ method: 'POST', url: '/api/plans', payload: { model: 'nope-9', budget: 1 } })).statusCode, 404);
  assert.equal((await app.inject({ method: 'POST', url: '/api/plans', payload: { model: modelId } })).statusCode, 400);
  // A minimum above its maximum is refused with the request (no job), naming the channel's bounds.
  const jobsBefore = (await app.inject({ url: '/api/jobs' })).json().length;
  const reversed = await app.inject({ method: 'POST', url: '/api/plans', payload: { model: modelId, budget: 1000, constraints: { [channels[0]]: { min: 500, max: 100 } } } });
  assert.equal(reversed.statusCode, 400, reversed.body);
  assert.deepEqual(reversed.json().problems.map((p: { field?: string }) => p.field), [`constraints.${channels[0]}`]);
  assert.match(reversed.json().problems[0].message, /the minimum spend 500 is more than the maximum 100/);
  assert.equal((await app.inject({ url: '/api/jobs' })).json().length, jobsBefore, 'no job was queued');
  // A constraint on a channel or geo the model does not have is refused before any job, naming what it has.
  const noGeo = await app.inject({ method: 'POST', url: '/api/plans', payload: { model: modelId, budget: 1000, constraints: { [`${channels[0]}@G99`]: { max: 10 } } } });
  assert.equal(noGeo.statusCode, 400, noGeo.body);
  assert.match(noGeo.json().detail, /has no geo 'G99' \(national\)/);
  // Overlapping flights are refused before any job, on the model's calendar.
  const weeks = (await app.inject({ url: `/api/models/${modelId}/insights` })).json().series.dates as string[];
  const after = (k: number) => new Date(Date.parse(`${weeks[weeks.length - 1]}T00:00:00Z`) + 7 * k * 864e5).toISOString().slice(0, 10);
  const overlap = await app.inject({ method: 'POST', url: '/api/plans', payload: { model: modelId, budget: 1000, flights: [{ name: 'a', start: after(1), periods: 6 }, { name: 'b', start: after(4), periods: 4 }] } });
  assert.equal(overlap.statusCode, 400, overlap.body);
  assert.match(overlap.json().detail, /flight 'a' runs to .*past the start of 'b'.*may not overlap/);
  const noChannel = await app.inject({ method: 'POST', url: '/api/plans', payload: { model: modelId, budget: 1000, constraints: { billboards: { max: 10 } } } });
  assert.match(noChannel.json().detail, new RegExp(`has no channel 'billboards'; the channels are ${channels.join(', ')}`));
  assert.equal((await app.inject({ url: '/api/plans/compare?ids=base-1' })).statusCode, 400);
  assert.equal((await app.inject({ url: '/api/plans/compare?ids=base-1,..%2Fetc' })).statusCode, 400);
  // Guardrailed by default, and the plan says so.
  const plan = (await app.inject({ url: '/api/plans/base-1' })).json();
  assert.deepEqual(plan.result.band, { requested: 30, applied: 30, curves: channels.length });
  // Tracking reads only a harmonized table: one that ends before the plan is refused with the plan's start named.
  const early = await app.inject({ method: 'POST', url: '/api/plans/base-1/track', payload: { data: 'demo' } });
  assert.equal(early.statusCode, 400, early.body);
  assert.match(early.json().detail, /no row for the plan's first period/);
  assert.equal((await app.inject({ method: 'POST', url: '/api/plans/base-1/track', payload: { data: '../etc/passwd' } })).statusCode, 400);
  assert.equal((await app.inject({ method: 'POST', url: '/api/plans/nope-1/track', payload: { data: 'demo' } })).statusCode, 404);
  // Rename keeps the id; delete removes the plan; bad names and unknown plans are refused, not 500.
  const renamed = await app.inject({ method: 'PATCH', url: '/api/plans/more-1', payload: { name: 'stretch' } });
  assert.equal(renamed.statusCode, 200, renamed.body);
  assert.deepEqual([renamed.json().id, renamed.json().name], ['more-1', 'stretch']);
  assert.equal((await app.inject({ method: 'PATCH', url: '/api/plans/more-1', payload: { name: '../x' } })).statusCode, 400);
  assert.equal((await app.inject({ method: 'PATCH', url: '/api/plans/nope-1', payload: { name: 'x' } })).statusCode, 404);
  assert.equal((await app.inject({ method: 'DELETE', url: '/api/plans/more-1' })).statusCode, 200);
  assert.equal((await app.inject({ url: '/api/plans/more-1' })).statusCode, 404);
  assert.equal((await app.inject({ method: 'DELETE', url: '/api/plans/more-1' })).statusCode, 404);
});

test('touchpoints: score by several methods as a job, calibrate to the model, export the tables', async () => {
  const { touchpointsCsv } = await import('./helpers.ts');
  const csv = await touchpointsCsv(channels, '2023-03-06');
  const up = await app.inject({ method: 'POST', url: '/api/uploads?kind=touchpoints', ...multipart('journeys.csv', csv) });
  assert.equal(up.statusCode, 201, up.body);
  const ing = await app.inject({ method: 'POST', url: '/api/datasets', payload: { upload: up.json().upload, kind: 'touchpoints', name: 'journeys' } });
  assert.equal(ing.statusCode, 201, ing.body);
  const r = await app.inject({ method: 'POST', url: '/api/touchpoints', payload: { data: 'journeys', methods: ['linear', 'markov', 'shapley'], model: modelId } });
  assert.equal(r.statusCode, 202, r.body);
  const done = await waitJob(app, r.json().id);
  assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
  const { summaries, calibration, topPaths } = done.result;
  assert.deepEqual(summaries.map((s: { method: string }) => s.method), ['linear', 'markov', 'shapley']);
  for (const s of summaries) {
    const credited = s.channels.reduce((a: number, c: { conversions: number }) => a + c.conversions, 0);
    assert.ok(Math.abs(credited - s.totalConversions) < 1e-6 * s.totalConversions, `${s.method} credits every conversion`);
  }
  assert.ok(calibration.consistency.filter((r: { period?: string }) => r.period !== undefined).length >= 3);
  for (const row of calibration.consistency) if (row.period !== undefined && row.touchpoints > 0) assert.ok(Math.abs(row.touchpoints - row.mmm) <= 1e-3 * Math.abs(row.mmm) + 1e-6, JSON.stringify(row));
  assert.ok(topPaths.length > 0);
  // An audience per channel: customers ranked by the first method's credit; hashed ids are SHA-256 hex.
  const aud = await app.inject({ url: `/api/touchpoints/${done.id}/audience/${channels[0]}?top=5` });
  assert.equal(aud.statusCode, 200, aud.body);
  const audLines = aud.body.trim().split('\n');
  assert.equal(audLines[0], 'customer_id,credit,journeys');
  assert.ok(audLines.length > 1 && audLines.length <= 6);
  const credits = audLines.slice(1).map((l) => Number(l.split(',')[1]));
  assert.deepEqual(credits, [...credits].sort((a, b) => b - a), 'ranked by credit');
  const hashed = (await app.inject({ url: `/api/touchpoints/${done.id}/audience/${channels[0]}?hash=sha256&top=5` })).body.trim().split('\n');
  assert.equal(hashed[0], 'hashed_id,credit,journeys');
  const { createHash } = await import('node:crypto');
  assert.equal(hashed[1].split(',')[0], createHash('sha256').update(audLines[1].split(',')[0].trim().toLowerCase()).digest('hex'));
  assert.equal((await app.inject({ url: `/api/touchpoints/${done.id}/audience/astrology` })).statusCode, 400);
  // Journeys at a glance: every touched conversion is in one path-length row, and the times add up.
  const shape = done.result.shape as { pathLength: { conversions: number }[]; timeToConvert: { share: number }[]; medianDays: number | null };
  assert.ok(Math.abs(shape.pathLength.reduce((t, p) => t + p.conversions, 0) - summaries[0].totalConversions) < 1e-6);
  assert.ok(Math.abs(shape.timeToConvert.reduce((t, p) => t + p.share, 0) - 1) < 1e-9 && shape.medianDays !== null);
  for (const t of ['channels', 'consistency', 'paths']) {
    const e = await app.inject({ url: `/api/touchpoints/${done.id}/export/${t}` });
    assert.equal(e.statusCode, 200, `${t}: ${e.body}`);
    assert.ok(e.body.trim().split('\n').length > 1);
  }
  assert.equal((await app.inject({ method: 'POST', url: '/api/touchpoints', payload: { data: 'media' } })).statusCode, 400);
  assert.equal((await app.inject({ method: 'POST', url: '/api/touchpoints', payload: { data: 'journeys', methods: ['astrology'] } })).statusCode, 400);
  // A dataset with more events than a job holds in memory is refused on its field, before any job (the bound lowered for the test).
  process.env.MARGINAL_MAX_IN_MEMORY_EVENTS = '100';
  try {
    const big = await app.inject({ method: 'POST', url: '/api/touchpoints', payload: { data: 'journeys', methods: ['linear'] } });
    assert.equal(big.statusCode, 400, big.body);
    assert.equal(big.json().field, 'data');
    assert.match(big.json().detail, /dataset 'journeys' has [\d,]+ events; the app scores at most 100 at once, with every journey in memory\. The command line's touchpoints command scores any number/);
  } finally {
    delete process.env.MARGINAL_MAX_IN_MEMORY_EVENTS;
  }

  // Contribution-share priors from these journeys into a copy of the model's config: the media share
  // from the model (its channels' share of the prediction), split by the linear credit per channel.
  const priors = await app.inject({ method: 'POST', url: `/api/touchpoints/${done.id}/priors`, payload: { confidence: 0.7 } });
  assert.equal(priors.statusCode, 200, priors.body);
  const p = priors.json() as { config: { name: string; priors: { contributionShare: Record<string, { share: number; confidence: number }> } }; priors: Record<string, { share: number }>; method: string; mediaShare: number; mediaShareFrom: string };
  assert.equal(p.method, 'linear');
  assert.equal(p.mediaShareFrom, 'model');
  const insights = (await app.inject({ url: `/api/models/${modelId}/insights` })).json() as { contributions: { kind: string; share: number }[] };
  const modelShare = insights.contributions.filter((c) => c.kind === 'channel').reduce((t, c) => t + Math.max(0, c.share), 0);
  assert.ok(Math.abs(p.mediaShare - modelShare) < 1e-9, `${p.mediaShare} vs the model's ${modelShare}`);
  const linear = summaries.find((s: { method: string }) => s.method === 'linear');
  const creditTotal = linear.channels.reduce((t: number, c: { conversions: number }) => t + c.conversions, 0);
  for (const c of linear.channels as { channel: string; conversions: number }[]) {
    assert.ok(Math.abs(p.priors[c.channel].share - modelShare * c.conversions / creditTotal) < 1e-9, c.channel);
    assert.equal(p.config.priors.contributionShare[c.channel].confidence, 0.7);
  }
  assert.match(p.config.name, /-journeys$/);
  const given = (await app.inject({ method: 'POST', url: `/api/touchpoints/${done.id}/priors`, payload: { mediaShare: 0.25 } })).json() as { mediaShare: number; mediaShareFrom: string };
  assert.deepEqual([given.mediaShare, given.mediaShareFrom], [0.25, 'given']);
  assert.equal((await app.inject({ method: 'POST', url: `/api/touchpoints/${done.id}/priors`, payload: { mediaShare: 1.5 } })).statusCode, 400);
  assert.equal((await app.inject({ method: 'POST', url: `/api/touchpoints/${done.id}/priors`, payload: { method: 'astrology' } })).statusCode, 400);
});

test('delete a dataset and a harmonized table; list jobs; cancel a finished job is a conflict; health', async () => {
  const r = await ingestVia(app, demo.files.factors, 'factors', 'scratch');
  assert.equal(r.statusCode, 201, r.body);
  assert.equal((await app.inject({ method: 'POST', url: '/api/harmonized', payload: { name: 'tmp', grain: 'month', datasets: ['sales', 'scratch'] } })).statusCode, 201);
  assert.deepEqual((await app.inject({ method: 'DELETE', url: '/api/harmonized/tmp' })).json(), { dropped: 'tmp' });
  assert.equal((await app.inject({ url: '/api/harmonized/tmp' })).statusCode, 404);
  assert.deepEqual((await app.inject({ method: 'DELETE', url: '/api/datasets/scratch' })).json(), { dropped: 'scratch' });
  assert.equal((await app.inject({ method: 'DELETE', url: '/api/datasets/scratch' })).statusCode, 404);
  assert.equal((await app.inject({ method: 'DELETE', url: '/api/harmonized/media' })).statusCode, 404, 'a dataset is not dropped through /api/harmonized');
  const jobs = (await app.inject({ url: '/api/jobs' })).json();
  assert.ok(jobs.length >= 4);
  assert.ok(jobs.every((j: { status: string }) => j.status === 'succeeded'));
  const c = await app.inject({ method: 'POST', url: `/api/jobs/${jobs[0].id}/cancel` });
  assert.equal(c.statusCode, 409);
  assert.equal((await app.inject({ url: '/api/jobs/abcdefabcdef' })).statusCode, 404);
  assert.equal((await app.inject({ url: '/api/health' })).json().ok, true);
});
