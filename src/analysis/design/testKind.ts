/**
 * How a designed test is described in one line, the same words on every surface (CLI table, web
 * table): a geo split by its group sizes; a time-based test by its block pattern, which is changed,
 * unchanged, unchanged, changed (ABBA, src/models/bayesian/changeTest.ts), not a plain alternation.
 */
export function testKindText(t: { kind: 'geo' | 'time'; treatment?: { geos: readonly string[] }; control?: { geos: readonly string[] }; alternate?: number }): string {
  if (t.kind === 'geo') return `${t.treatment?.geos.length ?? 0} treated / ${t.control?.geos.length ?? 0} control geos`;
  const b = t.alternate ?? 1;
  const block = b === 1 ? 'single periods' : `blocks of ${b} periods`;
  return `changed / unchanged / unchanged / changed in ${block}`;
}
