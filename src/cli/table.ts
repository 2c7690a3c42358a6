/**
 * Plain-text tables for the CLI: each column as wide as its widest cell, numbers right-aligned, so
 * long names and wide intervals never push a row out of line. A cell may carry a shorter form
 * (`{ text, short }`, e.g. an interval in compact units): when the table is wider than the terminal,
 * every cell that has one uses it.
 */
export interface Column { header: string; align?: 'left' | 'right' }
export type Cell = string | { text: string; short: string };

/** The terminal's width when writing to one (or $COLUMNS); no limit when piped. */
export function terminalWidth(): number {
  if (process.stdout.isTTY && process.stdout.columns) return process.stdout.columns;
  const env = Number(process.env.COLUMNS);
  return env > 0 ? env : Infinity;
}

export function renderTable(columns: readonly Column[], rows: readonly (readonly Cell[])[], indent = '', maxWidth = terminalWidth()): string[] {
  const layout = (pick: (c: Cell) => string) => {
    const cells = rows.map((r) => columns.map((_, j) => pick(r[j] ?? '')));
    const width = columns.map((c, j) => Math.max(c.header.length, ...cells.map((r) => r[j].length)));
    const total = indent.length + width.reduce((a, b) => a + b, 0) + 2 * (columns.length - 1);
    return { cells, width, total };
  };
  let t = layout((c) => (typeof c === 'string' ? c : c.text));
  if (t.total > maxWidth) t = layout((c) => (typeof c === 'string' ? c : c.short));
  const line = (cells: readonly string[]) => indent + cells.map((cell, j) => (columns[j].align === 'right' ? cell.padStart(t.width[j]) : cell.padEnd(t.width[j]))).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), ...t.cells.map(line)];
}
