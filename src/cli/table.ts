/**
 * Plain-text tables for the CLI: each column as wide as its widest cell, numbers right-aligned, so
 * long names and wide intervals never push a row out of line.
 */
export interface Column { header: string; align?: 'left' | 'right' }

export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[], indent = ''): string[] {
  const width = columns.map((c, j) => Math.max(c.header.length, ...rows.map((r) => (r[j] ?? '').length)));
  const line = (cells: readonly string[]) => indent + cells.map((cell, j) => (columns[j].align === 'right' ? cell.padStart(width[j]) : cell.padEnd(width[j]))).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)];
}
