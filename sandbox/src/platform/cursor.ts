import { sql, type RawBuilder } from 'kysely';
import { BadRequestError } from './errors.ts';
import type { CursorPage } from './schemas.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A position in a list ordered newest first by (created_at, id). */
export interface Position {
  createdAt: Date;
  id: string;
}

export function encodeCursor(row: { created_at: Date; id: string }): string {
  return Buffer.from(`${row.created_at.toISOString()}|${row.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): Position {
  const [at = '', id = ''] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at);
  if (Number.isNaN(createdAt.getTime()) || !UUID.test(id)) {
    throw new BadRequestError('The cursor is not one this service gave');
  }
  return { createdAt, id };
}

/** Rows after `position` in newest-first order (created_at desc, id desc): a keyset condition. */
export function after(position: Position): RawBuilder<boolean> {
  return sql<boolean>`(created_at, id) < (${position.createdAt}, ${position.id}::uuid)`;
}

/**
 * A page from up to `limit + 1` rows in list order: the extra row only says that a next page exists
 * (its cursor is that of the last row shown).
 */
export function pageOf<Row extends { created_at: Date; id: string }, T>(
  rows: readonly Row[],
  limit: number,
  toResource: (row: Row) => T,
): CursorPage<T> {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return {
    data: shown.map(toResource),
    next_cursor: rows.length > limit && last !== undefined ? encodeCursor(last) : null,
  };
}
