import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { signedIn } from '../../../test/helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { waitFor } from '../../../test/helpers/wait.ts';

/**
 * The principal of a session is served from memory, and whatever changes it — on this instance, on
 * another, or by hand in SQL — evicts it at once. The tests change rows "behind the cache's back"
 * (triggers off for one transaction: `session_replication_role = replica`) to see what is served.
 */
describe('cached principals', () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ app } = await buildTestApp(database));
    await app.ready();
    await waitFor(() => Promise.resolve(app.notifications.listening));
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const me = (headers: Record<string, string>) =>
    app.inject({ method: 'GET', url: '/v1/admin/auth/me', headers });
  /** A change no trigger announces: what a cached principal would not notice. */
  const silently = (statement: ReturnType<typeof sql>) =>
    database.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await statement.execute(trx);
    });

  it('answers from memory: a session ended silently still works, one ended normally does not', async () => {
    const staff = await signedIn(app, database.db, ['Staff']);
    expect((await me(staff.headers)).statusCode).toBe(200);
    await silently(sql`UPDATE staff_sessions SET revoked_at = now() WHERE staff_id = ${staff.id}`);
    // No look-up: the cached principal answers (without the cache, this is a 401).
    expect((await me(staff.headers)).statusCode).toBe(200);

    // The same change, announced (as any writer's is, by trigger): evicted, refused.
    await sql`UPDATE staff_sessions SET revoke_reason = 'test' WHERE staff_id = ${staff.id}`.execute(
      database.db,
    );
    await waitFor(async () => (await me(staff.headers)).statusCode === 401);
  });

  it('sees a role’s new grants as soon as they are written, by anyone', async () => {
    const staff = await signedIn(app, database.db, ['Staff']);
    const grants = async () =>
      (await me(staff.headers)).json<{ user: { permissions: string[] } }>().user.permissions;
    expect(await grants()).not.toContain('audit:export');
    // As another instance (or psql) would: straight into the table.
    await sql`INSERT INTO role_grants (role_id, "grant")
              SELECT id, 'audit:export' FROM roles WHERE name = 'Staff'`.execute(database.db);
    await waitFor(async () => (await grants()).includes('audit:export'));
    await sql`DELETE FROM role_grants WHERE "grant" = 'audit:export'
              AND role_id = (SELECT id FROM roles WHERE name = 'Staff')`.execute(database.db);
    await waitFor(async () => !(await grants()).includes('audit:export'));
  });

  it('sees an account disabled elsewhere', async () => {
    const staff = await signedIn(app, database.db, ['Staff']);
    expect((await me(staff.headers)).statusCode).toBe(200);
    await sql`UPDATE staff_users SET status = 'disabled' WHERE id = ${staff.id}`.execute(
      database.db,
    );
    await waitFor(async () => (await me(staff.headers)).statusCode === 401);
  });

  it('forgets what it cached when a write is answered here, before the answer leaves', async () => {
    const staff = await signedIn(app, database.db, ['Staff']);
    expect((await me(staff.headers)).statusCode).toBe(200);
    await silently(sql`UPDATE staff_sessions SET revoked_at = now() WHERE staff_id = ${staff.id}`);
    expect((await me(staff.headers)).statusCode).toBe(200);
    const other = await signedIn(app, database.db, ['Staff']);
    // Any staff write handled by this instance (here: a sign-out) clears the cache synchronously.
    const logout = await app.inject({
      method: 'POST',
      url: '/v1/admin/auth/logout',
      headers: other.headers,
    });
    expect(logout.statusCode).toBeLessThan(300);
    expect((await me(staff.headers)).statusCode).toBe(401);
  });

  it('trusts nothing while it cannot hear about changes', async () => {
    const { app: deaf } = await buildTestApp(database);
    try {
      await deaf.ready();
      await deaf.notifications.stop();
      const staff = await signedIn(deaf, database.db, ['Staff']);
      const call = () =>
        deaf.inject({ method: 'GET', url: '/v1/admin/auth/me', headers: staff.headers });
      expect((await call()).statusCode).toBe(200);
      await silently(
        sql`UPDATE staff_sessions SET revoked_at = now() WHERE staff_id = ${staff.id}`,
      );
      expect((await call()).statusCode).toBe(401);
    } finally {
      await deaf.close();
    }
  });
});
