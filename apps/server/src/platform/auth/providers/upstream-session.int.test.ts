import { DEFAULT_USER_PASSWORD } from '@backoffice/sandbox';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestPlatform, type TestPlatform } from '../../../../test/helpers/platform.ts';

/**
 * AUTH_PROVIDER=upstream-session (main spec "Authentication Flow") against the sandbox's real User
 * Service: its sessions are our bearer tokens, its Admin and Staff roles map to ours, Customers are
 * refused, and the service being down is a 503, never a 401.
 */
describe('upstream-session sign-in', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startTestPlatform({
      users: 5,
      transactions: 20,
      env: { AUTH_PROVIDER: 'upstream-session', AUTH_UPSTREAM_CACHE_TTL_MS: '0' },
    });
  }, 60_000);
  afterAll(() => platform.close());
  afterEach(() => platform.fault('users', { mode: 'off' }));

  /** A session at the User Service itself, as the platform's own front end would hold. */
  async function userServiceSession(email: string): Promise<string> {
    const response = await fetch(`${platform.sandbox.urls.users}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: DEFAULT_USER_PASSWORD }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { sessionId: string }).sessionId;
  }
  const get = (url: string, token: string) =>
    platform.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  it('accepts a User Service session of an Admin with every permission', async () => {
    const token = await userServiceSession('admin@sandbox.example');
    const me = await get('/v1/admin/auth/me', token);
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json()).toMatchObject({
      user: { email: 'admin@sandbox.example', roles: ['Admin'] },
      provider: 'upstream-session',
    });
    expect((await get('/v1/admin/roles', token)).statusCode).toBe(200);
  });

  it('maps Staff to our Staff role: users yes, roles no', async () => {
    const token = await userServiceSession('staff@sandbox.example');
    expect((await get('/v1/admin/users', token)).statusCode).toBe(200);
    const roles = await get('/v1/admin/roles', token);
    expect(roles.statusCode).toBe(403);
  });

  it('refuses a Customer with 403 and an unknown session with 401', async () => {
    const customer = await get(
      '/v1/admin/auth/me',
      await userServiceSession('customer@sandbox.example'),
    );
    expect(customer.statusCode).toBe(403);
    expect(customer.json<{ detail: string }>().detail).toMatch(/role Customer/);
    expect((await get('/v1/admin/auth/me', 'not-a-session')).statusCode).toBe(401);
  });

  it('signs staff in through our login endpoint at the User Service', async () => {
    const response = await platform.app.inject({
      method: 'POST',
      url: '/v1/admin/auth/login',
      payload: { email: 'staff@sandbox.example', password: DEFAULT_USER_PASSWORD },
    });
    expect(response.statusCode, response.body).toBe(200);
    const { token } = response.json<{ token: string }>();
    expect((await get('/v1/admin/auth/me', token)).json()).toMatchObject({
      user: { roles: ['Staff'] },
    });
    const wrong = await platform.app.inject({
      method: 'POST',
      url: '/v1/admin/auth/login',
      payload: { email: 'staff@sandbox.example', password: 'not the password' },
    });
    expect(wrong.statusCode).toBe(401);
  });

  it('answers 503, not 401, while the User Service is down or failing', async () => {
    const token = await userServiceSession('admin@sandbox.example');
    await platform.fault('users', { mode: 'down' });
    const down = await get('/v1/admin/auth/me', token);
    expect(down.statusCode).toBe(503);
    expect(down.headers['content-type']).toContain('application/problem+json');
    await platform.fault('users', { mode: 'error', status: 500 });
    expect((await get('/v1/admin/auth/me', token)).statusCode).toBe(503);
    await platform.fault('users', { mode: 'off' });
    expect((await get('/v1/admin/auth/me', token)).statusCode).toBe(200);
  });

  it('opens the live WebSocket with a ticket asked for with a User Service session', async () => {
    const token = await userServiceSession('staff@sandbox.example');
    const response = await platform.app.inject({
      method: 'POST',
      url: '/v1/admin/realtime/ticket',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    const { ticket } = response.json<{ ticket: string }>();
    const socket = new WebSocket(
      `${platform.url.replace('http', 'ws')}/v1/admin/ws?ticket=${encodeURIComponent(ticket)}`,
    );
    const first = await new Promise<unknown>((resolve, reject) => {
      socket.once('open', () =>
        socket.send(JSON.stringify({ type: 'subscribe', channels: ['users.activity'] })),
      );
      socket.once('message', (raw: Buffer) => resolve(JSON.parse(raw.toString('utf8'))));
      socket.once('error', reject);
    });
    expect(first).toMatchObject({ type: 'subscribed', channel: 'users.activity' });
    socket.terminate();
  });

  it('stops accepting a session the User Service ended', async () => {
    const token = await userServiceSession('staff@sandbox.example');
    expect((await get('/v1/admin/auth/me', token)).statusCode).toBe(200);
    const logout = await fetch(`${platform.sandbox.urls.users}/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(logout.status).toBe(204);
    expect((await get('/v1/admin/auth/me', token)).statusCode).toBe(401);
  });
});
