/**
 * The model wizard's own checks and the field labels: what is refused before anything is sent, under
 * which label — and a config field the server names reads as the same label the form shows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wizardProblems, type WizardState } from '../../web/src/pages/modelChecks.ts';
import { fieldKey, fieldLabel } from '../../web/src/fields.ts';
import { issueProblems } from '../../src/validation.ts';
import { modelConfigSchema } from '../../src/models/config.ts';

const ok: WizardState = {
  table: { from: '2023-01-02', to: '2024-12-30', periods: 105 },
  target: 'revenue', kind: 'revenue', rpc: '',
  channels: [{ name: 'tv', on: true, roiMean: '', roiSd: '', priorOn: 'roi', share: '', curve: { decay: { mean: '', sd: '' } } }],
  curveKeys: () => ['decay'], fractionKeys: ['decay'],
  yearly: 2, maxLag: 8, holdout: 8, experiments: [], name: 'weekly', family: 'bayesian', bootstrap: '', search: { on: false, iterations: 2000, trials: 5 },
};
const fields = (s: Partial<WizardState>) => wizardProblems({ ...ok, ...s }).map((p) => p.field);
const tv = (c: Partial<WizardState['channels'][number]>) => [{ ...ok.channels[0], ...c }];

test('a complete form has no problems', () => {
  assert.deepEqual(wizardProblems(ok), []);
});

test('a negative or half-given prior is said, never dropped', () => {
  assert.deepEqual(fields({ channels: tv({ roiMean: '2', roiSd: '-1' }) }), ['priors.roi.tv.sd']);
  assert.deepEqual(fields({ channels: tv({ roiMean: '2' }) }), ['priors.roi.tv.sd']);
  assert.deepEqual(fields({ channels: tv({ roiMean: '0', roiSd: '1', priorOn: 'mroi' }) }), ['priors.mroi.tv.mean']);
  assert.deepEqual(fields({ channels: tv({ share: '120' }) }), ['priors.contributionShare.tv.share']);
  assert.deepEqual(fields({ channels: tv({ curve: { decay: { mean: '1.2', sd: '0.1' } } }) }), ['priors.curves.tv.decay.mean']);
  assert.deepEqual(fields({ channels: tv({ roiMean: '2', roiSd: '0.5', share: '20' }) }), []);
});

test('lift tests: dates real, in order and inside the table; lift and its error given', () => {
  const x = { channel: 'tv', start: '2024-03-04', end: '2024-04-01', lift: '1200', liftSe: '300' };
  assert.deepEqual(fields({ experiments: [x] }), []);
  assert.deepEqual(fields({ experiments: [{ ...x, end: '2024-02-01' }] }), ['experiments[0].end']);
  assert.deepEqual(fields({ experiments: [{ ...x, start: '2024-02-30' }] }), ['experiments[0].start']);
  assert.deepEqual(fields({ experiments: [{ ...x, start: '2022-05-02' }] }), ['experiments[0].start']);
  assert.deepEqual(fields({ experiments: [{ ...x, channel: 'radio', liftSe: '' }] }), ['experiments[0].channel', 'experiments[0].liftSe']);
});

test('name, holdout and settings are checked with the step they are on', () => {
  const p = wizardProblems({ ...ok, name: '', holdout: 100, channels: tv({ on: false }) });
  assert.deepEqual(p.map((x) => [x.step, x.field]), [[1, 'channels'], [3, 'holdout.periods'], [5, 'name']]);
  assert.match(p[1].message, /keep at most 96 out/);
  assert.deepEqual(fields({ name: 'has space' }), ['name']);
  assert.deepEqual(fields({ family: 'ridge', bootstrap: '-3', search: { on: true, iterations: 0, trials: 5 } }), ['classic.bootstrap', 'search.iterations']);
});

test('the server names a field the way the form labels it', () => {
  const r = modelConfigSchema.safeParse({ data: { harmonized: 't' }, target: { column: 'revenue' }, channels: [{ name: 'tv', spend: 'tv_spend' }], experiments: [{ channel: 'tv', start: 'soon', end: '2024-01-01', lift: 1, liftSe: 1 }], priors: { roi: { tv: { mean: 2, sd: -1 } } } }, { reportInput: true });
  assert.ok(!r.success);
  const got = issueProblems(r.error, 'config');
  const keys = got.map((p) => fieldKey(p.field)).sort();
  assert.deepEqual(keys, ['experiments[0].start', 'priors.roi.tv.sd']);
  assert.equal(fieldLabel('config.experiments[0].start'), 'Lift test 1, start date');
  assert.equal(fieldLabel('config.priors.roi.tv.sd'), 'ROI prior spread (sd) for tv');
  assert.equal(fieldLabel('constraints.tv.min'), 'Minimum spend for tv');
  assert.equal(fieldLabel('config.target.revenuePerConversion'), 'Revenue per conversion');
  // Nothing the forms show reads as a schema path or a flag.
  for (const p of got) assert.doesNotMatch(`${fieldLabel(p.field)}: ${p.message}`, /`|--[a-z]|\[\d+\]|\b[A-Za-z]\w+\.[A-Za-z]\w+/);
});
