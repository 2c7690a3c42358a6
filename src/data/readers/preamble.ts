/**
 * Lines some exports write above the header: GA4's block of `#` comments (property, start and end date),
 * a Google Ads report's title and date range (`Campaign report`, `"March 1, 2024 - March 31, 2024"`),
 * blank lines. They are skipped, so such a file loads as exported; line numbers in messages stay those
 * of the file. A line is above the header when it is blank, starts with `#`, or has no delimiter outside
 * quotes while a later line has one. A file with no line holding a delimiter is left as it is (one column).
 */
export const DELIMITERS = [',', ';', '\t', '|'] as const;

/** Delimiters of a line counted outside quotes. */
function countDelimiters(line: string): Record<string, number> {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0, '|': 0 };
  let inQuotes = false;
  for (const ch of line) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch in counts) counts[ch]++;
  }
  return counts;
}

/**
 * The text's header line (0-based; 0 for a file without a preamble) and its delimiter: the candidate
 * among `,` `;` tab `|` that appears most often in the header line, `,` when none does. `text` is the
 * start of the file (BOM removed).
 */
export function findHeader(text: string): { skip: number; delimiter: string } {
  const lines = text.split(/\r\n|\n|\r/);
  // The last line may be cut by the read buffer: it can be the header only when the file is that short.
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const counts = countDelimiters(line);
    const total = DELIMITERS.reduce((s, d) => s + counts[d], 0);
    if (total === 0) continue;
    let best = ',';
    for (const d of [';', '\t', '|']) if (counts[d] > counts[best]) best = d;
    return { skip: i, delimiter: best };
  }
  return { skip: 0, delimiter: ',' };
}
