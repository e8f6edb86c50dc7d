import { sql, type Kysely } from 'kysely';

/**
 * The Virtual Pet platform's services (seed 001): a user may be Disabled (the account's own switch, as
 * Keycloak's `enabled`), and the Pet and Payment services keep their pets and payments. Unlike
 * transactions and budgets, which only the live traffic creates, pets and payments are created through
 * the API: referencing users makes an unknown owner a refusal rather than an orphan.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE users DROP CONSTRAINT users_state_check,
    ADD CONSTRAINT users_state_check CHECK (state IN ('Active', 'Blocked', 'Disabled'))`.execute(
    db,
  );

  await db.schema
    .createTable('pets')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('owner_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('species', 'text', (c) =>
      c.notNull().check(sql`species IN ('CAT', 'DOG', 'DRAGON', 'BUNNY', 'FOX', 'OWL', 'TURTLE')`),
    )
    .addColumn('level', 'integer', (c) => c.notNull().check(sql`level BETWEEN 1 AND 100`))
    .addColumn('health', 'integer', (c) => c.notNull().check(sql`health BETWEEN 0 AND 100`))
    .addColumn('happiness', 'integer', (c) => c.notNull().check(sql`happiness BETWEEN 0 AND 100`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status IN ('ACTIVE', 'ADOPTED')`))
    .addColumn('adopted_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  // Lists page newest first by (created_at, id), all pets or one owner's.
  await db.schema
    .createIndex('pets_created_idx')
    .on('pets')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('pets_owner_idx')
    .on('pets')
    .columns(['owner_id', 'created_at', 'id'])
    .execute();

  await db.schema
    .createTable('payments')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('users.id'))
    .addColumn('amount', 'numeric(14, 2)', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('currency', 'text', (c) => c.notNull().check(sql`currency ~ '^[A-Z]{3}$'`))
    .addColumn('method', 'text', (c) =>
      c
        .notNull()
        .check(sql`method IN ('CARD', 'PAYPAL', 'APPLE_PAY', 'GOOGLE_PAY', 'BANK_TRANSFER')`),
    )
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status IN ('INITIATED', 'SUCCEEDED', 'FAILED', 'REFUNDED')`),
    )
    .addColumn('description', 'text')
    .addColumn('failure_reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('payments_created_idx')
    .on('payments')
    .columns(['created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('payments_user_idx')
    .on('payments')
    .columns(['user_id', 'created_at', 'id'])
    .execute();
  // The settlement sweep looks for the few payments still waiting for their outcome.
  await db.schema
    .createIndex('payments_initiated_idx')
    .on('payments')
    .column('created_at')
    .where(sql.ref('status'), '=', 'INITIATED')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('payments').execute();
  await db.schema.dropTable('pets').execute();
  // The nearest state the old constraint allows: the person still cannot sign in.
  await sql`UPDATE users SET state = 'Blocked' WHERE state = 'Disabled'`.execute(db);
  await sql`ALTER TABLE users DROP CONSTRAINT users_state_check,
    ADD CONSTRAINT users_state_check CHECK (state IN ('Active', 'Blocked'))`.execute(db);
}
