import type { ListPage } from './types.ts';

export type CsvValue = string | number | boolean | null | undefined;

/** Spreadsheets run cells that start like a formula: keep them text (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/** RFC 4180 CSV: a header row, CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Every row of a list, fetched page by page (the largest page the API allows). */
export async function fetchAllPages<T>(
  fetchPage: (page: number, limit: number) => Promise<ListPage<T>>,
  options: { limit?: number; maxRows?: number; signal?: AbortSignal } = {},
): Promise<T[]> {
  const limit = options.limit ?? 100;
  const maxRows = options.maxRows ?? 100_000;
  const rows: T[] = [];
  for (let page = 1; ; page++) {
    options.signal?.throwIfAborted();
    const result = await fetchPage(page, limit);
    rows.push(...result.data);
    if (result.data.length === 0 || rows.length >= result.total || rows.length >= maxRows) break;
  }
  return rows.slice(0, maxRows);
}

/** Saves text as a file through the browser's download. */
export function downloadFile(
  fileName: string,
  content: string,
  type = 'text/csv;charset=utf-8',
): void {
  // The byte-order mark makes spreadsheet programs read the file as UTF-8.
  downloadBlob(fileName, new Blob(['\uFEFF', content], { type }));
}

/** Saves bytes as they are (a file the server made) through the browser's download. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1_000);
}
