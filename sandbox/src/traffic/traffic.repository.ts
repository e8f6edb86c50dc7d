import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { HistoryCount } from './rhythm.ts';

/**
 * Random picks for the live traffic. Rows are picked at a random uuid pivot on the primary key
 * (index-backed, about uniform), which stays fast however big the tables are.
 */
export class TrafficRepository {
  constructor(private readonly db: Kysely<DB>) {}

  private async atRandomPivot<T>(
    query: SelectQueryBuilder<DB, keyof DB, T>,
    column: 'users.id' | 'transactions.id' | 'budgets.id' | 'pets.id' | 'payments.id',
  ): Promise<T | undefined> {
    const pivot = sql<string>`gen_random_uuid()`;
    return (
      (await query.where(column, '>=', pivot).orderBy(column).limit(1).executeTakeFirst()) ??
      (await query.orderBy(column).limit(1).executeTakeFirst())
    );
  }

  /** An Active user (other than `except`, when given). */
  activeUser(except?: string): Promise<{ id: string; email: string } | undefined> {
    let query = this.db
      .selectFrom('users')
      .select(['users.id', 'users.email'])
      .where('state', '=', 'Active');
    if (except !== undefined) query = query.where('users.id', '!=', except);
    return this.atRandomPivot(query, 'users.id');
  }

  transaction(): Promise<
    { id: string; transaction_type: 'EXPENSE' | 'INCOME'; category_id: string | null } | undefined
  > {
    return this.atRandomPivot(
      this.db
        .selectFrom('transactions')
        .select(['transactions.id', 'transaction_type', 'category_id']),
      'transactions.id',
    );
  }

  budget(): Promise<
    { id: string; status: 'DRAFT' | 'ACTIVE' | 'ARCHIVED'; amount: string } | undefined
  > {
    return this.atRandomPivot(
      this.db.selectFrom('budgets').select(['budgets.id', 'status', 'amount']),
      'budgets.id',
    );
  }

  /** A pet that is not deleted, with what the owner's care changes. */
  pet(): Promise<
    { id: string; owner_id: string; level: number; health: number; happiness: number } | undefined
  > {
    return this.atRandomPivot(
      this.db
        .selectFrom('pets')
        .select(['pets.id', 'owner_id', 'level', 'health', 'happiness'])
        .where('deleted_at', 'is', null),
      'pets.id',
    );
  }

  /** A payment that went through (refunds are of those). */
  succeededPayment(): Promise<{ id: string } | undefined> {
    return this.atRandomPivot(
      this.db.selectFrom('payments').select('payments.id').where('status', '=', 'SUCCEEDED'),
      'payments.id',
    );
  }

  async petCount(ownerId: string): Promise<number> {
    const row = await this.db
      .selectFrom('pets')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('owner_id', '=', ownerId)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** An active session; there are few of them, so ordering them randomly is cheap. */
  activeSession(): Promise<{ id: string } | undefined> {
    return this.db
      .selectFrom('sessions')
      .select('id')
      .where('ended_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .orderBy(sql`random()`)
      .limit(1)
      .executeTakeFirst();
  }

  /**
   * Sign-ups, sign-ins, transactions, pets created and cared for, and payments per hour of the day
   * (UTC) over the `days` days before the latest transaction or payment: the recent history, even when
   * the sandbox has been stopped for a while.
   */
  async history(days: number): Promise<HistoryCount[]> {
    const { rows } = await sql<HistoryCount>`
      WITH bounds AS (
        SELECT greatest((SELECT max(created_at) FROM transactions),
          (SELECT max(created_at) FROM payments)) - make_interval(days => ${days}) AS since
      )
      SELECT kind, hour, count(*)::int AS count FROM (
        SELECT 'sign-up' AS kind, extract(hour FROM created_at AT TIME ZONE 'UTC')::int AS hour
          FROM users, bounds WHERE created_at >= bounds.since
        UNION ALL
        SELECT 'login', extract(hour FROM created_at AT TIME ZONE 'UTC')::int
          FROM sessions, bounds WHERE created_at >= bounds.since
        UNION ALL
        SELECT 'transaction', extract(hour FROM created_at AT TIME ZONE 'UTC')::int
          FROM transactions, bounds WHERE created_at >= bounds.since
        UNION ALL
        SELECT 'pet', extract(hour FROM created_at AT TIME ZONE 'UTC')::int
          FROM pets, bounds WHERE created_at >= bounds.since
        UNION ALL
        -- A pet's last change only: close to its owner's visits over a week (weeks apart).
        SELECT 'pet-care', extract(hour FROM updated_at AT TIME ZONE 'UTC')::int
          FROM pets, bounds
          WHERE updated_at >= bounds.since AND updated_at > created_at AND deleted_at IS NULL
        UNION ALL
        SELECT 'payment', extract(hour FROM created_at AT TIME ZONE 'UTC')::int
          FROM payments, bounds WHERE created_at >= bounds.since
      ) AS recent
      GROUP BY kind, hour`.execute(this.db);
    return rows;
  }

  async userCount(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async budgetCount(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('budgets')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }
}
