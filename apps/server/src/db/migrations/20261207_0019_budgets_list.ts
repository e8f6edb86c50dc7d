import { sql, type Kysely } from 'kysely';

/**
 * Budgets become a declared resource (GET /v1/admin/budgets, newest first by default): the index its
 * default order and cursor pages walk, and `budgets:read` for the Staff role (support reads budgets as
 * it reads transactions).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX budget_summaries_created_idx ON budget_summaries (created_at DESC, id DESC)
  `.execute(db);
  await sql`
    INSERT INTO role_grants (role_id, "grant")
    SELECT id, 'budgets:read' FROM roles WHERE name = 'Staff' AND builtin
    ON CONFLICT DO NOTHING
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM role_grants WHERE "grant" = 'budgets:read'`.execute(db);
  await sql`DROP INDEX budget_summaries_created_idx`.execute(db);
}
