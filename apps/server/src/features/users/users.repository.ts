import { sql, type Expression, type Selectable, type SqlBool } from 'kysely';
import { BadRequestError } from '../../platform/http/errors.ts';
import type {
  BudgetSummariesTable,
  TransactionSummariesTable,
  UserSummariesTable,
} from '../../db/schema.ts';
import type { Database } from '../../platform/db/database.ts';

export type UserRow = Selectable<UserSummariesTable>;

export interface UserFilter {
  q?: string | undefined;
  state?: 'Active' | 'Blocked' | undefined;
  role?: 'Customer' | 'Staff' | 'Admin' | undefined;
  registeredFrom?: string | undefined;
  registeredTo?: string | undefined;
  activeWithinDays?: number | undefined;
  hasActiveSession?: boolean | undefined;
}

export type UserSort =
  'createdAt' | '-createdAt' | 'email' | '-email' | 'lastLoginAt' | '-lastLoginAt';

/** The sort key as SQL, and as the value a cursor carries. Nulls sort as the oldest time. */
const SORT_KEYS = {
  createdAt: {
    sql: sql<string>`coalesce(created_at, '-infinity'::timestamptz)`,
    of: (r: UserRow) => r.created_at?.toISOString() ?? '-infinity',
    type: 'timestamptz',
  },
  email: {
    sql: sql<string>`lower(email)`,
    of: (r: UserRow) => (r.email ?? '').toLowerCase(),
    type: 'text',
  },
  lastLoginAt: {
    sql: sql<string>`coalesce(last_login_at, '-infinity'::timestamptz)`,
    of: (r: UserRow) => r.last_login_at?.toISOString() ?? '-infinity',
    type: 'timestamptz',
  },
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** What encodeCursor writes for a time: Date.toISOString(). */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Up to this many matches are counted exactly; beyond, the planner's estimate is given (and flagged). */
const EXACT_COUNT_LIMIT = 10_000;
/**
 * A search by `q` counts no further: the trigram index finds a fragment's candidates but says nothing
 * useful about how many there are, so beyond this the answer is "more than 1,000" (a lower bound).
 */
const SEARCH_COUNT_LIMIT = 1_000;
/** A complete email address: one '@', a dot inside the domain, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
/** The start of an email address, up to its '@' at least (and no spaces). */
const EMAIL_PREFIX = /^[^\s@]+@\S*$/;

/** `q` as LIKE takes it literally: its own %, _ and \ escaped. */
const likeLiteral = (q: string) => q.toLowerCase().replace(/[\\%_]/g, '\\$&');

/**
 * How a search is answered: an id through the primary key; a complete address (`lower(email) =`) and
 * the start of one (`LIKE 'anna.k@exa%'`) through btree indexes on lower(email); anything else (part
 * of a name or of an email, a domain) through the trigram index, contained anywhere. Exported for the
 * plan tests.
 */
export function searchCondition(q: string): Expression<SqlBool> {
  if (UUID.test(q)) return sql<boolean>`id = ${q.toLowerCase()}::uuid`;
  if (EMAIL.test(q)) return sql<boolean>`lower(email) = lower(${q})`;
  if (EMAIL_PREFIX.test(q)) return sql<boolean>`lower(email) LIKE ${`${likeLiteral(q)}%`}`;
  return sql<boolean>`lower(coalesce(email, '') || ' ' || coalesce(name, '')) LIKE ${`%${likeLiteral(q)}%`}`;
}

export function encodeCursor(sort: UserSort, row: UserRow): string {
  const key = SORT_KEYS[sort.replace('-', '') as keyof typeof SORT_KEYS];
  return Buffer.from(JSON.stringify([sort, key.of(row), row.id])).toString('base64url');
}

function decodeCursor(cursor: string, sort: UserSort): [string, string] | undefined {
  try {
    const [cursorSort, value, id] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    ) as unknown[];
    const key = SORT_KEYS[sort.replace('-', '') as keyof typeof SORT_KEYS];
    return cursorSort === sort &&
      typeof value === 'string' &&
      (key.type !== 'timestamptz' ||
        value === '-infinity' ||
        (ISO_TIME.test(value) && !Number.isNaN(Date.parse(value)))) &&
      typeof id === 'string' &&
      UUID.test(id)
      ? [value, id]
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The users of the read model: search over email, name and id (see searchCondition), filters, sorts
 * with stable keyset cursors, and totals that stay cheap on millions of rows.
 * Users known only from other events (no profile yet) are not listed.
 */
export class UsersRepository {
  constructor(private readonly db: Database) {}

  private where(filter: UserFilter) {
    const conditions: Expression<SqlBool>[] = [sql<boolean>`email IS NOT NULL`];
    if (filter.q !== undefined) conditions.push(searchCondition(filter.q.trim()));
    if (filter.state !== undefined)
      conditions.push(sql<boolean>`coalesce(pending_state, state) = ${filter.state}`);
    if (filter.role !== undefined) conditions.push(sql<boolean>`role = ${filter.role}`);
    // On the sort key's expression, so that one index serves the range and the order: on created_at
    // itself PostgreSQL walked the sort index and discarded most rows (186 ms at 1M users; 0.19 ms so).
    if (filter.registeredFrom !== undefined)
      conditions.push(
        sql<boolean>`${SORT_KEYS.createdAt.sql} >= ${filter.registeredFrom}::timestamptz`,
      );
    if (filter.registeredTo !== undefined)
      conditions.push(
        sql<boolean>`created_at IS NOT NULL AND ${SORT_KEYS.createdAt.sql} < ${filter.registeredTo}::timestamptz`,
      );
    if (filter.activeWithinDays !== undefined) {
      conditions.push(
        sql<boolean>`last_activity_at >= now() - make_interval(days => ${filter.activeWithinDays})`,
      );
    }
    if (filter.hasActiveSession !== undefined) {
      conditions.push(
        filter.hasActiveSession
          ? sql<boolean>`active_sessions > 0`
          : sql<boolean>`active_sessions = 0`,
      );
    }
    return sql.join(conditions, sql` AND `);
  }

  async page(
    filter: UserFilter,
    sort: UserSort,
    position: { page: number } | { cursor: string },
    limit: number,
  ): Promise<{ rows: UserRow[]; nextCursor: string | null }> {
    const descending = sort.startsWith('-');
    const key = SORT_KEYS[sort.replace('-', '') as keyof typeof SORT_KEYS];
    const direction = sql.raw(descending ? 'DESC' : 'ASC');
    let after = sql`TRUE`;
    let offset = 0;
    if ('cursor' in position) {
      const decoded = decodeCursor(position.cursor, sort);
      if (decoded === undefined) {
        throw new BadRequestError(
          'The cursor is not valid for this sort: start again without one.',
        );
      }
      const [value, id] = decoded;
      const comparison = sql.raw(descending ? '<' : '>');
      after = sql`(${key.sql}, id) ${comparison} (${value}::${sql.raw(key.type)}, ${id}::uuid)`;
    } else {
      offset = (position.page - 1) * limit;
    }
    const result = await sql<UserRow>`
      SELECT * FROM user_summaries
      WHERE ${this.where(filter)} AND ${after}
      ORDER BY ${key.sql} ${direction}, id ${direction}
      LIMIT ${limit + 1} OFFSET ${offset}
    `.execute(this.db);
    const rows = result.rows.slice(0, limit);
    const last = rows.at(-1);
    return {
      rows,
      nextCursor:
        result.rows.length > limit && last !== undefined ? encodeCursor(sort, last) : null,
    };
  }

  /**
   * Exact up to EXACT_COUNT_LIMIT matches (and always without filters, from the counter); estimated
   * beyond. A search (`q`) is counted up to SEARCH_COUNT_LIMIT only, and never estimated: beyond, the
   * total is that limit, flagged as a lower bound (and, for clients that know only that flag, as an
   * estimate).
   */
  async total(
    filter: UserFilter,
  ): Promise<{ total: number; estimate: boolean; lowerBound: boolean }> {
    const unfiltered = Object.values(filter).every((v) => v === undefined);
    if (unfiltered) {
      const counter = await this.db
        .selectFrom('read_model_counters')
        .select('value')
        .where('name', '=', 'users.total')
        .executeTakeFirst();
      return { total: counter?.value ?? 0, estimate: false, lowerBound: false };
    }
    const search = filter.q !== undefined;
    const limit = search ? SEARCH_COUNT_LIMIT : EXACT_COUNT_LIMIT;
    const capped = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM (SELECT 1 FROM user_summaries WHERE ${this.where(filter)} LIMIT ${limit + 1}) t
    `.execute(this.db);
    const n = capped.rows[0]?.n ?? 0;
    if (n <= limit) return { total: n, estimate: false, lowerBound: false };
    if (search) return { total: limit, estimate: true, lowerBound: true };
    const plan = await sql<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>`
      EXPLAIN (FORMAT JSON) SELECT 1 FROM user_summaries WHERE ${this.where(filter)}
    `.execute(this.db);
    const estimated = plan.rows[0]?.['QUERY PLAN'][0].Plan['Plan Rows'] ?? n;
    return { total: Math.max(estimated, n), estimate: true, lowerBound: false };
  }

  /** The emails of these users, for what names them by id only (live activity). */
  async emails(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('user_summaries')
      .select(['id', 'email'])
      .where('id', 'in', ids)
      .where('email', 'is not', null)
      .execute();
    return new Map(rows.map((r) => [r.id, r.email ?? '']));
  }

  find(id: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('user_summaries')
      .selectAll()
      .where('id', '=', id)
      .where('email', 'is not', null)
      .executeTakeFirst();
  }

  activeSessions(userId: string) {
    return this.db
      .selectFrom('user_sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('ended_at', 'is', null)
      .where('created_at', 'is not', null)
      .orderBy('created_at', 'desc')
      .limit(100)
      .execute();
  }

  recentTransactions(
    userId: string,
    limit: number,
  ): Promise<Selectable<TransactionSummariesTable>[]> {
    return this.db
      .selectFrom('transaction_summaries')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('date', 'desc')
      .limit(limit)
      .execute();
  }

  budgets(userId: string): Promise<Selectable<BudgetSummariesTable>[]> {
    return this.db
      .selectFrom('budget_summaries')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .limit(100)
      .execute();
  }

  /**
   * What a staff action set before the User Service's event confirms it; the users projection clears it
   * when the event arrives.
   */
  async setPending(
    executor: Database,
    id: string,
    state: 'Active' | 'Blocked',
    correlationId: string | null,
  ): Promise<void> {
    await executor
      .updateTable('user_summaries')
      .set({
        pending_state: state,
        pending_since: sql<Date>`now()`,
        pending_correlation_id: correlationId,
      })
      .where('id', '=', id)
      .execute();
  }
}
