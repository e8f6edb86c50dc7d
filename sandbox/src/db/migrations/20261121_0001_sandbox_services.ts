import { sql, type Kysely } from 'kysely';

/**
 * The three services' state and the transactional outbox their events go through. No foreign keys
 * across services (transactions and budgets → users): in the platform they are separate services with
 * their own databases.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role IN ('Customer', 'Staff', 'Admin')`),
    )
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state IN ('Active', 'Blocked')`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('users_created_at_idx')
    .on('users')
    .columns(['created_at', 'id'])
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .addColumn('end_reason', 'text', (c) =>
      c.check(sql`end_reason IN ('logout', 'expired', 'forced')`),
    )
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema
    .createIndex('sessions_user_idx')
    .on('sessions')
    .columns(['user_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('sessions_open_expiry_idx')
    .on('sessions')
    .column('expires_at')
    .where(sql.ref('ended_at'), 'is', null)
    .execute();

  await db.schema
    .createTable('transactions')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('amount', 'numeric(14, 2)', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('date', 'timestamptz', (c) => c.notNull())
    .addColumn('transaction_type', 'text', (c) =>
      c.notNull().check(sql`transaction_type IN ('EXPENSE', 'INCOME')`),
    )
    .addColumn('category_id', 'uuid')
    .addColumn('category_name', 'text')
    .addColumn('reviewed_at', 'timestamptz')
    .addColumn('reviewed_by', 'text')
    .addColumn('review_note', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('transactions_user_date_idx')
    .on('transactions')
    .columns(['user_id', 'date'])
    .execute();

  await db.schema
    .createTable('budgets')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('amount', 'numeric(14, 2)', (c) => c.notNull())
    .addColumn('period_type', 'text', (c) =>
      c.notNull().check(sql`period_type IN ('WEEKLY', 'MONTHLY', 'YEARLY')`),
    )
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status IN ('DRAFT', 'ACTIVE', 'ARCHIVED')`),
    )
    .addColumn('category_id', 'uuid')
    .addColumn('spent', 'numeric(14, 2)', (c) => c.notNull())
    .addColumn('period_start', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('budgets_user_idx').on('budgets').column('user_id').execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('event_id', 'uuid', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('entity_key', 'text', (c) => c.notNull())
    .addColumn('payload', 'json', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('delivered_at', 'timestamptz')
    .execute();
  // The relay reads the undelivered rows in id order: this index holds exactly those.
  await db.schema
    .createIndex('outbox_pending_idx')
    .on('outbox')
    .column('id')
    .where(sql.ref('delivered_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['outbox', 'budgets', 'transactions', 'sessions', 'users']) {
    await db.schema.dropTable(table).execute();
  }
}
