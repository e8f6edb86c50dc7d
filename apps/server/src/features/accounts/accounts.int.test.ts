import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedIn } from '../../../test/helpers/auth.ts';
import { startTestPlatform, type TestPlatform } from '../../../test/helpers/platform.ts';
import { usersApi, type UserItem } from '../../../test/helpers/users-api.ts';

/**
 * The account switch of the Virtual Pet pack against the real sandbox (its User Service, Pet and
 * Payment services and identity provider): disable and enable go through the User Service, are
 * audited, and the read model follows the service's own events.
 */
describe('disable and enable a user’s account (Virtual Pet pack)', () => {
  let platform: TestPlatform;
  let admin: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    platform = await startTestPlatform({ users: 20, packs: ['virtual-pet'] });
    admin = await signedIn(platform.app, platform.database.db, ['Admin']);
    api = usersApi(platform.app, admin.headers);
    await platform.caughtUp();
  }, 60_000);
  afterAll(() => platform.close());

  let api: ReturnType<typeof usersApi>;
  const get = <T>(url: string) => api.get<T>(url);
  const post = (url: string, payload: unknown, headers = admin.headers) =>
    api.post(url, payload, headers);
  const auditOf = (id: string) => api.auditOf(id);
  const customer = () => api.customer('Active');

  it('disables through the User Service, shows it at once as pending, and confirms it from the event', async () => {
    const user = await customer();
    const response = await post(`/v1/admin/users/${user.id}/disable`, {
      reason: 'asked to close the account',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      changed: true,
      user: { state: 'Disabled', pending: true },
    });

    await platform.caughtUp();
    expect(
      await get<UserItem & { blockReason: string | null }>(`/v1/admin/users/${user.id}`),
    ).toMatchObject({
      state: 'Disabled',
      pending: false,
      blockReason: 'asked to close the account',
    });
    const disabled = await get<{ data: UserItem[] }>('/v1/admin/users?state=Disabled&limit=100');
    expect(disabled.data.map((u) => u.id)).toContain(user.id);

    const entry = (await auditOf(user.id)).find((e) => e.action === 'users.disable');
    expect(entry).toMatchObject({
      outcome: 'success',
      reason: 'asked to close the account',
      before: { state: 'Active' },
      after: { state: 'Disabled' },
      metadata: { changed: true },
    });
    // The User Service's user.disabled event is linked to our entry (same correlation id).
    expect(entry?.linkedEventIds.length).toBeGreaterThan(0);
  });

  it('is idempotent, and enables the account again', async () => {
    const user = await customer();
    expect((await post(`/v1/admin/users/${user.id}/disable`, { reason: 'fraud' })).statusCode).toBe(
      200,
    );
    await platform.caughtUp();
    const again = await post(`/v1/admin/users/${user.id}/disable`, { reason: 'still fraud' });
    expect(again.json()).toMatchObject({ changed: false, user: { state: 'Disabled' } });

    const enable = await post(`/v1/admin/users/${user.id}/enable`, { reason: 'cleared' });
    expect(enable.statusCode, enable.body).toBe(200);
    expect(enable.json()).toMatchObject({
      changed: true,
      user: { state: 'Active', pending: true },
    });
    await platform.caughtUp();
    expect(await get<UserItem>(`/v1/admin/users/${user.id}`)).toMatchObject({
      state: 'Active',
      pending: false,
    });
    expect((await auditOf(user.id)).map((e) => [e.action, e.metadata])).toEqual(
      expect.arrayContaining([
        ['users.enable', { changed: true }],
        ['users.disable', { changed: false }],
        ['users.disable', { changed: true }],
      ]),
    );
  });

  it('needs a reason and the permission', async () => {
    const user = await customer();
    expect((await post(`/v1/admin/users/${user.id}/disable`, {})).statusCode).toBe(400);
    // Someone who may read users but not block them may not disable their accounts either.
    const role = await post('/v1/admin/roles', { name: 'Readers', grants: ['users:read'] });
    expect(role.statusCode, role.body).toBe(201);
    const reader = await signedIn(platform.app, platform.database.db, ['Readers']);
    const refused = await post(
      `/v1/admin/users/${user.id}/disable`,
      { reason: 'not mine to decide' },
      reader.headers,
    );
    expect(refused.statusCode, refused.body).toBe(403);
    expect(await get<UserItem>(`/v1/admin/users/${user.id}`)).toMatchObject({ state: 'Active' });
  });

  it('says what runs: the account switch is a feature of this instance', async () => {
    const me = await get<{ features: string[] }>('/v1/admin/auth/me');
    expect(me.features).toEqual(expect.arrayContaining(['users', 'accounts', 'pets']));
    expect(me.features).not.toContain('transactions');
  });
});
