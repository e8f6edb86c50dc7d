import { sql, type RawBuilder } from 'kysely';
import type { Database } from '../db/database.ts';
import { BadRequestError } from '../http/errors.ts';
import { COUNT_CAP, fieldNamed, type ResourceDefinition, type ResourceField } from './resource.ts';

export type ResourceRecord = Record<string, unknown>;
export type ResourceFilter = Record<string, unknown>;

/** Where a page ends: the sort column's and the key's values, as exact text (never rounded). */
export interface Position {
  value: unknown;
  key: unknown;
}

export interface PageRow {
  record: ResourceRecord;
  position: Position;
}

/**
 * The reads of a declared resource: one table, its declared columns only. Identifiers come from the
 * declaration (checked when the application is built); every value a caller sends is a parameter.
 */
export class ResourceRepository {
  private readonly columns: RawBuilder<unknown>;
  private readonly key: ResourceField;

  constructor(
    private readonly db: Database,
    private readonly resource: ResourceDefinition,
  ) {
    this.columns = sql.join(
      resource.fields.map((field) => sql`${sql.ref(field.column)} AS ${sql.id(field.name)}`),
    );
    this.key = fieldNamed(resource, resource.key);
  }

  private conditions(filter: ResourceFilter): RawBuilder<unknown>[] {
    const where: RawBuilder<unknown>[] = [];
    for (const field of this.resource.fields) {
      if (field.filter !== true) continue;
      const column = sql.ref(field.column);
      const value = filter[field.name];
      switch (field.type) {
        case 'text':
          if (typeof value === 'string') where.push(sql`${column} = ${value}`);
          break;
        case 'uuid':
          // The query schema let only a well-formed id through; compared as uuid, an index serves it.
          if (typeof value === 'string') where.push(sql`${column} = ${value}::uuid`);
          break;
        case 'enum':
          if (Array.isArray(value) && value.length > 0)
            where.push(sql`${column}::text = ANY(${sql.val(value)}::text[])`);
          break;
        case 'boolean':
          if (typeof value === 'boolean') where.push(sql`${column} = ${value}`);
          break;
        case 'integer':
        case 'decimal': {
          const min = filter[`${field.name}Min`];
          const max = filter[`${field.name}Max`];
          if (typeof min === 'number') where.push(sql`${column} >= ${min}`);
          if (typeof max === 'number') where.push(sql`${column} <= ${max}`);
          break;
        }
        case 'timestamp': {
          const from = filter[`${field.name}From`];
          const to = filter[`${field.name}To`];
          if (typeof from === 'string') where.push(sql`${column} >= ${from}::timestamptz`);
          if (typeof to === 'string') where.push(sql`${column} < ${to}::timestamptz`);
          break;
        }
      }
    }
    return where;
  }

  private static whereOf(conditions: RawBuilder<unknown>[]): RawBuilder<unknown> {
    return conditions.length === 0 ? sql`` : sql`WHERE ${sql.join(conditions, sql` AND `)}`;
  }

  /**
   * Up to `limit` items in `sort` order after `after` (a position from a previous page), skipping
   * `skip` first (offset pages).
   */
  async page(
    filter: ResourceFilter,
    sort: string,
    limit: number,
    after: Position | undefined,
    skip = 0,
  ): Promise<PageRow[]> {
    const descending = sort.startsWith('-');
    const field = fieldNamed(this.resource, sort.replace(/^-/, ''));
    const order = descending ? sql`DESC` : sql`ASC`;
    const conditions = this.conditions(filter);
    if (after !== undefined) {
      const pair = sql`(${sql.ref(field.column)}, ${sql.ref(this.key.column)})`;
      const position = sql`(${cast(after.value, field)}, ${cast(after.key, this.key)})`;
      conditions.push(descending ? sql`${pair} < ${position}` : sql`${pair} > ${position}`);
    }
    // The position is read as the database holds it: a timestamp's microseconds or a decimal's digits
    // would be lost on their way through JSON, and a page boundary could then skip or repeat items.
    const result = await sql<ResourceRecord & { __value: string; __key: string }>`
      SELECT ${this.columns}, ${exact(field)} AS __value, ${exact(this.key)} AS __key
      FROM ${sql.table(this.resource.table)}
      ${ResourceRepository.whereOf(conditions)}
      ORDER BY ${sql.ref(field.column)} ${order}, ${sql.ref(this.key.column)} ${order}
      LIMIT ${limit} OFFSET ${skip}
    `.execute(this.db);
    return result.rows.map((row) => ({
      record: this.toRecord(row),
      position: { value: row.__value, key: row.__key },
    }));
  }

