import { sql, type Kysely } from 'kysely';

/**
 * The Virtual Pet pack's read model (seed 001): pets (Pet Service), payments (Payment Service) and
 * identity events (Keycloak's sign-ins and other user events, docs/ingestion.md). Each table has the
 * indexes its declared resource's default order, cursor pages and filters walk. Staff reads pets and
 * payments as it reads transactions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE pets (
      id uuid PRIMARY KEY,
      owner_id uuid NOT NULL,
      name text NOT NULL,
      species text NOT NULL,
      level integer NOT NULL,
      health integer NOT NULL,
      happiness integer NOT NULL,
      status text NOT NULL,
      adopted_at timestamptz,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      version_at timestamptz NOT NULL,
      version_id uuid NOT NULL
    )
  `.execute(db);
  await sql`CREATE INDEX pets_created_idx ON pets (created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX pets_owner_idx ON pets (owner_id)`.execute(db);

  await sql`
    CREATE TABLE payments (
      id uuid PRIMARY KEY,
      user_id uuid NOT NULL,
      amount numeric(14, 2) NOT NULL,
      currency text NOT NULL,
      method text NOT NULL,
      status text NOT NULL,
      description text,
      failure_reason text,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      version_at timestamptz NOT NULL,
      version_id uuid NOT NULL
    )
  `.execute(db);
  await sql`CREATE INDEX payments_created_idx ON payments (created_at DESC, id DESC)`.execute(db);
  await sql`CREATE INDEX payments_user_idx ON payments (user_id)`.execute(db);

  // Keycloak's user ids are text (a UUID in practice, but Keycloak does not promise one).
  await sql`
    CREATE TABLE identity_events (
      id uuid PRIMARY KEY,
      user_id text,
      type text NOT NULL,
      realm_id text,
      client_id text,
      session_id text,
      ip_address text,
      username text,
      error text,
      details jsonb NOT NULL DEFAULT '{}',
      occurred_at timestamptz NOT NULL
    )
  `.execute(db);
  await sql`
    CREATE INDEX identity_events_occurred_idx ON identity_events (occurred_at DESC, id DESC)
  `.execute(db);
  await sql`
    CREATE INDEX identity_events_user_idx ON identity_events (user_id, occurred_at DESC)
  `.execute(db);

  await sql`
    INSERT INTO role_grants (role_id, "grant")
    SELECT id, g FROM roles, unnest(ARRAY['pets:read', 'payments:read']) AS g
    WHERE name = 'Staff' AND builtin
    ON CONFLICT DO NOTHING
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM role_grants WHERE "grant" IN ('pets:read', 'payments:read')`.execute(db);
  await sql`DROP TABLE identity_events`.execute(db);
  await sql`DROP TABLE payments`.execute(db);
  await sql`DROP TABLE pets`.execute(db);
}
