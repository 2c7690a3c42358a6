import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, inlineScript, jsonForScript } from './escape.ts';

test('escapeHtml escapes the five HTML-special characters and nothing else', () => {
  assert.equal(escapeHtml('<img src=x onerror="alert(1)">'), '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
  assert.equal(escapeHtml(`a & b's "c"`), 'a &amp; b&#39;s &quot;c&quot;');
  assert.equal(escapeHtml('=cmd|"/c calc"!A1'), '=cmd|&quot;/c calc&quot;!A1');
  assert.equal(escapeHtml('&amp;'), '&amp;amp;', 'already-escaped text is escaped again, not trusted');
  assert.equal(escapeHtml('plain tv — 50%'), 'plain tv — 50%');
  assert.equal(escapeHtml(3.5), '3.5');
  assert.equal(escapeHtml(null), '');
  assert.equal(escapeHtml(undefined), '');
});

test('jsonForScript cannot close its script element and round-trips through JSON.parse', () => {
  const value = { name: '</script><script>alert(1)</script>', c: '<!-- x -->', amp: 'a&b', ls: 'x\u2028y\u2029z', n: [1.5, -2, null] };
  const out = jsonForScript(value);
  assert.doesNotMatch(out, /<|>|&/);
  assert.doesNotMatch(out, /[\u2028\u2029]/);
  assert.deepEqual(JSON.parse(out), value);
  assert.equal(jsonForScript({ a: '</script>' }), '{"a":"\\u003c/script\\u003e"}');
  assert.equal(jsonForScript({ x: NaN, y: Infinity }), '{"x":null,"y":null}');
});

test('inlineScript neutralizes </script (any case) and <!-- without changing what the JavaScript means', () => {
  const src = 'var a = "</script>", b = "</SCRIPT >", c = "<!-- hi";';
  const out = inlineScript(src);
  assert.doesNotMatch(out, /<\/script/i);
  assert.doesNotMatch(out, /<!--/);
  const run = (code: string) => new Function(`${code}; return [a, b, c];`)();
  assert.deepEqual(run(out), run(src));
  assert.equal(inlineScript('no tags here'), 'no tags here');
});