  /** How many items match, counted no further than COUNT_CAP + 1 (so a large table costs little). */
  async count(filter: ResourceFilter): Promise<number> {
    const result = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (
        SELECT 1 FROM ${sql.table(this.resource.table)}
        ${ResourceRepository.whereOf(this.conditions(filter))}
        LIMIT ${COUNT_CAP + 1}
      ) AS matching
    `.execute(this.db);
    return result.rows[0]?.n ?? 0;
  }

  /** The item with this key; a key that is not even of the key's type names no item. */
  async find(id: string): Promise<ResourceRecord | undefined> {
    if (!isValid(id, this.key)) return undefined;
    const result = await sql<ResourceRecord>`
      SELECT ${this.columns} FROM ${sql.table(this.resource.table)}
      WHERE ${sql.ref(this.key.column)} = ${typed(id, this.key)}
    `.execute(this.db);
    const row = result.rows[0];
    return row === undefined ? undefined : this.toRecord(row);
  }

  /** Values as the API shows them: instants in ISO 8601, 64-bit integers as numbers, decimals as text. */
  private toRecord(row: ResourceRecord): ResourceRecord {
    const record: ResourceRecord = {};
    for (const field of this.resource.fields) {
      const value = row[field.name];
      record[field.name] =
        value === null || value === undefined
          ? null
          : field.type === 'timestamp'
            ? new Date(value as string | Date).toISOString()
            : field.type === 'integer'
              ? Number(value)
              : field.type === 'decimal' && typeof value === 'number'
                ? String(value)
                : value;
    }
    return record;
  }
}

/** A column's value as exact text: timestamps in UTC ISO 8601 with microseconds. */
function exact(field: ResourceField): RawBuilder<unknown> {
  const column = sql.ref(field.column);
  return field.type === 'timestamp'
    ? sql`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
    : field.type === 'boolean'
      ? sql`${column}`
      : sql`${column}::text`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isValid = (value: unknown, field: ResourceField): boolean =>
  field.type === 'integer'
    ? (typeof value === 'number' || typeof value === 'string') && /^-?\d{1,18}$/.test(String(value))
    : field.type === 'decimal'
      ? typeof value === 'number' ||
        (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
      : field.type === 'boolean'
        ? typeof value === 'boolean'
        : field.type === 'timestamp'
          ? typeof value === 'string' && !Number.isNaN(Date.parse(value))
          : field.type === 'uuid'
            ? typeof value === 'string' && UUID.test(value)
            : typeof value === 'string';

/** A value as a parameter typed like the column, so the column's index serves the comparison. */
function typed(value: unknown, field: ResourceField): RawBuilder<unknown> {
  switch (field.type) {
    case 'integer':
      return sql`${String(value)}::bigint`;
    case 'decimal':
      return sql`${String(value)}::numeric`;
    case 'timestamp':
      return sql`${value}::timestamptz`;
    case 'boolean':
      return sql`${value}::boolean`;
    case 'uuid':
      return sql`${value}::uuid`;
    default:
      return sql`${value}::text`;
  }
}

/** A cursor's value, typed as the column (a malformed one is the caller's error, not ours). */
function cast(value: unknown, field: ResourceField): RawBuilder<unknown> {
  if (!isValid(value, field))
    throw new BadRequestError('The cursor is not valid for this list: start again.');
  return typed(value, field);
}
