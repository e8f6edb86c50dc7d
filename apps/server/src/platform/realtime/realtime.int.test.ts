import type { FastifyInstance } from 'fastify';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { events, uuid } from '../../../test/factories/events.ts';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { signedIn } from '../../../test/helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { ingest } from '../../../test/helpers/ingest.ts';

const SECRET = 'realtime-test-webhook-secret';

interface Message {
  type: string;
  channel?: string;
  data?: unknown;
  at: string;
}

/** A WebSocket client that keeps every message, to wait for the one a test expects. */
class Client {
  readonly messages: Message[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: (() => void)[] = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (raw: Buffer) => {
      this.messages.push(JSON.parse(raw.toString('utf8')) as Message);
      this.wake();
    });
    socket.on('close', (code: number, reason: Buffer) => {
      this.closed = { code, reason: reason.toString('utf8') };
      this.wake();
    });
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  /** The first message (from `from` on) matching, or a failure after `timeoutMs`. */
  async next(match: (m: Message) => boolean, timeoutMs = 5_000, from = 0): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.slice(from).find(match);
      if (found !== undefined) return found;
      if (Date.now() > deadline)
        throw new Error(`no matching message; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async closedWith(timeoutMs = 5_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (this.closed === undefined) {
      if (Date.now() > deadline) throw new Error('the socket is still open');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.closed;
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

/**
 * The live WebSocket against two app instances on one database: authentication at the handshake,
 * channel permissions, snapshots, delivery of ingested changes to clients of either instance, and
 * sockets closed when their session ends.
 */
describe('realtime', () => {
  let database: TestDatabase;
  let first: FastifyInstance;
  let second: FastifyInstance;
  const clients: WebSocket[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    first = (await buildTestApp(database, { INGEST_WEBHOOK_SECRET: SECRET })).app;
    second = (await buildTestApp(database, { INGEST_WEBHOOK_SECRET: SECRET })).app;
    await first.listen({ port: 0, host: '127.0.0.1' });
    await second.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    for (const socket of clients) socket.terminate();
    await first.close();
    await second.close();
    await database.drop();
  });

  const wsUrl = (app: FastifyInstance, query = '') => {
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    return `ws://127.0.0.1:${port}/v1/admin/ws${query}`;
  };

