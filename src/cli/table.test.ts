import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTable } from './table.ts';

test('columns are as wide as their widest cell; numbers right-aligned', () => {
  const lines = renderTable([{ header: 'channel' }, { header: 'ROI [90%]', align: 'right' }], [['a-very-long-control-name', '5,048 [4,532, 5,617]'], ['tv', '2.16 [1.98, 2.37]']]);
  assert.deepEqual(lines, [
    'channel                              ROI [90%]',
    'a-very-long-control-name  5,048 [4,532, 5,617]',
    'tv                           2.16 [1.98, 2.37]',
  ]);
});

test('wider than the terminal: cells with a short form use it', () => {
  const rows = [['tv', { text: '[6,084,208, 7,119,891]', short: '[6.08M, 7.12M]' }]];
  const cols = [{ header: 'channel' }, { header: 'contribution [90%]' }];
  assert.deepEqual(renderTable(cols, rows, '', 200)[1], 'tv       [6,084,208, 7,119,891]');
  assert.deepEqual(renderTable(cols, rows, '', 25)[1], 'tv       [6.08M, 7.12M]');
});
