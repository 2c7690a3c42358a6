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
