/**
 * How a designed test is described in one line, the same words on every surface (CLI table, web
 * table): a geo split by its group sizes; a time-based test by its block pattern, which is changed,
 * unchanged, unchanged, changed (ABBA, src/models/bayesian/changeTest.ts), not a plain alternation.
 */
export function testKindText(t: { kind: 'geo' | 'time'; treatment?: { geos: readonly string[] }; control?: { geos: readonly string[] }; alternate?: number }): string {
  if (t.kind === 'geo') return `${t.treatment?.geos.length ?? 0} treated / ${t.control?.geos.length ?? 0} control geos`;
  // Short, for a table cell: the test's detail lists its changed periods.
  const b = t.alternate ?? 1;
  return `on/off in ${b === 1 ? 'single periods' : `${b}-period blocks`} (ABBA)`;
}

/** What ABBA means, said once under a table of tests that has time-based ones. */
export const ABBA_NOTE = 'ABBA: of every four blocks, the first and the fourth carry the change (changed, unchanged, unchanged, changed), so a steady drift of the outcome weighs the same on both sides.';
