import { sql } from 'kysely';
import type { Database } from '../../platform/db/database.ts';

/** The dashboard's reads: counters, daily aggregates and the periodic snapshot — never the big tables. */
export class DashboardRepository {
  constructor(private readonly db: Database) {}

  async counters(): Promise<Record<string, number>> {
    const rows = await this.db.selectFrom('read_model_counters').selectAll().execute();
    return Object.fromEntries(rows.map((r) => [r.name, r.value]));
  }

  /** Registrations per UTC day since `from` (one row per day with any). */
  registrations(from: string) {
    return this.db
      .selectFrom('daily_user_metrics')
      .select(['date', 'registrations'])
      .where('date', '>=', from)
      .orderBy('date')
      .execute();
  }

  transactionsPerDay(from: string) {
    return this.db
      .selectFrom('daily_transaction_metrics')
      .select([
        'date',
        'total_transactions',
        'total_amount',
        'income_amount',
        'expense_amount',
        'total_users',
      ])
      .where('date', '>=', from)
      .orderBy('date')
      .execute();
  }

  async snapshot(name: string): Promise<{ value: unknown; computedAt: Date } | undefined> {
    const row = await this.db
      .selectFrom('dashboard_snapshots')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row === undefined ? undefined : { value: row.value, computedAt: row.computed_at };
  }

  /**
   * Users active in the last 30 days: a count over the table (most users match, so an index would not
   * be used: 148 ms at 1M users), taken every minute by a timer (it is not a counter: activity ages out), never on a request.
   */
  async refreshActive30d(): Promise<void> {
    await sql`
      INSERT INTO dashboard_snapshots (name, value, computed_at)
      SELECT 'users.active30d', to_jsonb(count(*)), now()
      FROM user_summaries WHERE last_activity_at >= now() - interval '30 days' AND email IS NOT NULL
      ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, computed_at = EXCLUDED.computed_at
    `.execute(this.db);
  }

  async ping(): Promise<number> {
    const started = performance.now();
    await sql`SELECT 1`.execute(this.db);
    return Math.round((performance.now() - started) * 10) / 10;
  }
}