  /** Opens a socket; resolves with the client, or rejects with the handshake's HTTP status. */
  function open(
    app: FastifyInstance,
    auth: { ticket?: string; token?: string } = {},
  ): Promise<Client> {
    const socket = new WebSocket(
      wsUrl(app, auth.ticket === undefined ? '' : `?ticket=${encodeURIComponent(auth.ticket)}`),
      auth.token === undefined ? {} : { headers: { authorization: `Bearer ${auth.token}` } },
    );
    clients.push(socket);
    const client = new Client(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('unexpected-response', (request, response) => {
        // Handling this event makes aborting the request ours to do (ws docs).
        request.destroy();
        reject(new Error(`handshake answered ${response.statusCode}`));
      });
      socket.once('error', reject);
    });
  }

  async function ticket(app: FastifyInstance, token: string): Promise<string> {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/admin/realtime/ticket',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ ticket: string }>().ticket;
  }

  async function subscribed(client: Client, channels: string[]): Promise<void> {
    client.send({ type: 'subscribe', channels });
    for (const channel of channels)
      await client.next((m) => m.type === 'snapshot' && m.channel === channel);
  }

  describe('the handshake', () => {
    it('refuses a connection without a ticket or token, and a made-up ticket', async () => {
      await expect(open(first)).rejects.toThrow('handshake answered 401');
      await expect(open(first, { ticket: 'wst_made-up' })).rejects.toThrow(
        'handshake answered 401',
      );
    });

    it('closes the connection of a refused handshake (no half-open socket left behind)', async () => {
      const address = first.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const socket = net.connect(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.write(
        'GET /v1/admin/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
      const timeout = new Promise<string>((resolve) =>
        setTimeout(() => resolve('still open'), 3_000),
      );
      expect(await Promise.race([closed.then(() => 'closed'), timeout])).toBe('closed');
      expect(answer).toMatch(/^HTTP\/1\.1 401/);
      socket.destroy();
    });

    it('accepts a ticket once, on any instance', async () => {
      const staff = await signedIn(first, database.db);
      const single = await ticket(first, staff.token);
      const client = await open(second, { ticket: single });
      expect(client.socket.readyState).toBe(WebSocket.OPEN);
      await expect(open(first, { ticket: single })).rejects.toThrow('handshake answered 401');
    });

    it('refuses an expired ticket', async () => {
      const staff = await signedIn(first, database.db);
      const stale = await ticket(first, staff.token);
      await database.db
        .updateTable('realtime_tickets')
        .set({ expires_at: new Date(Date.now() - 1_000) })
        .where('used_at', 'is', null)
        .execute();
      await expect(open(first, { ticket: stale })).rejects.toThrow('handshake answered 401');
    });

    it('accepts a bearer header from non-browser clients', async () => {
      const staff = await signedIn(first, database.db);
      const client = await open(first, { token: staff.token });
      client.send({ type: 'ping' });
      await client.next((m) => m.type === 'pong');
    });

    it('answers a plain HTTP request with 426 and a problem document', async () => {
      const staff = await signedIn(first, database.db);
      const response = await first.inject({
        method: 'GET',
        url: '/v1/admin/ws',
        headers: staff.headers,
      });
      expect(response.statusCode).toBe(426);
      expect(response.headers['content-type']).toContain('application/problem+json');
    });
  });

  describe('channels', () => {
    it('sends a snapshot on subscribe, then ingested changes from another instance', async () => {
      const admin = await signedIn(first, database.db, ['Admin']);
      const client = await open(second, { ticket: await ticket(second, admin.token) });
      client.send({ type: 'subscribe', channels: ['dashboard.metrics', 'users.activity'] });
      await client.next((m) => m.type === 'subscribed' && m.channel === 'dashboard.metrics');
      const snapshot = await client.next(
        (m) => m.type === 'snapshot' && m.channel === 'dashboard.metrics',
      );
      const before = (snapshot.data as { users: { total: number } }).users.total;
      await client.next((m) => m.type === 'snapshot' && m.channel === 'users.activity');

      const mark = client.messages.length;
      const id = uuid();
      await ingest(first, SECRET, [events.userCreated({ id, email: 'live.one@example.com' })]);
      const activity = await client.next(
        (m) => m.type === 'event' && m.channel === 'users.activity',
        5_000,
        mark,
      );
      expect(activity.data).toEqual([
        expect.objectContaining({
          kind: 'user.created',
          userId: id,
          email: 'live.one@example.com',
        }),
      ]);
      const update = await client.next(
        (m) => m.type === 'update' && m.channel === 'dashboard.metrics',
        5_000,
        mark,
      );
      expect((update.data as { users: { total: number } }).users.total).toBe(before + 1);
    });

    it('coalesces dashboard updates: a burst of batches gives one or two pushes, not one each', async () => {
      const admin = await signedIn(first, database.db, ['Admin']);
      const client = await open(first, { token: admin.token });
      await subscribed(client, ['dashboard.metrics']);
      const mark = client.messages.length;
      for (let i = 0; i < 10; i++)
        await ingest(second, SECRET, [
          events.userCreated({ id: uuid(), email: `burst${i}@example.com` }),
        ]);
      await client.next((m) => m.type === 'update', 5_000, mark);
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      const updates = client.messages.slice(mark).filter((m) => m.type === 'update');
      expect(updates.length).toBeGreaterThanOrEqual(1);
      expect(updates.length).toBeLessThan(10);
      const last = updates.at(-1)?.data as { users: { total: number } };
      const { count } = await database.db
        .selectFrom('user_summaries')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .executeTakeFirstOrThrow();
      expect(last.users.total).toBe(Number(count));
    });

    it('masks emails in activity for staff without users:read_pii', async () => {
      const staff = await signedIn(first, database.db, ['Staff']);
      const client = await open(first, { ticket: await ticket(first, staff.token) });
      await subscribed(client, ['users.activity']);
      const mark = client.messages.length;
      const id = uuid();
      await ingest(second, SECRET, [
        events.userCreated({ id, email: 'private.person@example.com' }),
      ]);
      const activity = await client.next((m) => m.type === 'event', 5_000, mark);
      const [item] = activity.data as { userId: string; email: string }[];
      expect(item?.userId).toBe(id);
      expect(item?.email).not.toBe('private.person@example.com');
      expect(item?.email).toContain('*');
    });

    it('names the user of an event that carries only the id (a block, a sign-in), masked without users:read_pii', async () => {
      const id = uuid();
      await ingest(first, SECRET, [events.userCreated({ id, email: 'named.later@example.com' })]);
      const admin = await signedIn(first, database.db, ['Admin']);
      const staff = await signedIn(first, database.db, ['Staff']);
      const clear = await open(first, { token: admin.token });
      const masked = await open(second, { token: staff.token });
      await subscribed(clear, ['users.activity']);
      await subscribed(masked, ['users.activity']);
      const [clearMark, maskedMark] = [clear.messages.length, masked.messages.length];
      await ingest(second, SECRET, [events.userBlocked(id, null, 'fraud')]);
      const seen = await clear.next((m) => m.type === 'event', 5_000, clearMark);
      expect(seen.data).toEqual([
        expect.objectContaining({
          kind: 'user.blocked',
          userId: id,
          email: 'named.later@example.com',
        }),
      ]);
      const hidden = await masked.next((m) => m.type === 'event', 5_000, maskedMark);
      expect(hidden.data).toEqual([
        expect.objectContaining({ kind: 'user.blocked', userId: id, email: 'n***@example.com' }),
      ]);
    });

    it('refuses channels the caller may not see, and unknown ones, but keeps the socket', async () => {
      const admin = await signedIn(first, database.db, ['Admin']);
      const created = await first.inject({
        method: 'POST',
        url: '/v1/admin/roles',
        headers: admin.headers,
        payload: { name: 'Auditor only', grants: ['audit:read'] },
      });
      expect(created.statusCode, created.body).toBe(201);
      const auditor = await signedIn(first, database.db, ['Auditor only']);
      const client = await open(first, { token: auditor.token });
      client.send({ type: 'subscribe', channels: ['dashboard.metrics', 'nonsense'] });
      const refused = await client.next(
        (m) => m.type === 'error' && m.channel === 'dashboard.metrics',
      );
      expect(refused.data).toEqual({
        message: 'dashboard.metrics needs the permission dashboard:read',
      });
      await client.next(
        (m) => m.type === 'error' && JSON.stringify(m.data).includes('no channel nonsense'),
      );
      client.socket.send('not json at all');
      await client.next((m) => m.type === 'error' && JSON.stringify(m.data).includes('JSON'));
      client.send({ type: 'ping' });
      await client.next((m) => m.type === 'pong');
      expect(client.messages.some((m) => m.type === 'snapshot')).toBe(false);
    });

    it('stops sending a channel after unsubscribe', async () => {
      const admin = await signedIn(first, database.db, ['Admin']);
      const client = await open(first, { token: admin.token });
      await subscribed(client, ['users.activity']);
      client.send({ type: 'unsubscribe', channels: ['users.activity'] });
      await client.next((m) => m.type === 'unsubscribed');
      const mark = client.messages.length;
      await ingest(first, SECRET, [events.userCreated({ id: uuid(), email: 'quiet@example.com' })]);
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(client.messages.slice(mark)).toEqual([]);
    });
  });

  describe('permission changes', () => {
    it('drops the channels a socket may no longer see when its role loses the permission', async () => {
      const admin = await signedIn(first, database.db, ['Admin']);
      const created = await first.inject({
        method: 'POST',
        url: '/v1/admin/roles',
        headers: admin.headers,
        payload: { name: 'Watcher', grants: ['users:read', 'dashboard:read'] },
      });
      expect(created.statusCode, created.body).toBe(201);
      const watcher = await signedIn(first, database.db, ['Watcher']);
      const client = await open(first, { token: watcher.token });
      await subscribed(client, ['users.activity', 'dashboard.metrics']);

      await database.db
        .deleteFrom('role_grants')
        .where('role_id', '=', created.json<{ id: string }>().id)
        .where('grant', '=', 'users:read')
        .execute();
      await first.realtime.revalidate();
      const dropped = await client.next(
        (m) => m.type === 'unsubscribed' && m.channel === 'users.activity',
      );
      expect(dropped.data).toEqual({
        message: 'your permissions changed: users.activity needs users:read',
      });
      const mark = client.messages.length;
      await ingest(first, SECRET, [
        events.userCreated({ id: uuid(), email: 'hidden@example.com' }),
      ]);
      // The dashboard still updates; the user's activity no longer arrives.
      await client.next((m) => m.channel === 'dashboard.metrics', 5_000, mark);
      expect(client.messages.slice(mark).some((m) => m.channel === 'users.activity')).toBe(false);
      expect(client.closed).toBeUndefined();
    });
  });

  describe('session end', () => {
    it('closes every socket of a session that signs out, on every instance, with 4401', async () => {
      const staff = await signedIn(first, database.db);
      const onFirst = await open(first, { ticket: await ticket(first, staff.token) });
      const onSecond = await open(second, { token: staff.token });
      const other = await signedIn(first, database.db);
      const bystander = await open(second, { token: other.token });

      const logout = await second.inject({
        method: 'POST',
        url: '/v1/admin/auth/logout',
        headers: staff.headers,
      });
      expect(logout.statusCode).toBeLessThan(300);
      expect((await onFirst.closedWith()).code).toBe(4401);
      expect((await onSecond.closedWith()).code).toBe(4401);
      expect(bystander.closed).toBeUndefined();
    });

    it('closes the sockets of a session an Admin revokes', async () => {
      const admin = await signedIn(first, database.db, ['Admin']);
      const staff = await signedIn(first, database.db);
      const client = await open(second, { token: staff.token });
      const sessions = await first.inject({
        method: 'GET',
        url: `/v1/admin/sessions?staffId=${staff.id}`,
        headers: admin.headers,
      });
      expect(sessions.statusCode, sessions.body).toBe(200);
      const [session] = sessions.json<{ data: { id: string }[] }>().data;
      const revoked = await first.inject({
        method: 'DELETE',
        url: `/v1/admin/sessions/${session?.id}?reason=lost%20laptop`,
        headers: admin.headers,
      });
      expect(revoked.statusCode, revoked.body).toBe(204);
      expect((await client.closedWith()).code).toBe(4401);
    });
  });
});
