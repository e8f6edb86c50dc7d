import type { UserState } from '@backoffice/contracts';
import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Selectable,
  type SqlBool,
} from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { BadRequestError } from '../../platform/http/errors.ts';
import type {
  BudgetSummariesTable,
  DB,
  TransactionSummariesTable,
  UserSessionsTable,
  UserSummariesTable,
} from '../../db/schema.ts';
import { timestampFromText, type Database } from '../../platform/db/database.ts';

export type UserRow = Selectable<UserSummariesTable>;
export type SessionRow = Selectable<UserSessionsTable>;
export type TransactionRow = Omit<
  Selectable<TransactionSummariesTable>,
  'version_at' | 'version_id'
>;
export type BudgetRow = Omit<
  Selectable<BudgetSummariesTable>,
  'user_id' | 'version_at' | 'version_id'
>;

/** What the 360° view reads of the database, by UsersRepository.detail. */
export interface UserDetailRow {
  user: UserRow;
  sessions: Pick<SessionRow, 'session_id' | 'created_at' | 'expires_at' | 'ip' | 'user_agent'>[];
  /** Latest first. */
  transactions: TransactionRow[];
  /** Oldest first. */
  budgets: BudgetRow[];
  /** Until when the viewer's reveal of this user lasts; null when none does. */
  revealedUntil: Date | null;
}

/** The user's active sessions, latest first (at most 100): for their own list and the 360° view. */
const activeSessionsOf = (db: Database, userId: string | Expression<string>) =>
  db
    .selectFrom('user_sessions')
    .where('user_id', '=', userId)
    .where('ended_at', 'is', null)
    .where('created_at', 'is not', null)
    // Qualified: in the 360° view, created_at is also the name of its text copy, which ORDER BY would take.
    .orderBy('user_sessions.created_at', 'desc')
    .limit(100);

/** Users' emails by id, as a subquery (the audit trail names the users its entries mention). */
export const userEmailsById = (eb: ExpressionBuilder<DB, never>, ids: readonly string[]) =>
  eb.selectFrom('user_summaries').select(['id', 'email']).where('id', 'in', ids);

export interface UserFilter {
  q?: string | undefined;
  state?: UserState | undefined;
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
const EXACT_COUNT_LIMIT = 1_000;
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

  activeSessions(userId: string): Promise<SessionRow[]> {
    return activeSessionsOf(this.db, userId).selectAll().execute();
  }

  /**
   * The 360° view in one statement (one round trip instead of five): the user with their active
   * sessions, latest transactions, budgets, and until when `viewerId`'s reveal of them lasts (the
   * latest unexpired one that PiiRevealsRepository granted). Inside the arrays, times and amounts are
   * cast to text, and times parsed back as the driver parses a column, so that the rows are the same
   * as separate queries would give. The text copies keep their column's name, so every ORDER BY names
   * its table: unqualified, it would sort by the text (and read all of a user's transactions instead
   * of the index's first ten).
   */
  async detail(
    id: string,
    viewerId: string | null,
    transactions: number,
  ): Promise<UserDetailRow | undefined> {
    const userId = sql.ref<string>('u.id');
    const text = <C extends string>(column: C) => sql<string>`${sql.ref(column)}::text`.as(column);
    const nullableText = <C extends string>(column: C) =>
      sql<string | null>`${sql.ref(column)}::text`.as(column);
    const row = await this.db
      .selectFrom('user_summaries as u')
      .selectAll('u')
      .select((eb) => [
        jsonArrayFrom(
          activeSessionsOf(this.db, userId).select([
            'session_id',
            nullableText('created_at'),
            nullableText('expires_at'),
            'ip',
            'user_agent',
          ]),
        ).as('sessions'),
        jsonArrayFrom(
          this.db
            .selectFrom('transaction_summaries')
            .select([
              'id',
              'user_id',
              text('amount'),
              'description',
              'transaction_type',
              'category_id',
              'category_name',
              text('date'),
              text('created_at'),
              text('updated_at'),
            ])
            .where('user_id', '=', userId)
            .orderBy('transaction_summaries.date', 'desc')
            .limit(transactions),
        ).as('transactions'),
        jsonArrayFrom(
          this.db
            .selectFrom('budget_summaries')
            .select([
              'id',
              'name',
              text('amount'),
              text('spent'),
              'period_type',
              'status',
              'category_id',
              text('created_at'),
              text('updated_at'),
            ])
            .where('user_id', '=', userId)
            .orderBy('budget_summaries.created_at')
            .limit(100),
        ).as('budgets'),
        viewerId === null
          ? sql<Date | null>`NULL::timestamptz`.as('revealed_until')
          : eb
              .selectFrom('pii_reveals')
              .select((r) => r.fn.max('expires_at').as('until'))
              .where('staff_id', '=', viewerId)
              .where('subject_id', '=', id)
              .where('expires_at', '>', new Date())
              .as('revealed_until'),
      ])
      .where('u.id', '=', id)
      .where('u.email', 'is not', null)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const { sessions, transactions: recent, budgets, revealed_until, ...user } = row;
    return {
      user,
      sessions: sessions.map((s) => ({
        ...s,
        created_at: timestampFromText(s.created_at),
        expires_at: timestampFromText(s.expires_at),
      })),
      transactions: recent.map((t) => ({
        ...t,
        date: timestampFromText(t.date),
        created_at: timestampFromText(t.created_at),
        updated_at: timestampFromText(t.updated_at),
      })),
      budgets: budgets.map((b) => ({
        ...b,
        created_at: timestampFromText(b.created_at),
        updated_at: timestampFromText(b.updated_at),
      })),
      revealedUntil: revealed_until ?? null,
    };
  }

  /**
   * What a staff action set before the User Service's event confirms it; the users projection clears it
   * when the event arrives.
   */
  async setPending(
    executor: Database,
    id: string,
    state: UserState,
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
