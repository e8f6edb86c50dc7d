import { sql, type Kysely } from 'kysely';

/**
 * When an audited action happened, apart from when the trail recorded it: an entry derived from a
 * platform event happened at the event's timestamp, possibly long before it was ingested. Entries
 * written before this column existed keep it NULL and hash as they did (docs/audit.md); reads take
 * coalesce(occurred_at, at), which the index below serves for sorting and date filters.
 *
 * The chain head may only move forward, onto an entry that exists with that hash: moving it back to
 * hide removed entries needs the trigger disabled, i.e. the owner or a superuser (docs/audit.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE audit_logs ADD COLUMN occurred_at timestamptz`.execute(db);
  await sql`CREATE INDEX audit_logs_happened_idx ON audit_logs ((coalesce(occurred_at, at)) DESC, seq DESC)`.execute(
    db,
  );

  await sql`
    CREATE FUNCTION audit_chain_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'audit_chain_head only moves forward: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF NEW.seq <= OLD.seq OR NOT EXISTS (
        SELECT 1 FROM audit_logs WHERE seq = NEW.seq AND hash = NEW.hash
      ) THEN
        RAISE EXCEPTION 'audit_chain_head only moves forward, onto an existing entry: (%, %) refused', NEW.seq, NEW.hash
          USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END $$
  `.execute(db);
  await sql`
    CREATE TRIGGER audit_chain_head_forward_only BEFORE UPDATE OR DELETE ON audit_chain_head
    FOR EACH ROW EXECUTE FUNCTION audit_chain_head_forward_only()
  `.execute(db);
  await sql`
    CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_forward_only()
  `.execute(db);
  await sql`REVOKE DELETE, TRUNCATE ON audit_chain_head FROM PUBLIC`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER audit_chain_head_no_truncate ON audit_chain_head`.execute(db);
  await sql`DROP TRIGGER audit_chain_head_forward_only ON audit_chain_head`.execute(db);
  await sql`DROP FUNCTION audit_chain_head_forward_only()`.execute(db);
  await sql`DROP INDEX audit_logs_happened_idx`.execute(db);
  await sql`ALTER TABLE audit_logs DROP COLUMN occurred_at`.execute(db);
}
