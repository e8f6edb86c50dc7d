import { sql, type Kysely } from 'kysely';

/**
 * The audit trail: append-only (the database refuses UPDATE, DELETE and TRUNCATE) and hash-chained
 * (each entry's hash covers the previous entry's hash and its own canonical content; README "Audit").
 * `audit_chain_head` holds the last (seq, hash) and is locked by each writer, so seq is gapless across
 * concurrent writers and instances. Signed checkpoints make a rewrite of the whole tail detectable.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);

  await sql`
    CREATE TABLE audit_logs (
      seq bigint PRIMARY KEY,
      id uuid NOT NULL UNIQUE,
      at timestamptz NOT NULL,
      actor_type text NOT NULL,
      actor_id text,
      actor_email text,
      action text NOT NULL,
      resource_type text NOT NULL,
      resource_id text,
      outcome text NOT NULL CHECK (outcome IN ('success', 'denied', 'failed')),
      reason text,
      before jsonb,
      after jsonb,
      ip text,
      user_agent text,
      correlation_id text,
      event_id uuid,
      metadata jsonb,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      search_text text GENERATED ALWAYS AS (
        lower(action || ' ' || resource_type || ' ' || coalesce(resource_id, '') || ' ' ||
              coalesce(actor_email, '') || ' ' || coalesce(reason, ''))
      ) STORED
    )
  `.execute(db);
  await sql`CREATE INDEX audit_logs_at_idx ON audit_logs (at)`.execute(db);
  await sql`CREATE INDEX audit_logs_actor_idx ON audit_logs (actor_id, seq DESC)`.execute(db);
  await sql`CREATE INDEX audit_logs_actor_email_idx ON audit_logs (lower(actor_email), seq DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX audit_logs_action_idx ON audit_logs (action, seq DESC)`.execute(db);
  await sql`CREATE INDEX audit_logs_resource_idx ON audit_logs (resource_type, resource_id, seq DESC)`.execute(
    db,
  );
  await sql`CREATE INDEX audit_logs_outcome_idx ON audit_logs (outcome, seq DESC) WHERE outcome <> 'success'`.execute(
    db,
  );
  await sql`CREATE INDEX audit_logs_correlation_idx ON audit_logs (correlation_id)`.execute(db);
  await sql`CREATE UNIQUE INDEX audit_logs_event_uq ON audit_logs (event_id) WHERE event_id IS NOT NULL`.execute(
    db,
  );
  await sql`CREATE INDEX audit_logs_search_idx ON audit_logs USING gin (search_text gin_trgm_ops)`.execute(
    db,
  );

  await sql`
    CREATE TABLE audit_chain_head (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      seq bigint NOT NULL,
      hash text NOT NULL
    )
  `.execute(db);
  await sql`INSERT INTO audit_chain_head (seq, hash) VALUES (0, repeat('0', 64))`.execute(db);

  // An upstream event confirming an action the backoffice initiated is linked to that action by
  // correlation id, not copied. By correlation id, not by entry: the event may arrive before the
  // backoffice's own entry commits.
  await sql`
    CREATE TABLE audit_event_links (
      event_id uuid PRIMARY KEY,
      correlation_id text NOT NULL,
      event_type text NOT NULL,
      resource_id text,
      linked_at timestamptz NOT NULL DEFAULT now()
    )
  `.execute(db);
  await sql`CREATE INDEX audit_event_links_correlation_idx ON audit_event_links (correlation_id)`.execute(
    db,
  );

  await sql`
    CREATE TABLE audit_checkpoints (
      seq bigint PRIMARY KEY,
      hash text NOT NULL,
      signed_at timestamptz NOT NULL DEFAULT now(),
      key_id text NOT NULL,
      signature text NOT NULL
    )
  `.execute(db);

  for (const table of ['audit_logs', 'audit_event_links', 'audit_checkpoints']) {
    await sql`
      CREATE TRIGGER ${sql.raw(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION reject_modification()
    `.execute(db);
    await sql`
      CREATE TRIGGER ${sql.raw(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.table(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION reject_modification()
    `.execute(db);
    // Where the service runs as a role that does not own the table, it cannot even ask (README "Audit").
    await sql`REVOKE UPDATE, DELETE, TRUNCATE ON ${sql.table(table)} FROM PUBLIC`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_checkpoints').execute();
  await db.schema.dropTable('audit_event_links').execute();
  await db.schema.dropTable('audit_chain_head').execute();
  await db.schema.dropTable('audit_logs').execute();
}
