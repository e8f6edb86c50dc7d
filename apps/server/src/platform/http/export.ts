import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

export const EXPORT_FORMATS = ['csv', 'ndjson'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A text a spreadsheet would run as a formula: = + - @, a tab or a carriage return first. */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain number (a negative amount) is data, not a formula. */
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. A text a spreadsheet
 * would run as a formula is prefixed with an apostrophe (OWASP "CSV injection"), so an export opened
 * in Excel or LibreOffice shows `=HYPERLINK(…)` instead of running it. Objects are written as JSON.
 */
export function csvCell(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ''
      : value instanceof Date
        ? value.toISOString()
        : typeof value === 'string'
          ? value
          : typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
            ? String(value)
            : JSON.stringify(value);
  if (typeof value === 'string' && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text))
    text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, CRLF-terminated. */
export function csvLine(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/**
 * The lines of an export, batch by batch (constant memory): CSV with a header of `columns`, or NDJSON
 * with one object per record. Records are written as given: mask them before.
 */
export async function* exportLines(
  format: ExportFormat,
  columns: readonly string[],
  batches: AsyncIterable<readonly Record<string, unknown>[]>,
): AsyncGenerator<string> {
  if (format === 'csv') yield csvLine(columns);
  for await (const batch of batches) {
    let chunk = '';
    for (const record of batch) {
      chunk +=
        format === 'csv'
          ? csvLine(columns.map((column) => record[column]))
          : `${JSON.stringify(record)}\n`;
    }
    if (chunk !== '') yield chunk;
  }
}

/** Sends an export as a download named `<name>-<UTC time>.<format>`, streamed as it is produced. */
export function sendExport(
  reply: FastifyReply,
  name: string,
  format: ExportFormat,
  lines: AsyncIterable<string>,
): FastifyReply {
  const stamp = new Date().toISOString().replaceAll(':', '-').slice(0, 19);
  return reply
    .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson')
    .header('content-disposition', `attachment; filename="${name}-${stamp}.${format}"`)
    .send(Readable.from(lines));
}
