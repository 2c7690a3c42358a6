/**
 * A duplicated model's config back in the wizard: organic channels, reach & frequency, sub-channels
 * from the table's own columns and the unbalanced-panel choice come back as the form's answers, and
 * what the form cannot say is listed as lost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wizardAnswers } from '../../web/src/pages/modelPrefill.ts';
import { parseModelConfig } from '../../src/models/config.ts';

const media = ['tv_spend', 'tv_reach', 'tv_frequency', 'search_spend', 'search__brand_spend', 'search__generic_spend', 'social_spend'];
const factors = ['price', 'newsletter'];

test('organic, reach & frequency, sub-channels and missing media come back as the wizard\'s answers', () => {
  const config = parseModelConfig({
    data: { harmonized: 't', geo: 'geo', missingMedia: 'zero' }, target: { column: 'revenue' },
    channels: [
      { name: 'tv', spend: 'tv_spend', reach: 'tv_reach', frequency: 'tv_frequency' },
      { name: 'search', spend: 'search_spend', subchannels: [{ name: 'brand', spend: 'search__brand_spend' }, { name: 'generic', spend: 'search__generic_spend' }] },
      { name: 'newsletter', exposure: 'newsletter', organic: true },
    ],
    controls: ['price'],
  });
  const a = wizardAnswers(config, media, factors, ['decay', 'halfSaturation', 'shape']);
  const by = Object.fromEntries(a.channels.map((c) => [c.name, c]));
  assert.equal(by.tv.exposure, '#rf', 'reach × frequency');
  assert.equal(by.search.split, true, 'reported by its sub-channels');
  assert.equal(by.social.on, false, 'a column the config did not use stays off');
  assert.deepEqual(a.organic, ['newsletter']);
  assert.equal(a.missingMedia, 'zero');
  assert.deepEqual(a.lost, []);
});

test('sub-channels named otherwise than the table\'s columns, and an organic channel renamed, are said to be lost', () => {
  const config = parseModelConfig({
    data: { harmonized: 't' }, target: { column: 'revenue' },
    channels: [
      { name: 'search', spend: 'search_spend', subchannels: [{ name: 'a', spend: 'x_spend' }, { name: 'b', spend: 'y_spend' }] },
      { name: 'emails', exposure: 'newsletter' },
    ],
  });
  const a = wizardAnswers(config, media, factors, []);
  assert.equal(a.missingMedia, 'refuse');
  assert.deepEqual(a.organic, ['newsletter']);
  assert.equal(a.lost.length, 2, a.lost.join(' | '));
  assert.match(a.lost.join(' | '), /sub-channels of search as configured \(a, b\)/);
  assert.match(a.lost.join(' | '), /organic channel emails \(it becomes newsletter\)/);
});
