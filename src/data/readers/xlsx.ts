/** Reads the cells of one XLSX sheet as strings (dates as ISO text, numbers as JavaScript prints them). */
// ExcelJS is loaded when a workbook is read: it costs a quarter of a second of start-up to every command otherwise.
import type ExcelJS from 'exceljs';
import { basename } from 'node:path';
import { badFile } from '../../errors.ts';

/** Rows of the first sheet (or the named one), each padded to the header's width; blank rows kept so that index + 1 = Excel's row number. */
export async function readXlsxRows(file: string, sheet?: string): Promise<string[][]> {
  const { default: Excel } = await import('exceljs');
  const wb = new Excel.Workbook();
  try {
    await wb.xlsx.readFile(file);
  } catch (err) {
    throw badFile({ file: basename(file), message: `not a readable XLSX workbook (${firstLine(err)})` });
  }
  const ws = sheet ? wb.getWorksheet(sheet) : wb.worksheets[0];
  if (!ws) {
    const names = wb.worksheets.map((w) => w.name);
    throw badFile({ file: basename(file), message: sheet ? `no sheet named '${sheet}'; sheets: ${names.join(', ')}` : 'the workbook has no sheets' });
  }
  const rows: string[][] = [];
  let width = 0;
  ws.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    const n = Math.max(row.cellCount, width);
    for (let c = 1; c <= n; c++) {
      const cell = row.getCell(c);
      // ExcelJS gives every cell of a merged range the value of its top-left cell. Copied down a column,
      // that value would count twice (spend, conversions), so a merge across rows is refused; within a
      // row (a title spanning columns) the other cells read as blank.
      if (cell.isMerged && cell.master.address !== cell.address) {
        if (Number(cell.master.row) !== rowNumber) {
          throw badFile({ file: basename(file), row: Number(cell.master.row), column: rows[0]?.[c - 1] || cell.address.replace(/\d+$/, ''), message: `cells ${cell.master.address} to ${cell.address} are merged, so one value would be copied into several rows; unmerge them and give each row its own value` });
        }
        cells.push('');
        continue;
      }
      cells.push(cellText(cell.value));
    }
    while (rows.length < rowNumber - 1) rows.push([]);
    if (rowNumber === 1) width = cells.length;
    rows.push(cells);
  });
  return rows.map((r) => (r.length < width ? [...r, ...Array(width - r.length).fill('')] : r.slice(0, Math.max(width, r.length))));
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
  }
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'object') {
    if ('result' in v && v.result !== undefined) return cellText(v.result as ExcelJS.CellValue);
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('text' in v) return String(v.text);
    if ('error' in v) return String(v.error);
  }
  return String(v);
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}
