import { sql, type Kysely } from 'kysely';

/**
 * Staff accounts, their sessions (for every provider: external tokens get a session row on first use,
 * so revocation and step-up work alike), TOTP, roles with grants, assignments, the append-only history
 * of every role change, sign-in throttling and WebSocket tickets.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // Append-only tables refuse UPDATE and DELETE (and TRUNCATE) at the database itself.
  await sql`
    CREATE FUNCTION reject_modification() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$
  `.execute(db);

  await db.schema
    .createTable('staff_users')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('password_hash', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('provider', 'text', (c) => c.notNull().defaultTo('builtin'))
    .addColumn('external_subject', 'text')
    .addColumn('must_change_password', 'boolean', (c) => c.notNull().defaultTo(false))
    // TOTP secrets are encrypted with the instance key (AES-256-GCM); never stored or logged in clear.
    .addColumn('totp_secret', 'text')
    .addColumn('totp_pending_secret', 'text')
    .addColumn('totp_enabled_at', 'timestamptz')
    .addColumn('totp_last_step', 'bigint')
    .addColumn('last_login_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'uuid')
    .addCheckConstraint('staff_users_status_check', sql`status IN ('active', 'disabled')`)
    .addCheckConstraint(
      'staff_users_provider_check',
      sql`provider IN ('builtin', 'upstream-session', 'oidc')`,
    )
    .execute();
  await sql`CREATE UNIQUE INDEX staff_users_email_uq ON staff_users (lower(email))`.execute(db);
  await sql`
    CREATE UNIQUE INDEX staff_users_external_uq ON staff_users (provider, external_subject)
    WHERE external_subject IS NOT NULL
  `.execute(db);

  await db.schema
    .createTable('staff_recovery_codes')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('staff_id', 'uuid', (c) =>
      c.notNull().references('staff_users.id').onDelete('cascade'),
    )
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('used_at', 'timestamptz')
    .execute();
  await db.schema
    .createIndex('staff_recovery_codes_staff_idx')
    .on('staff_recovery_codes')
    .column('staff_id')
    .execute();

  await db.schema
    .createTable('staff_sessions')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('token_hash', 'bytea', (c) => c.notNull().unique())
    .addColumn('staff_id', 'uuid', (c) =>
      c.notNull().references('staff_users.id').onDelete('cascade'),
    )
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('mfa_verified_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_by', 'uuid')
    .addColumn('revoke_reason', 'text')
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await sql`CREATE INDEX staff_sessions_live_idx ON staff_sessions (staff_id) WHERE revoked_at IS NULL`.execute(
    db,
  );
  await db.schema
    .createIndex('staff_sessions_expires_idx')
    .on('staff_sessions')
    .column('expires_at')
    .execute();

  await db.schema
    .createTable('roles')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('builtin', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`CREATE UNIQUE INDEX roles_name_uq ON roles (lower(name))`.execute(db);

  await db.schema
    .createTable('role_grants')
    .addColumn('role_id', 'uuid', (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('grant', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_grants_pk', ['role_id', 'grant'])
    .execute();

  await db.schema
    .createTable('staff_role_assignments')
    .addColumn('staff_id', 'uuid', (c) =>
      c.notNull().references('staff_users.id').onDelete('cascade'),
    )
    .addColumn('role_id', 'uuid', (c) => c.notNull().references('roles.id').onDelete('restrict'))
    .addColumn('assigned_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('assigned_by', 'uuid')
    .addPrimaryKeyConstraint('staff_role_assignments_pk', ['staff_id', 'role_id'])
    .execute();
  await db.schema
    .createIndex('staff_role_assignments_role_idx')
    .on('staff_role_assignments')
    .column('role_id')
    .execute();

  await db.schema
    .createTable('role_history')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'uuid')
    .addColumn('actor_email', 'text')
    // No foreign keys: history outlives the roles and people it mentions.
    .addColumn('role_id', 'uuid', (c) => c.notNull())
    .addColumn('role_name', 'text', (c) => c.notNull())
    .addColumn('staff_id', 'uuid')
    .addColumn('staff_email', 'text')
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('reason', 'text')
    .execute();
  await db.schema
    .createIndex('role_history_role_idx')
    .on('role_history')
    .columns(['role_id', 'id'])
    .execute();
  await sql`
    CREATE TRIGGER role_history_append_only BEFORE UPDATE OR DELETE ON role_history
    FOR EACH ROW EXECUTE FUNCTION reject_modification()
  `.execute(db);
  await sql`
    CREATE TRIGGER role_history_no_truncate BEFORE TRUNCATE ON role_history
    FOR EACH STATEMENT EXECUTE FUNCTION reject_modification()
  `.execute(db);

  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'timestamptz', (c) => c.notNull())
    .addColumn('locked_until', 'timestamptz')
    .execute();

  await db.schema
    .createTable('realtime_tickets')
    .addColumn('ticket_hash', 'bytea', (c) => c.primaryKey())
    .addColumn('session_id', 'uuid', (c) =>
      c.notNull().references('staff_sessions.id').onDelete('cascade'),
    )
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();

  // The two built-in roles, as the main spec defines them (Staff: read and block, personal data masked).
  await sql`
    WITH admin AS (
      INSERT INTO roles (name, description, builtin) VALUES ('Admin', 'Everything', true) RETURNING id
    ), staff AS (
      INSERT INTO roles (name, description, builtin)
      VALUES ('Staff', 'Support staff: read users, transactions and dashboards, block and unblock; personal data masked', true)
      RETURNING id
    )
    INSERT INTO role_grants (role_id, "grant")
    SELECT id, '*' FROM admin
    UNION ALL
    SELECT id, g FROM staff, unnest(ARRAY['users:read', 'users:block', 'transactions:read', 'budgets:read',
                                          'dashboard:read', 'audit:read']) AS g
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'realtime_tickets',
    'login_throttle',
    'role_history',
    'staff_role_assignments',
    'role_grants',
    'roles',
    'staff_sessions',
    'staff_recovery_codes',
    'staff_users',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await sql`DROP FUNCTION reject_modification()`.execute(db);
}
