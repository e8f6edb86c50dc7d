import type { KnownEvent } from '@backoffice/contracts';
import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ProjectionContext, Trx } from './types.ts';

/**
 * The pieces every projection is built from. Projections follow one pattern, "load, fold, store":
 * load the current rows of the entities a batch touches (one query), fold the batch's events over them
 * in memory with the ordering rules below, then write the changed rows and the counter deltas back with
 * set-based statements. The projector holds a lock for the batch, so nothing changes in between.
 *
 * Ordering rules: an event's version is (timestamp, event_id); a field group takes the value of the
 * newest event that carries it, so the final state does not depend on arrival order; deletes are final
 * (tombstones), so no later event brings an entity back.
 */

export interface Version {
  at: Date;
  id: string;
}

export function versionOf(event: KnownEvent): Version {
  return { at: new Date(event.timestamp), id: event.event_id };
}

/** Negative when a is older than b; null versions are older than any version. */
export function compareVersions(
  a: Version | null | undefined,
  b: Version | null | undefined,
): number {
  if (a == null) return b == null ? 0 : -1;
  if (b == null) return 1;
  const byTime = a.at.getTime() - b.at.getTime();
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function isNewer(candidate: Version, current: Version | null | undefined): boolean {
  return compareVersions(candidate, current) > 0;
}

/** Groups values by key, keeping insertion order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [item]);
    else group.push(item);
  }
  return groups;
}

/** Rows of `table` whose `column` is one of `ids`, keyed by that column. */
export async function loadRows<T extends keyof DB>(
  trx: Trx,
  table: T,
  column: string,
  ids: readonly string[],
  pgType = 'uuid',
): Promise<Map<string, Selectable<DB[T]>>> {
  if (ids.length === 0) return new Map();
  const result = await sql<Selectable<DB[T]> & Record<string, unknown>>`
    SELECT * FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ANY(${arrayParam(ids, pgType)})
  `.execute(trx);
  return new Map(result.rows.map((row) => [String(row[column]), row]));
}

/** Entity ids (of one type) deleted at some point. */
export async function loadTombstones(
  trx: Trx,
  entityType: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await trx
    .selectFrom('entity_tombstones')
    .select('entity_id')
    .where('entity_type', '=', entityType)
    .where(sql<boolean>`entity_id = ANY(${arrayParam(ids, 'text')})`)
    .execute();
  return new Set(rows.map((r) => r.entity_id));
}

export async function writeTombstones(
  trx: Trx,
  entityType: string,
  tombstones: readonly { id: string; version: Version }[],
): Promise<void> {
  if (tombstones.length === 0) return;
  await sql`
    INSERT INTO entity_tombstones (entity_type, entity_id, deleted_at, event_id)
    SELECT ${entityType}, * FROM unnest(
      ${arrayParam(
        tombstones.map((t) => t.id),
        'text',
      )},
      ${arrayParam(
        tombstones.map((t) => t.version.at.toISOString()),
        'timestamptz',
      )},
      ${arrayParam(
        tombstones.map((t) => t.version.id),
        'uuid',
      )})
    ON CONFLICT DO NOTHING
  `.execute(trx);
}

/** A typed array parameter: `unnest(${arrayParam(ids, 'uuid')})`. The type comes from code, never input. */
export function arrayParam(values: readonly unknown[], pgType: string): RawBuilder<unknown> {
  return sql`${values}::${sql.raw(pgType)}[]`;
}

export type ColumnSpec<Row> = readonly (readonly [keyof Row & string, string])[];

/**
 * INSERT … SELECT FROM unnest(arrays) ON CONFLICT DO UPDATE: one statement and one parameter per column
 * whatever the number of rows. `update` lists the columns to overwrite on conflict (default: all but
 * the conflict columns).
 */
export async function upsertRows<Row extends object>(
  trx: Trx,
  table: keyof DB,
  columns: ColumnSpec<Row>,
  rows: readonly Row[],
  options: { conflict: readonly string[]; update?: readonly string[] },
): Promise<void> {
  if (rows.length === 0) return;
  const names = columns.map(([name]) => name);
  const update = options.update ?? names.filter((n) => !options.conflict.includes(n));
  const arrays = columns.map(([name, type]) =>
    arrayParam(
      rows.map((row) => toParam((row as Record<string, unknown>)[name])),
      type,
    ),
  );
  await sql`
    INSERT INTO ${sql.table(table)} (${sql.join(names.map((n) => sql.ref(n)))})
    SELECT * FROM unnest(${sql.join(arrays)})
    ON CONFLICT (${sql.join(options.conflict.map((c) => sql.ref(c)))})
    ${
      update.length === 0
        ? sql`DO NOTHING`
        : sql`DO UPDATE SET ${sql.join(update.map((c) => sql`${sql.ref(c)} = EXCLUDED.${sql.ref(c)}`))}`
    }
  `.execute(trx);
}

function toParam(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : (value ?? null);
}

export async function deleteRows(
  trx: Trx,
  table: keyof DB,
  column: string,
  ids: readonly string[],
  pgType = 'uuid',
): Promise<void> {
  if (ids.length === 0) return;
  await sql`DELETE FROM ${sql.table(table)} WHERE ${sql.ref(column)} = ANY(${arrayParam(ids, pgType)})`.execute(
    trx,
  );
}

/** Adds per-key numeric deltas; zero sums vanish. */
export class Deltas<K extends string = string> {
  readonly values = new Map<K, number>();
  add(key: K, amount: number): void {
    if (amount === 0) return;
    const next = (this.values.get(key) ?? 0) + amount;
    if (next === 0) this.values.delete(key);
    else this.values.set(key, next);
  }
}

/** Decimal string ("-12.30") to integer cents, exactly. */
export function toCents(amount: string): number {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const cents =
    Number.parseInt(whole, 10) * 100 + Number.parseInt(fraction.padEnd(2, '0').slice(0, 2), 10);
  return negative ? -cents : cents;
}

/** Integer cents to a decimal string for numeric columns. */
export function fromCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The UTC day of an instant, as 'YYYY-MM-DD'. */
export function utcDay(at: Date | string): string {
  return (typeof at === 'string' ? new Date(at) : at).toISOString().slice(0, 10);
}

export type EntityFold<E> =
  { kind: 'unchanged' } | { kind: 'deleted'; event: E } | { kind: 'upserted'; event: E };

/**
 * The rule for entities whose events carry their whole state (most of them): a delete, seen now
 * or ever (tombstone), wins; otherwise the newest event's state replaces the current one if it is newer.
 */
export function foldEntity<E extends KnownEvent>(
  current: Version | null,
  tombstoned: boolean,
  events: readonly E[],
  isDelete: (event: E) => boolean,
): EntityFold<E> {
  if (tombstoned) return { kind: 'unchanged' };
  const sorted = [...events].sort((a, b) => compareVersions(versionOf(a), versionOf(b)));
  const deletion = sorted.find(isDelete);
  if (deletion !== undefined) return { kind: 'deleted', event: deletion };
  const latest = sorted.at(-1);
  if (latest === undefined || !isNewer(versionOf(latest), current)) return { kind: 'unchanged' };
  return { kind: 'upserted', event: latest };
}

/**
 * How a projection keeps a table of entities whose events carry their whole state (see foldEntity): the
 * table is keyed by a uuid `id` and has `version_at`/`version_id` columns; deletions leave tombstones of
 * `entityType`.
 */
export interface WholeEntities<E extends KnownEvent, D extends E, T extends keyof DB> {
  table: T;
  entityType: string;
  columns: ColumnSpec<Selectable<DB[T]>>;
  idOf: (event: E) => string;
  isDelete: (event: E) => event is D;
  /** The row the state an event carries makes, at that event's version. */
  rowOf: (event: Exclude<E, D>, version: Version) => Selectable<DB[T]>;
  /**
   * Called once per entity the batch changes, with its row before and after (undefined: absent), for
   * counters and other derived figures.
   */
  changed?: (
    before: Selectable<DB[T]> | undefined,
    after: Selectable<DB[T]> | undefined,
    context: ProjectionContext,
  ) => void;
}

/**
 * Load, fold, store for whole-state entities: the current rows and tombstones of the batch's entities
 * (two queries), foldEntity per entity, then one upsert, one delete and one tombstone insert.
 */
export async function projectWholeEntities<E extends KnownEvent, D extends E, T extends keyof DB>(
  trx: Trx,
  events: readonly E[],
  context: ProjectionContext,
  spec: WholeEntities<E, D, T>,
): Promise<void> {
  type Row = Selectable<DB[T]> & { version_at: Date; version_id: string };
  const byId = groupBy(events, spec.idOf);
  const ids = [...byId.keys()];
  const [current, tombstones] = await Promise.all([
    loadRows(trx, spec.table, 'id', ids) as Promise<Map<string, Row>>,
    loadTombstones(trx, spec.entityType, ids),
  ]);
  const upserts: Selectable<DB[T]>[] = [];
  const deletes: { id: string; version: Version }[] = [];

  for (const [id, entityEvents] of byId) {
    const before = current.get(id);
    const fold = foldEntity(
      before === undefined ? null : { at: before.version_at, id: before.version_id },
      tombstones.has(id),
      entityEvents,
      spec.isDelete,
    );
    if (fold.kind === 'unchanged') continue;
    if (fold.kind === 'deleted') {
      deletes.push({ id, version: versionOf(fold.event) });
      if (before !== undefined) spec.changed?.(before, undefined, context);
    } else {
      // foldEntity returns a deletion as 'deleted', never as 'upserted'.
      const after = spec.rowOf(fold.event as Exclude<E, D>, versionOf(fold.event));
      upserts.push(after);
      spec.changed?.(before, after, context);
    }
  }

  await upsertRows(trx, spec.table, spec.columns, upserts, { conflict: ['id'] });
  await deleteRows(
    trx,
    spec.table,
    'id',
    deletes.map((d) => d.id),
  );
  await writeTombstones(trx, spec.entityType, deletes);
}
