import { sql, type Kysely } from 'kysely';

/**
 * Time-limited reveals of one person's personal data to one staff member, given with a justification
 * (POST /v1/admin/users/{id}/reveal). The Staff role may reveal: support must tell masked users apart,
 * and each reveal is an audit entry on that user.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pii_reveals')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('staff_id', 'uuid', (c) =>
      c.notNull().references('staff_users.id').onDelete('cascade'),
    )
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX pii_reveals_staff_idx ON pii_reveals (staff_id, expires_at)`.execute(db);
  await sql`
    INSERT INTO role_grants (role_id, "grant")
    SELECT id, 'users:reveal_pii' FROM roles WHERE name = 'Staff' AND builtin
    ON CONFLICT DO NOTHING
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DELETE FROM role_grants WHERE "grant" = 'users:reveal_pii'`.execute(db);
  await db.schema.dropTable('pii_reveals').execute();
}
