import { sql } from 'kysely';
import type { Database } from '../../src/platform/db/database.ts';

/**
 * Every read-model row, ordered, without columns that record when we wrote them: two databases that
 * received the same events in any order must give equal snapshots.
 */
export async function readModelSnapshot(db: Database): Promise<Record<string, unknown[]>> {
  const queries: Record<string, string> = {
    user_summaries: 'SELECT * FROM user_summaries ORDER BY id',
    user_sessions: 'SELECT * FROM user_sessions ORDER BY session_id',
    transaction_summaries: 'SELECT * FROM transaction_summaries ORDER BY id',
    budget_summaries: 'SELECT * FROM budget_summaries ORDER BY id',
    entity_tombstones: 'SELECT entity_type, entity_id FROM entity_tombstones ORDER BY 1, 2',
    daily_transaction_metrics:
      'SELECT date, total_transactions, total_amount, income_amount, expense_amount, total_users FROM daily_transaction_metrics WHERE total_transactions <> 0 OR total_users <> 0 ORDER BY date',
    daily_transaction_users: 'SELECT * FROM daily_transaction_users ORDER BY date, user_id',
    daily_user_metrics: 'SELECT * FROM daily_user_metrics WHERE registrations <> 0 ORDER BY date',
    read_model_counters: 'SELECT * FROM read_model_counters WHERE value <> 0 ORDER BY name',
  };
  const snapshot: Record<string, unknown[]> = {};
  for (const [name, query] of Object.entries(queries)) {
    snapshot[name] = (await sql.raw(query).execute(db)).rows;
  }
  return snapshot;
}

export async function counters(db: Database): Promise<Record<string, number>> {
  const rows = await db.selectFrom('read_model_counters').selectAll().execute();
  return Object.fromEntries(rows.filter((r) => r.value !== 0).map((r) => [r.name, r.value]));
}
