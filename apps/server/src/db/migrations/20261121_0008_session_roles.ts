import { sql, type Kysely } from 'kysely';

/**
 * The roles an external identity provider asserted for a session's token (OIDC claims, the User
 * Service's role), kept with the session so it can be authorised without the token — a WebSocket
 * opened with a single-use ticket — and refreshed whenever the token is verified again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('staff_sessions')
    .addColumn('asserted_roles', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('staff_sessions').dropColumn('asserted_roles').execute();
}
