import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { PASSWORD, createStaff, signIn, signedIn } from '../../../test/helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';

describe('roles, the permission matrix and staff accounts', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let admin: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ app } = await buildTestApp(database));
    await app.ready();
    admin = await signedIn(app, database.db, ['Admin']);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const as = (headers: Record<string, string>) => ({
    get: (url: string) => app.inject({ method: 'GET', url, headers }),
    post: (url: string, payload: object = {}) =>
      app.inject({ method: 'POST', url, headers, payload }),
    put: (url: string, payload: object) => app.inject({ method: 'PUT', url, headers, payload }),
    patch: (url: string, payload: object) => app.inject({ method: 'PATCH', url, headers, payload }),
    delete: (url: string) => app.inject({ method: 'DELETE', url, headers }),
  });
  const roleId = async (name: string) =>
    (
      await database.db
        .selectFrom('roles')
        .select('id')
        .where('name', '=', name)
        .executeTakeFirstOrThrow()
    ).id;

  it('lists the built-in roles with their grants', async () => {
    const response = await as(admin.headers).get('/v1/admin/roles');
    expect(response.statusCode).toBe(200);
    const roles = response.json<{ data: { name: string; builtin: boolean; grants: string[] }[] }>()
      .data;
    expect(roles.find((r) => r.name === 'Admin')).toMatchObject({ builtin: true, grants: ['*'] });
    expect(roles.find((r) => r.name === 'Staff')?.grants).toEqual(
      expect.arrayContaining(['users:read', 'users:block', 'audit:read']),
    );
    expect(roles.find((r) => r.name === 'Staff')?.grants).not.toContain('audit:export');
  });

  it('applies a change of a role’s grants on the very next request of those who hold it', async () => {
    const created = await as(admin.headers).post('/v1/admin/roles', {
      name: `Auditors ${Date.now()}`,
      description: 'Read the trail',
      grants: ['dashboard:read'],
    });
    expect(created.statusCode).toBe(201);
    const role = created.json<{ id: string; name: string }>();
    const auditor = await createStaff(database.db, { roles: [role.name] });
    const auditorHeaders = { authorization: `Bearer ${await signIn(app, auditor.email)}` };

    expect((await as(auditorHeaders).get('/v1/admin/system/ingestion')).statusCode).toBe(403);
    const set = await as(admin.headers).put(`/v1/admin/roles/${role.id}/permissions`, {
      grants: ['dashboard:read', 'system:*'],
      reason: 'operations needs it',
    });
    expect(set.statusCode).toBe(200);
    expect(
      set
        .json<{ permissions: { permission: string; granted: boolean; viaWildcard: boolean }[] }>()
        .permissions.find((p) => p.permission === 'system:read'),
    ).toEqual({
      permission: 'system:read',
      description: expect.any(String) as string,
      granted: true,
      viaWildcard: true,
    });
    expect((await as(auditorHeaders).get('/v1/admin/system/ingestion')).statusCode).toBe(200);

    const history = await as(admin.headers).get(`/v1/admin/roles/${role.id}/history`);
    const actions = history.json<{ data: { action: string; actor: { email: string } }[] }>().data;
    expect(actions.map((a) => a.action)).toEqual([
      'role.grants_changed',
      'role.assigned',
      'role.created',
    ]);
    expect(actions[0]).toMatchObject({
      actor: { email: admin.email },
      before: { grants: ['dashboard:read'] },
      after: { grants: ['dashboard:read', 'system:*'] },
      reason: 'operations needs it',
    });
  });

  it('keeps a grant whose permission left the catalogue stored but neither shows nor grants it', async () => {
    // A grant stored while its permission was in the catalogue, which a later version withdrew (as
    // budgets:read was, for a while, when no route checked it).
    const WITHDRAWN = 'reports:read';
    const staffId = await roleId('Staff');
    await database.db
      .insertInto('role_grants')
      .values({ role_id: staffId, grant: WITHDRAWN })
      .execute();
    const stored = async () =>
      (
        await database.db
          .selectFrom('role_grants')
          .select('grant')
          .where('role_id', '=', staffId)
          .execute()
      ).map((row) => row.grant);
    expect(await stored()).toContain(WITHDRAWN);

    const catalogue = await as(admin.headers).get('/v1/admin/permissions');
    const names = catalogue.json<{ permission: string }[]>().map((p) => p.permission);
    expect(names).not.toContain(WITHDRAWN);
    const roles = await as(admin.headers).get('/v1/admin/roles');
    const staff = roles.json<{ data: { name: string; grants: string[] }[] }>().data;
    expect(staff.find((r) => r.name === 'Staff')?.grants).not.toContain(WITHDRAWN);
    const matrix = await as(admin.headers).get(`/v1/admin/roles/${staffId}/permissions`);
    const shown = matrix.json<{ grants: string[] }>().grants;
    expect(shown).not.toContain(WITHDRAWN);

    // The matrix saves what it shows: that succeeds, and the old grant stays as it was.
    const saved = await as(admin.headers).put(`/v1/admin/roles/${staffId}/permissions`, {
      grants: [...shown, 'system:read'],
      reason: 'support looks at dead letters',
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json<{ grants: string[] }>().grants).toEqual([...shown, 'system:read'].sort());
    expect(await stored()).toEqual(expect.arrayContaining([WITHDRAWN, 'system:read']));
    await as(admin.headers).put(`/v1/admin/roles/${staffId}/permissions`, { grants: shown });

    expect(
      (
        await as(admin.headers).put(`/v1/admin/roles/${staffId}/permissions`, {
          grants: [...shown, WITHDRAWN],
        })
      ).statusCode,
    ).toBe(400);
  });

  it('refuses unknown permissions, a duplicate name, and changes to the built-in Admin role', async () => {
    const unknown = await as(admin.headers).post('/v1/admin/roles', {
      name: `Bad ${Date.now()}`,
      grants: ['pets:adopt'],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ errors: [{ pointer: '/grants/0' }] });
    expect((await as(admin.headers).post('/v1/admin/roles', { name: 'staff' })).statusCode).toBe(
      409,
    );
    const adminId = await roleId('Admin');
    expect(
      (await as(admin.headers).put(`/v1/admin/roles/${adminId}/permissions`, { grants: [] }))
        .statusCode,
    ).toBe(409);
    expect((await as(admin.headers).delete(`/v1/admin/roles/${adminId}`)).statusCode).toBe(409);
    expect(
      (await as(admin.headers).patch(`/v1/admin/roles/${adminId}`, { name: 'Root' })).statusCode,
    ).toBe(409);
  });

  it('deletes a custom role only once nobody holds it', async () => {
    const role = (
      await as(admin.headers).post('/v1/admin/roles', { name: `Temp ${Date.now()}` })
    ).json<{ id: string; name: string }>();
    const holder = await createStaff(database.db, { roles: [role.name] });
    expect((await as(admin.headers).delete(`/v1/admin/roles/${role.id}`)).statusCode).toBe(409);
    await as(admin.headers).put(`/v1/admin/staff/${holder.id}/roles`, {
      roleIds: [await roleId('Staff')],
    });
    expect((await as(admin.headers).delete(`/v1/admin/roles/${role.id}`)).statusCode).toBe(204);
    const history = await database.db
      .selectFrom('role_history')
      .select('action')
      .where('role_id', '=', role.id)
      .orderBy('id')
      .execute();
    expect(history.map((h) => h.action)).toEqual([
      'role.created',
      'role.assigned',
      'role.unassigned',
      'role.deleted',
    ]);
  });

  it('keeps the role history append-only at the database', async () => {
    await expect(
      sql`UPDATE role_history SET reason = 'rewritten'`.execute(database.db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM role_history`.execute(database.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE role_history`.execute(database.db)).rejects.toThrow(/append-only/);
  });

  describe('staff accounts', () => {
    it('lists and filters staff with their roles', async () => {
      const person = await createStaff(database.db, {
        roles: ['Staff'],
        name: 'Filtered Findable',
      });
      const response = await as(admin.headers).get('/v1/admin/staff?search=findable&role=staff');
      expect(response.statusCode).toBe(200);
      const page = response.json<{
        data: { id: string; roles: { name: string }[] }[];
        total: number;
      }>();
      expect(page.total).toBe(1);
      expect(page.data[0]).toMatchObject({ id: person.id, roles: [{ name: 'Staff' }] });
    });

    it('disables an account: its sessions end and it cannot sign in', async () => {
      const person = await createStaff(database.db);
      const token = await signIn(app, person.email);
      const disabled = await as(admin.headers).patch(`/v1/admin/staff/${person.id}`, {
        status: 'disabled',
        reason: 'left the company',
      });
      expect(disabled.json()).toMatchObject({ status: 'disabled' });
      expect(
        (await as({ authorization: `Bearer ${token}` }).get('/v1/admin/auth/me')).statusCode,
      ).toBe(401);
      expect(
        (
          await app.inject({
            method: 'POST',
            url: '/v1/admin/auth/login',
            payload: { email: person.email, password: PASSWORD },
          })
        ).statusCode,
      ).toBe(401);
    });

    it('never lets the last active Admin be disabled or lose the role', async () => {
      const db = await createTestDatabase();
      const { app: fresh } = await buildTestApp(db);
      try {
        const only = await signedIn(fresh, db.db, ['Admin']);
        const other = await createStaff(db.db, { roles: ['Admin'] });
        const call = (method: 'PATCH' | 'PUT', url: string, payload: object) =>
          fresh.inject({ method, url, headers: only.headers, payload });
        const staffRole = (
          await db.db
            .selectFrom('roles')
            .select('id')
            .where('name', '=', 'Staff')
            .executeTakeFirstOrThrow()
        ).id;

        expect(
          (await call('PATCH', `/v1/admin/staff/${other.id}`, { status: 'disabled' })).statusCode,
        ).toBe(200);
        const lastDisable = await call('PATCH', `/v1/admin/staff/${only.id}`, {
          status: 'disabled',
        });
        expect(lastDisable.statusCode).toBe(409);
        const lastDemote = await call('PUT', `/v1/admin/staff/${only.id}/roles`, {
          roleIds: [staffRole],
        });
        expect(lastDemote.statusCode).toBe(409);
        expect(lastDemote.json<{ detail: string }>().detail).toMatch(/last active Admin/);
      } finally {
        await fresh.close();
        await db.drop();
      }
    });

    it('keeps one Admin when the last two remove each other at the same moment', async () => {
      const db = await createTestDatabase();
      const { app: fresh } = await buildTestApp(db);
      try {
        const [first, second] = [
          await signedIn(fresh, db.db, ['Admin']),
          await signedIn(fresh, db.db, ['Admin']),
        ];
        const staffRole = (
          await db.db
            .selectFrom('roles')
            .select('id')
            .where('name', '=', 'Staff')
            .executeTakeFirstOrThrow()
        ).id;
        const demote = (by: typeof first, id: string) =>
          fresh.inject({
            method: 'PUT',
            url: `/v1/admin/staff/${id}/roles`,
            headers: by.headers,
            payload: { roleIds: [staffRole] },
          });
        for (let round = 0; round < 5; round++) {
          const answers = await Promise.all([demote(first, second.id), demote(second, first.id)]);
          const statuses = answers.map((a) => a.statusCode).sort();
          // One wins (or, with the loser's session already stripped of the role, both are refused).
          expect([
            [200, 409],
            [200, 403],
          ]).toContainEqual(statuses);
          const admins = await db.db
            .selectFrom('staff_role_assignments as a')
            .innerJoin('roles as r', 'r.id', 'a.role_id')
            .where('r.name', '=', 'Admin')
            .select('a.staff_id')
            .execute();
          expect(admins).toHaveLength(1);
          // Make both Admins again for the next round.
          const adminRole = (
            await db.db
              .selectFrom('roles')
              .select('id')
              .where('name', '=', 'Admin')
              .executeTakeFirstOrThrow()
          ).id;
          await db.db
            .insertInto('staff_role_assignments')
            .values([first, second].map((s) => ({ staff_id: s.id, role_id: adminRole })))
            .onConflict((oc) => oc.doNothing())
            .execute();
        }
      } finally {
        await fresh.close();
        await db.drop();
      }
    });

    it('resets a lost second factor and ends the person’s sessions', async () => {
      const person = await createStaff(database.db);
      const token = await signIn(app, person.email);
      await database.db
        .updateTable('staff_users')
        .set({ totp_enabled_at: new Date(), totp_secret: 'v1.x' })
        .where('id', '=', person.id)
        .execute();
      const reset = await as(admin.headers).post(`/v1/admin/staff/${person.id}/mfa/reset`, {
        reason: 'lost phone',
      });
      expect(reset.json()).toMatchObject({ mfaEnrolled: false });
      expect(
        (await as({ authorization: `Bearer ${token}` }).get('/v1/admin/auth/me')).statusCode,
      ).toBe(401);
    });

    it('lists live sessions and ends one', async () => {
      const person = await createStaff(database.db);
      const token = await signIn(app, person.email);
      const sessions = await as(admin.headers).get(`/v1/admin/sessions?staffId=${person.id}`);
      const [session] = sessions.json<{ data: { id: string; staffEmail: string }[] }>().data;
      expect(session).toMatchObject({ staffEmail: person.email });
      expect(
        (
          await as(admin.headers).delete(
            `/v1/admin/sessions/${session?.id ?? ''}?reason=suspicious`,
          )
        ).statusCode,
      ).toBe(204);
      expect(
        (await as({ authorization: `Bearer ${token}` }).get('/v1/admin/auth/me')).statusCode,
      ).toBe(401);
    });

    it('refuses staff management to the Staff role', async () => {
      const staff = await signedIn(app, database.db, ['Staff']);
      const response = await as(staff.headers).get('/v1/admin/staff');
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({
        type: 'urn:backoffice:problem:forbidden',
        permission: 'staff:manage',
      });
    });
  });
});
