import { sql, type Kysely } from 'kysely';

/**
 * The denormalized read model of the main spec (user_summaries, transaction_summaries, budget_summaries,
 * daily_transaction_metrics) plus what keeps it exact and cheap to read:
 * - per-entity versions (event timestamp, event id) so an older event never overwrites newer state; users
 *   carry two (profile and state), because user.blocked changes the state without carrying the profile;
 * - tombstones, so a late event cannot resurrect a deleted entity;
 * - counters and daily aggregates maintained by the projector, so dashboards never scan big tables.
 * Days are UTC dates.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_summaries')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // Null profile columns: a user known only from other events (a transaction arrived first).
    .addColumn('email', 'text')
    .addColumn('name', 'text')
    .addColumn('role', 'text')
    .addColumn('state', 'text')
    .addColumn('created_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz')
    .addColumn('blocked_at', 'timestamptz')
    .addColumn('blocked_by', 'uuid')
    .addColumn('block_reason', 'text')
    .addColumn('last_login_at', 'timestamptz')
    .addColumn('last_activity_at', 'timestamptz')
    .addColumn('total_transactions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total_budgets', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active_sessions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('profile_version_at', 'timestamptz')
    .addColumn('profile_version_id', 'uuid')
    .addColumn('state_version_at', 'timestamptz')
    .addColumn('state_version_id', 'uuid')
    .execute();
  await sql`CREATE INDEX user_summaries_email_idx ON user_summaries (lower(email))`.execute(db);
  await db.schema
    .createIndex('user_summaries_role_idx')
    .on('user_summaries')
    .column('role')
    .execute();
  await db.schema
    .createIndex('user_summaries_state_idx')
    .on('user_summaries')
    .column('state')
    .execute();
  await db.schema
    .createIndex('user_summaries_created_at_idx')
    .on('user_summaries')
    .column('created_at')
    .execute();
  await db.schema
    .createIndex('user_summaries_last_activity_idx')
    .on('user_summaries')
    .column('last_activity_at')
    .execute();

  await db.schema
    .createTable('user_sessions')
    .addColumn('session_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('ended_at', 'timestamptz')
    .addColumn('end_reason', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await sql`CREATE INDEX user_sessions_active_idx ON user_sessions (user_id) WHERE ended_at IS NULL`.execute(
    db,
  );

  await db.schema
    .createTable('transaction_summaries')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('amount', sql`numeric(14,2)`, (c) => c.notNull())
    .addColumn('transaction_type', 'text', (c) => c.notNull())
    .addColumn('category_id', 'uuid')
    .addColumn('category_name', 'text')
    .addColumn('date', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('version_at', 'timestamptz', (c) => c.notNull())
    .addColumn('version_id', 'uuid', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX transaction_summaries_user_date_idx ON transaction_summaries (user_id, date DESC)`.execute(
    db,
  );
  await db.schema
    .createIndex('transaction_summaries_date_idx')
    .on('transaction_summaries')
    .column('date')
    .execute();
  await db.schema
    .createIndex('transaction_summaries_category_idx')
    .on('transaction_summaries')
    .column('category_id')
    .execute();
  await db.schema
    .createIndex('transaction_summaries_type_idx')
    .on('transaction_summaries')
    .column('transaction_type')
    .execute();

  await db.schema
    .createTable('budget_summaries')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('amount', sql`numeric(14,2)`, (c) => c.notNull())
    .addColumn('period_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('spent', sql`numeric(14,2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('category_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('version_at', 'timestamptz', (c) => c.notNull())
    .addColumn('version_id', 'uuid', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('budget_summaries_user_idx')
    .on('budget_summaries')
    .column('user_id')
    .execute();
  await db.schema
    .createIndex('budget_summaries_period_idx')
    .on('budget_summaries')
    .column('period_type')
    .execute();

  await db.schema
    .createTable('entity_tombstones')
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('event_id', 'uuid', (c) => c.notNull())
    .addPrimaryKeyConstraint('entity_tombstones_pk', ['entity_type', 'entity_id'])
    .execute();

  await db.schema
    .createTable('daily_transaction_metrics')
    .addColumn('date', 'date', (c) => c.primaryKey())
    .addColumn('total_transactions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total_amount', sql`numeric(18,2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('income_amount', sql`numeric(18,2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('expense_amount', sql`numeric(18,2)`, (c) => c.notNull().defaultTo(0))
    .addColumn('total_users', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // One row per (day, user) with transactions that day: what makes daily total_users exact.
  await db.schema
    .createTable('daily_transaction_users')
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('transactions', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('daily_transaction_users_pk', ['date', 'user_id'])
    .execute();

  await db.schema
    .createTable('daily_user_metrics')
    .addColumn('date', 'date', (c) => c.primaryKey())
    .addColumn('registrations', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('read_model_counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'read_model_counters',
    'daily_user_metrics',
    'daily_transaction_users',
    'daily_transaction_metrics',
    'entity_tombstones',
    'budget_summaries',
    'transaction_summaries',
    'user_sessions',
    'user_summaries',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
