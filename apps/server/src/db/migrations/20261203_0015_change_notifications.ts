import { sql, type Kysely } from 'kysely';

/**
 * Changes other instances must hear of, announced by triggers.
 *
 * Every instance caches the principal of a session (who it is, its roles and grants) so that a request
 * costs no session look-up. Any write that changes what a principal is announces itself on
 * `backoffice_principals`, from triggers — so no writer, present or future, and no manual SQL can be
 * missed: `session:<id>` (the session changed, except its last-seen time), `staff:<id>` (the account,
 * its role assignments or its reveals of personal data changed), `*` (a role or its grants changed: everyone may be affected).
 *
 * A queued job wakes the job runners at once (`backoffice_jobs`), so they poll rarely.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION backoffice_principal_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      changed record;
    BEGIN
      IF TG_LEVEL = 'STATEMENT' THEN
        PERFORM pg_notify('backoffice_principals', '*');
        RETURN NULL;
      END IF;
      changed := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      IF TG_TABLE_NAME = 'staff_sessions' THEN
        IF TG_OP = 'UPDATE' AND (to_jsonb(OLD) - 'last_seen_at') = (to_jsonb(NEW) - 'last_seen_at') THEN
          RETURN NULL;
        END IF;
        PERFORM pg_notify('backoffice_principals', 'session:' || changed.id);
      ELSIF TG_TABLE_NAME = 'staff_users' THEN
        PERFORM pg_notify('backoffice_principals', 'staff:' || changed.id);
      ELSE
        PERFORM pg_notify('backoffice_principals', 'staff:' || changed.staff_id);
        IF TG_OP = 'UPDATE' THEN
          PERFORM pg_notify('backoffice_principals', 'staff:' || OLD.staff_id);
        END IF;
      END IF;
      RETURN NULL;
    END $$
  `.execute(db);
  for (const table of ['staff_sessions', 'staff_users'])
    await sql`CREATE TRIGGER principal_changed AFTER UPDATE OR DELETE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION backoffice_principal_changed()`.execute(db);
  for (const table of ['staff_role_assignments', 'pii_reveals'])
    await sql`CREATE TRIGGER principal_changed AFTER INSERT OR UPDATE OR DELETE ON ${sql.table(table)}
      FOR EACH ROW EXECUTE FUNCTION backoffice_principal_changed()`.execute(db);
  for (const table of ['roles', 'role_grants'])
    await sql`CREATE TRIGGER principal_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${sql.table(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION backoffice_principal_changed()`.execute(db);

  await sql`
    CREATE FUNCTION backoffice_job_queued() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('backoffice_jobs', '');
      RETURN NULL;
    END $$
  `.execute(db);
  await sql`CREATE TRIGGER job_queued AFTER INSERT OR UPDATE OF status ON jobs
    FOR EACH STATEMENT EXECUTE FUNCTION backoffice_job_queued()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER job_queued ON jobs`.execute(db);
  await sql`DROP FUNCTION backoffice_job_queued()`.execute(db);
  for (const table of [
    'staff_sessions',
    'staff_users',
    'staff_role_assignments',
    'pii_reveals',
    'roles',
    'role_grants',
  ])
    await sql`DROP TRIGGER principal_changed ON ${sql.table(table)}`.execute(db);
  await sql`DROP FUNCTION backoffice_principal_changed()`.execute(db);
}
