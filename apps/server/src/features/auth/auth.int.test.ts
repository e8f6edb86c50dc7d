import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { PASSWORD, createStaff, signIn, signedIn } from '../../../test/helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { totpCode } from '../../platform/auth/totp.ts';
import { ConflictError } from '../../platform/http/errors.ts';

describe('staff sign-in (builtin provider)', () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ app } = await buildTestApp(database, {
      AUTH_LOCK_BASE_SECONDS: '1',
      AUTH_LOGIN_MAX_FAILURES: '3',
      AUTH_LOGIN_IP_MAX_FAILURES: '1000',
      AUTH_SESSION_IDLE_MINUTES: '30',
    }));
    app.get('/v1/admin/test/step-up', { config: { authenticated: true, stepUp: true } }, () => ({
      ok: true,
    }));
    // The approval engine's hook: a route names its action, the gate decides.
    app.post(
      '/v1/admin/test/approval',
      { config: { authenticated: true, approval: 'test.guarded' } },
      () => ({ ok: true }),
    );
    app.setApprovalGate((request, action) =>
      request.headers['x-test-approved'] === action
        ? Promise.resolve()
        : Promise.reject(new ConflictError(`${action} waits for a second person`)),
    );
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const me = (token: string) =>
    app.inject({
      method: 'GET',
      url: '/v1/admin/auth/me',
      headers: { authorization: `Bearer ${token}` },
    });
  const login = (payload: object) =>
    app.inject({ method: 'POST', url: '/v1/admin/auth/login', payload });
  const post = (url: string, token: string, payload: object = {}) =>
    app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${token}` } });

  it('signs in with email and password and answers /me with roles and permissions', async () => {
    const staff = await createStaff(database.db, { roles: ['Staff'] });
    const response = await login({ email: staff.email.toUpperCase(), password: PASSWORD });
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      token: string;
      user: { permissions: string[]; roles: string[] };
    }>();
    expect(body.token).toMatch(/^bo_[A-Za-z0-9_-]{43}$/);
    expect(body.user.roles).toEqual(['Staff']);
    expect(body.user.permissions).toContain('users:block');
    expect(body.user.permissions).not.toContain('users:read_pii');

    const who = await me(body.token);
    expect(who.statusCode).toBe(200);
    expect(who.json()).toMatchObject({ user: { email: staff.email }, provider: 'builtin' });
  });

  it('stores only a hash of the session token', async () => {
    const staff = await createStaff(database.db);
    const token = await signIn(app, staff.email);
    const rows = await sql<{ found: number }>`
      SELECT count(*)::int AS found FROM staff_sessions WHERE encode(token_hash, 'escape') LIKE ${`%${token}%`}
    `.execute(database.db);
    expect(rows.rows[0]?.found).toBe(0);
  });

  it('answers a wrong password and an unknown email the same way', async () => {
    const staff = await createStaff(database.db);
    const wrong = await login({ email: staff.email, password: 'not the password' });
    const unknown = await login({
      email: 'nobody-at-all@backoffice.test',
      password: 'whatever it is',
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json<{ detail: string }>().detail).toBe(unknown.json<{ detail: string }>().detail);
  });

  it('ends the session on sign-out', async () => {
    const staff = await createStaff(database.db);
    const token = await signIn(app, staff.email);
    expect((await post('/v1/admin/auth/logout', token)).statusCode).toBe(204);
    expect((await me(token)).statusCode).toBe(401);
  });

  it('requires a bearer token, and refuses a made-up one', async () => {
    const none = await app.inject({ method: 'GET', url: '/v1/admin/auth/me' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect((await me('bo_not-a-real-token')).statusCode).toBe(401);
  });

  it('expires a session left idle, and one past its absolute lifetime', async () => {
    const staff = await createStaff(database.db);
    const idle = await signIn(app, staff.email);
    const old = await signIn(app, staff.email);
    await sql`UPDATE staff_sessions SET last_seen_at = now() - interval '31 minutes' WHERE staff_id = ${staff.id}`.execute(
      database.db,
    );
    const idleResponse = await me(idle);
    expect(idleResponse.statusCode).toBe(401);
    expect(idleResponse.json<{ detail: string }>().detail).toMatch(/30 minutes without activity/);

    await sql`UPDATE staff_sessions SET last_seen_at = now(), expires_at = now() - interval '1 second'
              WHERE staff_id = ${staff.id} AND revoked_at IS NULL`.execute(database.db);
    expect((await me(old)).statusCode).toBe(401);
  });

  describe('throttling', () => {
    it('locks an account after repeated failures (429 with Retry-After), even for the right password, then lets it in again', async () => {
      const staff = await createStaff(database.db);
      for (let i = 0; i < 3; i++)
        expect((await login({ email: staff.email, password: 'wrong password' })).statusCode).toBe(
          401,
        );
      const locked = await login({ email: staff.email, password: PASSWORD });
      expect(locked.statusCode).toBe(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(locked.json<{ detail: string }>().detail).toMatch(/Too many failed sign-in attempts/);

      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await login({ email: staff.email, password: PASSWORD })).statusCode).toBe(200);
    });

    it('locks an unknown email exactly like a real one (nothing reveals which accounts exist)', async () => {
      for (let i = 0; i < 3; i++)
        await login({ email: 'ghost@backoffice.test', password: 'guess number' });
      expect(
        (await login({ email: 'ghost@backoffice.test', password: 'guess number' })).statusCode,
      ).toBe(429);
    });

    it('doubles the lock with every further failure', async () => {
      const staff = await createStaff(database.db);
      for (let i = 0; i < 3; i++) await login({ email: staff.email, password: 'wrong password' });
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      await login({ email: staff.email, password: 'wrong password' });
      const second = await login({ email: staff.email, password: PASSWORD });
      expect(second.statusCode).toBe(429);
      expect(Number(second.headers['retry-after'])).toBe(2);
    });
  });

  describe('TOTP', () => {
    async function enrol(token: string): Promise<{ secret: string; recoveryCodes: string[] }> {
      const start = await post('/v1/admin/auth/mfa/totp', token);
      expect(start.statusCode).toBe(200);
      const { secret, otpauthUri } = start.json<{ secret: string; otpauthUri: string }>();
      expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Backoffice:.+\?.*secret=/);
      const confirm = await post('/v1/admin/auth/mfa/totp/confirm', token, {
        code: totpCode(secret),
      });
      expect(confirm.statusCode).toBe(200);
      return { secret, recoveryCodes: confirm.json<{ recoveryCodes: string[] }>().recoveryCodes };
    }

    it('enrols with a first code, then asks for a code at sign-in and accepts each code once', async () => {
      const staff = await createStaff(database.db);
      const token = await signIn(app, staff.email);
      const { secret, recoveryCodes } = await enrol(token);
      expect(recoveryCodes).toHaveLength(10);

      const withoutCode = await login({ email: staff.email, password: PASSWORD });
      expect(withoutCode.statusCode).toBe(401);
      expect(withoutCode.json()).toMatchObject({ mfaRequired: true });

      // The enrolment used this step's code; the next step's is valid now (one step of drift allowed).
      const next = totpCode(secret, Date.now() + 30_000);
      const signedInWithCode = await login({ email: staff.email, password: PASSWORD, totp: next });
      expect(signedInWithCode.statusCode).toBe(200);
      expect(signedInWithCode.json()).toMatchObject({
        mfa: { enrolled: true, verifiedAt: expect.any(String) as string },
      });

      const replayed = await login({ email: staff.email, password: PASSWORD, totp: next });
      expect(replayed.statusCode).toBe(401);
      expect(replayed.json<{ detail: string }>().detail).toMatch(/code is not valid/);
    });

    it('accepts a recovery code once instead of a TOTP code', async () => {
      const staff = await createStaff(database.db);
      const { recoveryCodes } = await enrol(await signIn(app, staff.email));
      const code = recoveryCodes[0] ?? '';
      expect(
        (await login({ email: staff.email, password: PASSWORD, totp: code.toUpperCase() }))
          .statusCode,
      ).toBe(200);
      expect((await login({ email: staff.email, password: PASSWORD, totp: code })).statusCode).toBe(
        401,
      );
    });

    it('proves a recent second factor for step-up routes, and can be turned off with a fresh code', async () => {
      const staff = await createStaff(database.db);
      const token = await signIn(app, staff.email);
      const { secret } = await enrol(token);
      const stepUp = (t: string) =>
        app.inject({
          method: 'GET',
          url: '/v1/admin/test/step-up',
          headers: { authorization: `Bearer ${t}` },
        });

      const fresh = await signIn(app, staff.email, PASSWORD, totpCode(secret, Date.now() + 30_000));
      const first = await stepUp(fresh);
      expect(first.statusCode, first.body).toBe(200);

      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 10 * 60_000);
      const stale = await stepUp(fresh);
      expect(stale.statusCode).toBe(403);
      expect(stale.json()).toMatchObject({ requiredAction: 'verify_mfa', withinSeconds: 300 });
      expect(
        (await post('/v1/admin/auth/mfa/verify', fresh, { code: totpCode(secret) })).statusCode,
      ).toBe(200);
      expect((await stepUp(fresh)).statusCode).toBe(200);

      vi.setSystemTime(Date.now() + 30_000);
      expect(
        (await post('/v1/admin/auth/mfa/totp/disable', fresh, { code: '000000' })).statusCode,
      ).toBe(400);
      expect(
        (await post('/v1/admin/auth/mfa/totp/disable', fresh, { code: totpCode(secret) }))
          .statusCode,
      ).toBe(204);
      vi.useRealTimers();
      expect((await login({ email: staff.email, password: PASSWORD })).statusCode).toBe(200);
    });

    it('asks the approval gate about a route that names an approval action', async () => {
      const staff = await createStaff(database.db);
      const token = await signIn(app, staff.email);
      const attempt = (headers: Record<string, string> = {}) =>
        app.inject({
          method: 'POST',
          url: '/v1/admin/test/approval',
          headers: { authorization: `Bearer ${token}`, ...headers },
        });
      const refused = await attempt();
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ detail: 'test.guarded waits for a second person' });
      expect((await attempt({ 'x-test-approved': 'test.guarded' })).statusCode).toBe(200);
    });

    it('makes an Admin without a second factor enrol before using anything else', async () => {
      const { database: db } = { database };
      const admin = await createStaff(db.db, { roles: ['Admin'] });
      const { app: strict } = await buildTestApp(db, { AUTH_MFA_REQUIRED_ROLES: 'Admin' });
      try {
        const token = await signIn(strict, admin.email);
        const blocked = await strict.inject({
          method: 'GET',
          url: '/v1/admin/roles',
          headers: { authorization: `Bearer ${token}` },
        });
        expect(blocked.statusCode).toBe(403);
        expect(blocked.json()).toMatchObject({ requiredAction: 'enrol_mfa' });
        const who = await strict.inject({
          method: 'GET',
          url: '/v1/admin/auth/me',
          headers: { authorization: `Bearer ${token}` },
        });
        expect(who.json()).toMatchObject({ mfa: { enrolled: false, required: true } });

        const start = await strict.inject({
          method: 'POST',
          url: '/v1/admin/auth/mfa/totp',
          headers: { authorization: `Bearer ${token}` },
        });
        const { secret } = start.json<{ secret: string }>();
        await strict.inject({
          method: 'POST',
          url: '/v1/admin/auth/mfa/totp/confirm',
          headers: { authorization: `Bearer ${token}` },
          payload: { code: totpCode(secret) },
        });
        const allowed = await strict.inject({
          method: 'GET',
          url: '/v1/admin/roles',
          headers: { authorization: `Bearer ${token}` },
        });
        expect(allowed.statusCode).toBe(200);
      } finally {
        await strict.close();
      }
    });
  });

  describe('passwords', () => {
    it('throttles wrong current passwords like sign-ins, on the same account lock', async () => {
      const staff = await signedIn(app, database.db);
      const change = (currentPassword: string) =>
        post('/v1/admin/auth/password', staff.token, {
          currentPassword,
          newPassword: 'another good passphrase',
        });
      for (let i = 0; i < 3; i++) expect((await change('wrong password')).statusCode).toBe(400);
      const locked = await change(PASSWORD);
      expect(locked.statusCode).toBe(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(locked.json<{ detail: string }>().detail).toMatch(/Too many wrong passwords/);
      // Guesses here and at the sign-in count together: it is the same secret.
      expect((await login({ email: staff.email, password: PASSWORD })).statusCode).toBe(429);
      const audited = await database.db
        .selectFrom('audit_logs')
        .select(['outcome', 'reason'])
        .where('action', '=', 'auth.password_changed')
        .where('resource_id', '=', staff.id)
        .orderBy('seq')
        .execute();
      expect(audited.map((a) => a.outcome)).toEqual(['failed', 'failed', 'failed', 'denied']);

      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await change(PASSWORD)).statusCode).toBe(204);
    });

    it('makes a temporary password be changed first, then ends the other sessions', async () => {
      const admin = await signedIn(app, database.db, ['Admin']);
      const created = await app.inject({
        method: 'POST',
        url: '/v1/admin/staff',
        headers: admin.headers,
        payload: {
          email: `new-${Date.now()}@backoffice.test`,
          name: 'New Person',
          roleIds: [await roleId('Staff')],
        },
      });
      expect(created.statusCode).toBe(201);
      const { staff, temporaryPassword } = created.json<{
        staff: { email: string };
        temporaryPassword: string;
      }>();
      expect(temporaryPassword).toMatch(/^[A-Z2-9]{16}$/);

      const first = await login({ email: staff.email, password: temporaryPassword });
      expect(first.json()).toMatchObject({ passwordChangeRequired: true });
      const token = first.json<{ token: string }>().token;
      const other = await signIn(app, staff.email, temporaryPassword);
      const refused = await app.inject({
        method: 'GET',
        url: '/v1/admin/auth/sessions',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(refused.json()).toMatchObject({ requiredAction: 'change_password' });

      const weak = await post('/v1/admin/auth/password', token, {
        currentPassword: temporaryPassword,
        newPassword: 'aaaaaaaaaaaa',
      });
      expect(weak.statusCode).toBe(400);
      const changed = await post('/v1/admin/auth/password', token, {
        currentPassword: temporaryPassword,
        newPassword: 'a much better passphrase',
      });
      expect(changed.statusCode).toBe(204);
      expect((await me(token)).json()).toMatchObject({ passwordChangeRequired: false });
      expect((await me(other)).statusCode).toBe(401);
    });
  });

  it('issues single-use WebSocket tickets bound to the session', async () => {
    const staff = await createStaff(database.db);
    const token = await signIn(app, staff.email);
    const response = await post('/v1/admin/realtime/ticket', token);
    expect(response.statusCode).toBe(200);
    const { ticket, expiresAt } = response.json<{ ticket: string; expiresAt: string }>();
    expect(ticket).toMatch(/^wst_/);
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(30_000);
  });

  async function roleId(name: string): Promise<string> {
    const row = await database.db
      .selectFrom('roles')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return row.id;
  }
});
