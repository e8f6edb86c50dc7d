import { sql, type Kysely } from 'kysely';

/**
 * User search and operations: a trigram index over email and name (prefix and contains, any case), id
 * lookups through the primary key, keyset-friendly sort indexes; the state a staff action set before
 * the User Service's event confirms it ("pending"); and the dashboard's periodic snapshot of the few
 * figures that are not plain counters (active users in 30 days).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX user_summaries_search_idx ON user_summaries
    USING gin ((lower(coalesce(email, '') || ' ' || coalesce(name, ''))) gin_trgm_ops)
  `.execute(db);
  await sql`CREATE INDEX user_summaries_created_id_idx ON user_summaries (created_at, id) WHERE email IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX user_summaries_email_id_idx ON user_summaries (lower(email), id) WHERE email IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX user_summaries_login_id_idx ON user_summaries (last_login_at, id) WHERE email IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX user_summaries_active_sessions_idx ON user_summaries (id) WHERE active_sessions > 0`.execute(
    db,
  );

  await db.schema
    .alterTable('user_summaries')
    .addColumn('pending_state', 'text')
    .addColumn('pending_since', 'timestamptz')
    .addColumn('pending_correlation_id', 'text')
    .execute();

  await db.schema
    .createTable('dashboard_snapshots')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('computed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('dashboard_snapshots').execute();
  await db.schema
    .alterTable('user_summaries')
    .dropColumn('pending_state')
    .dropColumn('pending_since')
    .dropColumn('pending_correlation_id')
    .execute();
  for (const index of [
    'user_summaries_search_idx',
    'user_summaries_created_id_idx',
    'user_summaries_email_id_idx',
    'user_summaries_login_id_idx',
    'user_summaries_active_sessions_idx',
  ]) {
    await db.schema.dropIndex(index).execute();
  }
}
