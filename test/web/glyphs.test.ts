/**
 * No font-dependent glyphs in what the web app and the HTML report show: emoji, dingbats (✓ ✔ ✖ ⚠),
 * hourglasses (⏳), geometric shapes (● ◆ ▲ ▼) and arrows render as empty boxes where the reader's
 * fonts lack them. Markers are drawn (CSS shapes, ECharts symbols) and said in words instead.
 * Allowed beyond ASCII: the Latin-1 supplement and Latin Extended-A (×, ±, ², ·, é…), Greek (λ, σ),
 * general punctuation (– — ‘ ’ “ ” … •), the minus sign, ≤ ≥ ≈ ≠ and €, which every standard font has.
 * Comments are not shown to anyone, so they are left out of the scan.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOTS = ['web/src', 'web/index.html', 'src/analysis/report', 'src/charts', 'src/units.ts'];
const SKIP = [/\.test\.ts$/, /api-types\.ts$/];
const ALLOWED = /[\u0000-\u007f\u00a0-\u017f\u0370-\u03ff\u2000-\u206f\u2212\u2248\u2260\u2264\u2265\u20ac]/u;

function files(path: string): string[] {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).flatMap((name) => files(join(path, name)));
}

/** The text without comments: block comments (JS, CSS, JSX's {/* … *\/}), and line comments after whitespace or at a line's start. */
export function withoutComments(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/(^|[\s;,{}()])\/\/.*$/gm, '$1');
}

/** Each character outside the allowed set, as "file:line: ✓ (U+2713)". */
export function fontDependentGlyphs(path: string, text: string): string[] {
  const found: string[] = [];
  withoutComments(text).split('\n').forEach((line, i) => {
    for (const ch of line) if (!ALLOWED.test(ch)) found.push(`${path}:${i + 1}: ${ch} (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
  });
  return found;
}

test('the scan finds emoji, dingbats and shapes, and passes typography', () => {
  assert.equal(fontDependentGlyphs('x', 'const a = "⏳ loading"; const b = \'✓\'; const c = "●";').length, 3);
  assert.equal(fontDependentGlyphs('x', 'content: "⚠ "; // fine in a comment: ✓').length, 1);
  assert.equal(fontDependentGlyphs('x', '`90% – 5%–95% · 2 × 3 − 1 ≤ 4 ± 0.5 “quoted” … λ €`').length, 0);
  assert.equal(fontDependentGlyphs('x', 'const u = "https://example.com"; /* ▲ */ {/* ◆ */}').length, 0);
  assert.equal(fontDependentGlyphs('x', 'label: "spend → outcome"').length, 1, 'arrows are not in every font');
});

test('no font-dependent glyph in the web app, the report or the charts', () => {
  const found = ROOTS.flatMap((root) => files(root))
    .filter((f) => /\.(tsx?|css|html)$/.test(f) && !SKIP.some((re) => re.test(f)))
    .flatMap((f) => fontDependentGlyphs(f, readFileSync(f, 'utf8')));
  assert.deepEqual(found, [], `draw these (CSS shapes, chart symbols) or say them in words:\n${found.join('\n')}`);
});
