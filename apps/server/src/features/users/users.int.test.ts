import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, signIn, signedIn, withRecentMfa } from '../../../test/helpers/auth.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/helpers/platform.ts';
import { usersApi, type UserItem, type UserList } from '../../../test/helpers/users-api.ts';

/**
 * Users and support operations against the real sandbox: reads from our read model, writes through
 * the User Service, and the read model catching up from the events those writes publish.
 */
describe('users', () => {
  let platform: TestPlatform;
  let admin: Awaited<ReturnType<typeof signedIn>>;
  let staff: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    platform = await startTestPlatform({
      users: 40,
      transactions: 600,
      env: {
        UPSTREAM_TIMEOUT_MS: '2000',
        CIRCUIT_BREAKER_FAILURES: '3',
        CIRCUIT_BREAKER_HALF_OPEN_MS: '600',
      },
    });
    admin = await signedIn(platform.app, platform.database.db, ['Admin']);
    staff = await signedIn(platform.app, platform.database.db, ['Staff']);
    api = usersApi(platform.app, admin.headers);
  }, 60_000);
  afterAll(() => platform.close());
  afterEach(async () => {
    await platform.fault('users', { mode: 'off' });
    await platform.fault('transactions', { mode: 'off' });
  });

  // Bound once the admin has signed in (beforeAll); the same helpers for every test below.
  let api: ReturnType<typeof usersApi>;
  const get = <T>(url: string, headers = admin.headers) => api.get<T>(url, headers);
  const post = (url: string, payload: unknown, headers = admin.headers) =>
    api.post(url, payload, headers);
  const list = (query: string, headers = admin.headers) => api.list(query, headers);
  const auditOf = (id: string) => api.auditOf(id);
  const customer = (state?: 'Active' | 'Blocked') => api.customer(state);

  describe('search', () => {
    it('finds users by email prefix, by a part of the email, by name and by id, in any case', async () => {
      const all = await list('limit=100');
      expect(all.total).toBe(43); // 40 generated + the 3 known accounts
      expect(all.totalIsEstimate).toBe(false);
      const target = all.data.find((u) => u.role === 'Customer' && u.name !== null) as UserItem;
      const [local = ''] = target.email.split('@');

      const byPrefix = await list(`q=${encodeURIComponent(local.slice(0, 6).toUpperCase())}`);
      expect(byPrefix.data.map((u) => u.id)).toContain(target.id);
      // The generated address ends with a random hex part: search the middle of it.
      const middle = local.slice(-8, -2);
      const byPart = await list(`q=${middle}`);
      expect(byPart.data.map((u) => u.id)).toEqual([target.id]);
      const byName = await list(`q=${encodeURIComponent((target.name ?? '').toLowerCase())}`);
      expect(byName.data.map((u) => u.id)).toContain(target.id);
      const byId = await list(`q=${target.id}`);
      expect(byId.data.map((u) => u.id)).toEqual([target.id]);
      expect((await list('q=nobody-has-this-address')).data).toEqual([]);
    });

    it('filters by state, role, registration date, recent activity and live sessions', async () => {
      const all = (await list('limit=100')).data;
      const blocked = await list('state=Blocked&limit=100');
      expect(blocked.data.length).toBeGreaterThan(0);
      expect(blocked.data.every((u) => u.state === 'Blocked')).toBe(true);
      expect(blocked.total).toBe(all.filter((u) => u.state === 'Blocked').length);

      const admins = await list('role=Admin&limit=100');
      expect(admins.data.map((u) => u.email)).toContain('admin@sandbox.example');
      expect(admins.data.every((u) => u.role === 'Admin')).toBe(true);

      const sorted = all.map((u) => u.createdAt).sort();
      const middle = sorted[Math.floor(sorted.length / 2)] as string;
      const recent = await list(`registeredFrom=${encodeURIComponent(middle)}&limit=100`);
      expect(recent.data.every((u) => u.createdAt >= middle)).toBe(true);
      expect(recent.total).toBe(sorted.filter((c) => c >= middle).length);
      const older = await list(`registeredTo=${encodeURIComponent(middle)}&limit=100`);
      expect(older.data.every((u) => u.createdAt <= middle)).toBe(true);

      const withSessions = await list('hasActiveSession=true&limit=100');
      expect(withSessions.data.length).toBeGreaterThan(0);
      expect(withSessions.data.every((u) => u.activeSessions > 0)).toBe(true);
      const without = await list('hasActiveSession=false&limit=100');
      expect(without.total + withSessions.total).toBe(all.length);

      const active = await list('activeWithinDays=30&limit=100');
      expect(active.total).toBeGreaterThan(0);
      expect(active.total).toBeLessThanOrEqual(all.length);
    });

    it('sorts, pages, and walks every user exactly once with the cursor', async () => {
      const byEmail = await list('sort=email&limit=100');
      const emails = byEmail.data.map((u) => u.email);
      expect(emails).toEqual([...emails].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      const descending = await list('sort=-email&limit=100');
      expect(descending.data.map((u) => u.email)).toEqual([...emails].reverse());

      const page2 = await list('sort=email&limit=10&page=2');
      expect(page2.page).toBe(2);
      expect(page2.data.map((u) => u.email)).toEqual(emails.slice(10, 20));

      for (const sort of ['-createdAt', 'email', '-lastLoginAt']) {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const next: UserList = await list(
            `sort=${sort}&limit=7${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
          );
          seen.push(...next.data.map((u) => u.id));
          cursor = next.nextCursor;
        } while (cursor !== null);
        expect(seen, sort).toHaveLength(43);
        expect(new Set(seen).size, sort).toBe(43);
      }
    });

    it('rejects a malformed cursor and unknown filters with a problem document', async () => {
      const response = await platform.app.inject({
        method: 'GET',
        url: '/v1/admin/users?cursor=not-a-cursor',
        headers: admin.headers,
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      // Well-formed but tampered: a time the database would refuse must not become a 500.
      for (const time of ['x', '2026-13-45T99:99:99.999Z']) {
        const tampered = Buffer.from(JSON.stringify(['-createdAt', time, randomUUID()])).toString(
          'base64url',
        );
        const answer = await platform.app.inject({
          method: 'GET',
          url: `/v1/admin/users?sort=-createdAt&cursor=${tampered}`,
          headers: admin.headers,
        });
        expect(answer.statusCode, answer.body).toBe(400);
      }
      const badSort = await platform.app.inject({
        method: 'GET',
        url: '/v1/admin/users?sort=password',
        headers: admin.headers,
      });
      expect(badSort.statusCode).toBe(400);
    });

    it('masks personal data for staff without users:read_pii', async () => {
      const masked = await list('sort=email&limit=5', staff.headers);
      for (const user of masked.data) {
        expect(user.email).not.toMatch(/^[a-z]+\.[a-z]+\.[0-9a-f]+@example\.com$/);
        expect(user.email).toContain('*');
      }
      const clear = await list('sort=email&limit=5');
      expect(clear.data[0]?.email).not.toContain('*');
    });
  });

  describe('export', () => {
    const exportOf = (query: string, headers = admin.headers) =>
      platform.app.inject({ method: 'GET', url: `/v1/admin/users/export?${query}`, headers });

    it('streams every user of the filter in the sort order, as CSV or NDJSON, and audits it', async () => {
      const everyone = await list('sort=email&limit=100');
      const csv = await exportOf('sort=email&format=csv');
      expect(csv.statusCode, csv.body).toBe(200);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.headers['content-disposition']).toMatch(/attachment; filename="users-.*\.csv"/);
      const lines = csv.body.trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        'id,email,name,role,state,createdAt,lastLoginAt,lastActivityAt,activeSessions,totalTransactions,totalBudgets',
      );
      expect(lines.slice(1).map((line) => line.split(',')[1])).toEqual(
        everyone.data.map((u) => u.email),
      );

      const blocked = await exportOf('state=blocked&format=ndjson');
      const rows = blocked.body
        .trim()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as UserItem);
      expect(rows.length).toBe((await list('state=Blocked&limit=100')).total);
      expect(new Set(rows.map((u) => u.state))).toEqual(
        rows.length === 0 ? new Set() : new Set(['Blocked']),
      );

      const audit = await get<{ data: { resource: { type: string }; metadata: unknown }[] }>(
        '/v1/admin/system/audit-logs?action=resources.export',
      );
      expect(audit.data.map((e) => e.resource.type)).toContain('user');
      expect(audit.data.map((e) => e.metadata)).toContainEqual(
        expect.objectContaining({ format: 'csv', sort: 'email', masked: false }),
      );
    });

    it('masks personal data for staff without users:read_pii', async () => {
      const clear = await list('sort=email&limit=3');
      const csv = await exportOf('sort=email&format=csv', staff.headers);
      expect(csv.statusCode).toBe(200);
      for (const user of clear.data) expect(csv.body).not.toContain(user.email);
      expect(csv.body.split('\r\n')[1]).toContain('***');
    });
  });

  describe('the 360° view', () => {
    it('shows profile, sessions, totals, recent transactions, budgets and the audit entries about the user', async () => {
      const { data } = await list('limit=100');
      const busy = data
        .filter((u) => u.role === 'Customer')
        .sort((a, b) => b.totalTransactions - a.totalTransactions)[0] as UserItem;
      api.taken.add(busy.id);
      const detail = await get<{
        id: string;
        totalTransactions: number;
        recentTransactions: { userId: string; date: string }[];
        budgets: unknown[];
        sessions: unknown[];
        recentAudit: unknown[];
      }>(`/v1/admin/users/${busy.id}`);
      expect(detail.id).toBe(busy.id);
      expect(detail.totalTransactions).toBe(busy.totalTransactions);
      expect(detail.recentTransactions.length).toBe(Math.min(10, busy.totalTransactions));
      expect(detail.recentTransactions.every((t) => t.userId === busy.id)).toBe(true);
      const dates = detail.recentTransactions.map((t) => t.date);
      expect(dates).toEqual([...dates].sort().reverse());
      expect(detail.budgets).toHaveLength(busy.totalBudgets);
      expect(detail.sessions).toHaveLength(busy.activeSessions);

      const missing = await platform.app.inject({
        method: 'GET',
        url: `/v1/admin/users/${randomUUID()}`,
        headers: admin.headers,
      });
      expect(missing.statusCode).toBe(404);
    });

    it('lists a user’s transactions by date range, newest first, a page at a time', async () => {
      const { data } = await list('limit=100');
      const busy = data.sort((a, b) => b.totalTransactions - a.totalTransactions)[0] as UserItem;
      type Page = { data: { id: string; date: string }[]; total: number };
      const all = await get<Page>(`/v1/admin/users/${busy.id}/transactions?limit=100`);
      expect(all.total).toBe(busy.totalTransactions);
      const dates = all.data.map((t) => t.date);
      expect(dates).toEqual([...dates].sort().reverse());

      const from = dates[Math.floor(dates.length / 2)] as string;
      const since = await get<Page>(
        `/v1/admin/users/${busy.id}/transactions?from=${encodeURIComponent(from)}&limit=100`,
      );
      expect(since.total).toBe(dates.filter((d) => d >= from).length);
      const second = await get<Page>(`/v1/admin/users/${busy.id}/transactions?limit=3&page=2`);
      expect(second.data.map((t) => t.id)).toEqual(all.data.slice(3, 6).map((t) => t.id));
    });

    it('reads a transaction from the Transaction Service, and from the read model, marked stale, when it is down', async () => {
      const { data } = await list('limit=100');
      const busy = data.sort((a, b) => b.totalTransactions - a.totalTransactions)[0] as UserItem;
      const page = await get<{ data: { id: string; amount: string }[] }>(
        `/v1/admin/users/${busy.id}/transactions?limit=1`,
      );
      const id = page.data[0]?.id as string;
      const live = await get<{ source: string; stale: boolean; amount: string }>(
        `/v1/admin/transactions/${id}`,
      );
      expect(live).toMatchObject({
        source: 'transaction-service',
        stale: false,
        amount: page.data[0]?.amount,
      });

      const unknown = () =>
        platform.app.inject({
          method: 'GET',
          url: `/v1/admin/transactions/${randomUUID()}`,
          headers: admin.headers,
        });
      expect((await unknown()).statusCode).toBe(404);

      await platform.fault('transactions', { mode: 'down' });
      const stale = await get<{ source: string; stale: boolean; amount: string }>(
        `/v1/admin/transactions/${id}`,
      );
      expect(stale).toMatchObject({
        source: 'read-model',
        stale: true,
        amount: page.data[0]?.amount,
      });
      // Neither the service nor our copy can say: unavailable, not "does not exist".
      const unavailable = await unknown();
      expect(unavailable.statusCode).toBe(503);
      expect(unavailable.json()).toMatchObject({ service: 'transaction-service' });
    });
  });

  describe('block and unblock', () => {
    it('blocks through the User Service, shows it at once as pending, and confirms it from the event', async () => {
      const user = await customer('Active');
      const response = await post(`/v1/admin/users/${user.id}/block`, {
        reason: 'chargeback fraud',
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({
        changed: true,
        user: { state: 'Blocked', pending: true },
      });

      // The User Service is the authority…
      const upstream = await fetch(`${platform.sandbox.urls.users}/health`);
      expect(upstream.ok).toBe(true);
      // …and its user.blocked event clears the pending mark.
      await platform.caughtUp();
      const detail = await get<UserItem & { blockReason: string; blockedAt: string }>(
        `/v1/admin/users/${user.id}`,
      );
      expect(detail).toMatchObject({
        state: 'Blocked',
        pending: false,
        blockReason: 'chargeback fraud',
      });

      const entries = await auditOf(user.id);
      const block = entries.find((e) => e.action === 'users.block');
      expect(block).toMatchObject({
        outcome: 'success',
        reason: 'chargeback fraud',
        before: { state: 'Active' },
        after: { state: 'Blocked' },
      });
      expect(block?.linkedEventIds.length).toBeGreaterThan(0);
    });

    it('answers 200 without change when the user is already in that state', async () => {
      const user = await customer('Blocked');
      const again = await post(`/v1/admin/users/${user.id}/block`, { reason: 'still fraud' });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({
        changed: false,
        user: { state: 'Blocked', pending: false },
      });

      const unblock = await post(`/v1/admin/users/${user.id}/unblock`, {
        reason: 'cleared by risk team',
      });
      expect(unblock.json()).toMatchObject({
        changed: true,
        user: { state: 'Active', pending: true },
      });
      await platform.caughtUp();
      expect(await get<UserItem>(`/v1/admin/users/${user.id}`)).toMatchObject({
        state: 'Active',
        pending: false,
      });
      // Ours, newest first, after the platform's own block (the seeded user.blocked event).
      expect((await auditOf(user.id)).map((e) => [e.action, e.metadata])).toEqual([
        ['users.unblock', { changed: true }],
        ['users.block', { changed: false }],
        ['user.blocked', expect.anything()],
      ]);
    });

    it('has no account switch (disable / enable) where only Money Planner runs', async () => {
      const user = await customer('Active');
      const response = await post(`/v1/admin/users/${user.id}/disable`, {
        reason: 'no such route',
      });
      expect(response.statusCode).toBe(404);
      expect((await get<{ features: string[] }>('/v1/admin/auth/me')).features).not.toContain(
        'accounts',
      );
    });

    it('requires a reason, the permission, and an existing user', async () => {
      const user = await customer('Active');
      expect((await post(`/v1/admin/users/${user.id}/block`, {})).statusCode).toBe(400);
      expect((await post(`/v1/admin/users/${user.id}/block`, { reason: '  ' })).statusCode).toBe(
        400,
      );
      expect(
        (await post(`/v1/admin/users/${randomUUID()}/block`, { reason: 'no such user' }))
          .statusCode,
      ).toBe(404);
      const viewer = await signedIn(platform.app, platform.database.db, ['Staff']);
      await platform.app
        .inject({
          method: 'PUT',
          url: `/v1/admin/users/${user.id}`,
          headers: viewer.headers,
          payload: { name: 'Not Allowed' },
        })
        .then((r) => expect(r.statusCode).toBe(403));
      expect((await get<UserItem>(`/v1/admin/users/${user.id}`)).state).toBe('Active');
    });

    it('changes nothing and audits the failure when the User Service fails, times out or is down', async () => {
      const user = await customer('Active');
      await platform.fault('users', { mode: 'error', status: 500, pathPrefix: '/v1/users' });
      const failed = await post(`/v1/admin/users/${user.id}/block`, { reason: 'attempt 1' });
      expect(failed.statusCode).toBe(503);
      expect(failed.headers['content-type']).toContain('application/problem+json');
      expect(failed.json()).toMatchObject({ service: 'user-service' });
      expect(failed.json<{ detail: string }>().detail).toMatch(
        /User Service answered 500.*Nothing was changed/,
      );

      await platform.fault('users', { mode: 'slow', delayMs: 6_000, pathPrefix: '/v1/users' });
      const slow = await post(`/v1/admin/users/${user.id}/block`, { reason: 'attempt 2' });
      expect(slow.statusCode).toBe(503);
      expect(slow.json<{ detail: string }>().detail).toMatch(/did not answer within 2000 ms/);

      await platform.fault('users', { mode: 'off' });
      const detail = await get<UserItem>(`/v1/admin/users/${user.id}`);
      expect(detail).toMatchObject({ state: 'Active', pending: false });
      const entries = await auditOf(user.id);
      expect(entries.map((e) => [e.action, e.outcome, e.reason, e.metadata])).toEqual([
        [
          'users.block',
          'failed',
          'attempt 2',
          { error: expect.stringMatching(/did not answer/) as string, status: 503 },
        ],
        [
          'users.block',
          'failed',
          'attempt 1',
          { error: expect.stringMatching(/answered 500/) as string, status: 503 },
        ],
      ]);
    });

    it('opens the circuit after repeated failures, fails fast while open, and recovers', async () => {
      const user = await customer('Active');
      // A success first: the breaker counts consecutive failures, and earlier tests failed on purpose.
      const blocked = await customer('Blocked');
      expect(
        (await post(`/v1/admin/users/${blocked.id}/block`, { reason: 'no-op' })).statusCode,
      ).toBe(200);
      await platform.fault('users', { mode: 'error', status: 503, pathPrefix: '/v1/users' });
      for (let i = 0; i < 3; i++) {
        expect(
          (await post(`/v1/admin/users/${user.id}/block`, { reason: `try ${i}` })).statusCode,
        ).toBe(503);
      }
      await platform.fault('users', { mode: 'off' });
      const started = performance.now();
      const open = await post(`/v1/admin/users/${user.id}/block`, { reason: 'while open' });
      expect(open.statusCode).toBe(503);
      expect(open.json<{ detail: string }>().detail).toMatch(/unavailable/);
      expect(performance.now() - started).toBeLessThan(200);
      const health = await get<{ services: { service: string; circuit: string }[] }>(
        '/v1/admin/dashboard/health',
      );
      expect(health.services.find((s) => s.service === 'user-service')?.circuit).toBe('open');

      await new Promise((resolve) => setTimeout(resolve, 700));
      const recovered = await post(`/v1/admin/users/${user.id}/block`, {
        reason: 'after recovery',
      });
      expect(recovered.statusCode, recovered.body).toBe(200);
      expect(recovered.json()).toMatchObject({ changed: true });
    });
  });

  describe('profile and sessions', () => {
    it('edits the fields the User Service allows and the read model follows', async () => {
      const user = await customer('Active');
      const response = await platform.app.inject({
        method: 'PUT',
        url: `/v1/admin/users/${user.id}`,
        headers: admin.headers,
        payload: { name: 'Renamed Person', reason: 'customer asked by phone' },
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({ name: 'Renamed Person' });
      await platform.caughtUp();
      expect((await get<UserItem>(`/v1/admin/users/${user.id}`)).name).toBe('Renamed Person');
      const [entry] = await auditOf(user.id);
      expect(entry).toMatchObject({
        action: 'users.update',
        before: { name: user.name },
        after: { name: 'Renamed Person' },
      });
    });

    it('changes a role only with users:role and a recent second factor, never one’s own', async () => {
      const db = platform.database.db;
      const role = await db
        .insertInto('roles')
        .values({ name: 'Profile editor', description: 'edits profiles' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await db
        .insertInto('role_grants')
        .values(['users:read', 'users:write'].map((grant) => ({ role_id: role.id, grant })))
        .execute();
      const editor = await signedIn(platform.app, db, ['Profile editor']);
      const put = (id: string, payload: object, headers: { authorization: string }) =>
        platform.app.inject({ method: 'PUT', url: `/v1/admin/users/${id}`, headers, payload });

      const user = await customer('Active');
      const promote = { role: 'Admin', reason: 'asked for it' };
      const refused = await put(user.id, promote, { authorization: `Bearer ${editor.token}` });
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json<{ detail: string }>().detail).toMatch(/users:role/);
      const renamed = await put(
        user.id,
        { name: 'Only The Name' },
        { authorization: `Bearer ${editor.token}` },
      );
      expect(renamed.statusCode, renamed.body).toBe(200);

      const admin = await signedIn(platform.app, db, ['Admin']);
      const noMfa = await put(user.id, promote, admin.headers);
      expect(noMfa.statusCode).toBe(403);
      expect(noMfa.json()).toMatchObject({ requiredAction: 'enrol_mfa' });

      // A staff member who is also this platform user may not promote themselves.
      const self = await customer('Active');
      const selfStaff = await createStaff(db, { roles: ['Admin'], email: self.email });
      const selfStepped = await withRecentMfa(platform.app, {
        email: selfStaff.email,
        token: await signIn(platform.app, selfStaff.email),
      });
      const own = await put(self.id, { role: 'Staff' }, selfStepped.headers);
      expect(own.statusCode, own.body).toBe(403);
      expect(own.json<{ detail: string }>().detail).toMatch(/your own account/);

      const stepped = await withRecentMfa(platform.app, admin);
      const promoted = await put(
        user.id,
        { role: 'Staff', reason: 'joined support' },
        stepped.headers,
      );
      expect(promoted.statusCode, promoted.body).toBe(200);
      await platform.caughtUp();
      expect((await get<UserItem>(`/v1/admin/users/${user.id}`)).role).toBe('Staff');
      expect((await get<UserItem>(`/v1/admin/users/${self.id}`)).role).toBe(self.role);
    });

    it('force-logs-out a user only with a recent second factor, and the sessions end', async () => {
      const { data } = await list('hasActiveSession=true&role=Customer&limit=100');
      const user = data.find((u) => !api.taken.has(u.id)) as UserItem;
      api.taken.add(user.id);
      const sessions = await get<{ data: unknown[] }>(`/v1/admin/users/${user.id}/sessions`);
      expect(sessions.data).toHaveLength(user.activeSessions);

      const withoutMfa = await post(`/v1/admin/users/${user.id}/force-logout`, {
        reason: 'stolen phone',
      });
      expect(withoutMfa.statusCode).toBe(403);
      expect(withoutMfa.json()).toMatchObject({ requiredAction: 'enrol_mfa' });

      const stepped = await withRecentMfa(platform.app, admin);
      const done = await post(
        `/v1/admin/users/${user.id}/force-logout`,
        { reason: 'stolen phone' },
        stepped.headers,
      );
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json()).toEqual({ ended: user.activeSessions });
      await platform.caughtUp();
      expect((await get<UserItem>(`/v1/admin/users/${user.id}`)).activeSessions).toBe(0);
      admin = { ...admin, ...stepped };
    });
  });

  describe('bulk actions', () => {
    it('blocks many users, reporting each one, a partial failure included', async () => {
      const stepped = await withRecentMfa(
        platform.app,
        await signedIn(platform.app, platform.database.db, ['Admin']),
      );
      const users = [await customer('Active'), await customer('Active'), await customer('Active')];
      // The third is blocked already: the bulk action leaves it as it is, successfully.
      expect(
        (await post(`/v1/admin/users/${users[2]?.id}/block`, { reason: 'first' }, stepped.headers))
          .statusCode,
      ).toBe(200);
      const ghost = randomUUID();
      const response = await post(
        '/v1/admin/users/bulk/block',
        { userIds: [...users.map((u) => u.id), ghost], reason: 'fraud ring' },
        stepped.headers,
      );
      expect(response.statusCode, response.body).toBe(200);
      const result = response.json<{
        succeeded: number;
        failed: number;
        results: {
          userId: string;
          ok: boolean;
          status: number;
          changed: boolean | null;
          error: string | null;
        }[];
      }>();
      expect(result).toMatchObject({ succeeded: 3, failed: 1 });
      const byId = new Map(result.results.map((r) => [r.userId, r]));
      expect(byId.get(users[0]?.id as string)).toMatchObject({ ok: true, changed: true });
      expect(byId.get(users[2]?.id as string)).toMatchObject({ ok: true, changed: false });
      expect(byId.get(ghost)).toMatchObject({ ok: false, status: 404 });
      await platform.caughtUp();
      for (const user of users)
        expect((await get<UserItem>(`/v1/admin/users/${user.id}`)).state).toBe('Blocked');
    });

    it('refuses more than 500 ids, and bulk actions without a recent second factor', async () => {
      const tooMany = await post(
        '/v1/admin/users/bulk/block',
        { userIds: Array.from({ length: 501 }, () => randomUUID()), reason: 'too many' },
        admin.headers,
      );
      expect(tooMany.statusCode).toBe(400);
      const noMfa = await signedIn(platform.app, platform.database.db, ['Admin']);
      const refused = await post(
        '/v1/admin/users/bulk/unblock',
        { userIds: [randomUUID()], reason: 'cleared' },
        noMfa.headers,
      );
      expect(refused.statusCode).toBe(403);
    });
  });
});
