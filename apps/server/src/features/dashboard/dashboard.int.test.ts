import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { events, uuid } from '../../../test/factories/events.ts';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { signedIn } from '../../../test/helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { ingest } from '../../../test/helpers/ingest.ts';
import { sql } from 'kysely';
import { changeOf, CHANGES_CHANNEL, notifyPayload } from '../../platform/realtime/changes.ts';
import { DashboardRepository } from './dashboard.repository.ts';
import { waitFor } from '../../../test/helpers/wait.ts';

const SECRET = 'dashboard-test-webhook-secret';

const DAY = 86_400_000;
const daysAgo = (days: number, base = Date.now()) => new Date(base - days * DAY).toISOString();
const today = () => new Date().toISOString().slice(0, 10);

interface Metrics {
  users: {
    total: number;
    active30d: number;
    withActiveSessions: number;
    activeSessions: number;
    blocked: number;
    registrations7d: number;
    registrations30d: number;
    byRole: Record<string, number>;
  };
  growth: {
    daily: { date: string; registrations: number; total: number }[];
    weekly: { weekStart: string; registrations: number; total: number }[];
  };
  transactions: {
    total: number;
    today: { date: string; count: number; volume: string; income: string; expense: string };
    daily: { date: string; count: number }[];
  };
  budgets: { total: number };
  active30dComputedAt: string | null;
}

/**
 * The dashboard's figures, from events with known dates: every number is checked against what the
 * events imply, and the active-users snapshot against its definition.
 */
describe('dashboard', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let headers: { authorization: string };

  // Ten users: registered 0, 3, 6, 10, 20, 40, 100, 200, 300 and 400 days ago; one Staff, one Admin.
  const registeredDaysAgo = [0, 3, 6, 10, 20, 40, 100, 200, 300, 400];
  const ids = registeredDaysAgo.map(() => uuid());

  beforeAll(async () => {
    database = await createTestDatabase();
    app = (await buildTestApp(database, { INGEST_WEBHOOK_SECRET: SECRET })).app;
    headers = (await signedIn(app, database.db, ['Staff'])).headers;

    const now = Date.now();
    const batch = [
      ...ids.map((id, i) =>
        events.userCreated(
          {
            id,
            email: `user${i}@example.com`,
            role: i === 8 ? 'Staff' : i === 9 ? 'Admin' : 'Customer',
            created_at: daysAgo(registeredDaysAgo[i] ?? 0, now),
          },
          daysAgo(registeredDaysAgo[i] ?? 0, now),
        ),
      ),
      events.userBlocked(ids[4] ?? '', null, 'fraud', daysAgo(1, now)),
      // Two live sessions of one user, one of another, one ended: 3 sessions, 2 users.
      events.sessionCreated('s1', ids[0] ?? '', daysAgo(0.1, now), daysAgo(0.1, now)),
      events.sessionCreated('s2', ids[0] ?? '', daysAgo(0.05, now), daysAgo(0.05, now)),
      events.sessionCreated('s3', ids[1] ?? '', daysAgo(2, now), daysAgo(2, now)),
      events.sessionCreated('s4', ids[2] ?? '', daysAgo(5, now), daysAgo(5, now)),
      events.sessionEnded('s4', ids[2] ?? '', daysAgo(4, now), daysAgo(4, now)),
      // Today: an expense and an income; yesterday: one more; 60 days ago: one (outside 30 days).
      events.transactionCreated(
        { id: uuid(), user_id: ids[0] ?? '', amount: '12.50', date: daysAgo(0, now) },
        daysAgo(0, now),
      ),
      events.transactionCreated(
        {
          id: uuid(),
          user_id: ids[1] ?? '',
          amount: '100.00',
          transaction_type: 'INCOME',
          date: daysAgo(0, now),
        },
        daysAgo(0, now),
      ),
      events.transactionCreated(
        { id: uuid(), user_id: ids[1] ?? '', amount: '7.25', date: daysAgo(1, now) },
        daysAgo(1, now),
      ),
      events.transactionCreated(
        { id: uuid(), user_id: ids[9] ?? '', amount: '3.00', date: daysAgo(60, now) },
        daysAgo(60, now),
      ),
      events.budgetCreated({ id: uuid(), user_id: ids[0] ?? '' }, daysAgo(3, now)),
    ];
    expect(await ingest(app, SECRET, batch)).toMatchObject({
      accepted: batch.length,
      rejected: [],
    });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const metrics = async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/admin/dashboard/metrics',
      headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Metrics>();
  };

  it('counts users, sessions, blocks and registrations from the counters', async () => {
    const { users } = await metrics();
    expect(users).toMatchObject({
      total: 10,
      blocked: 1,
      withActiveSessions: 2,
      activeSessions: 3,
      registrations7d: 3,
      registrations30d: 5,
      byRole: { Customer: 8, Staff: 1, Admin: 1 },
    });
  });

  it('gives daily and weekly growth series that end at the total', async () => {
    const { growth } = await metrics();
    expect(growth.daily).toHaveLength(90);
    expect(growth.daily.at(-1)).toMatchObject({ date: today(), registrations: 1, total: 10 });
    expect(growth.daily.reduce((n, d) => n + d.registrations, 0)).toBe(6); // registered within 90 days
    expect(growth.daily[0]?.total).toBe(10 - 6 + (growth.daily[0]?.registrations ?? 0));
    expect(growth.weekly).toHaveLength(26);
    expect(growth.weekly.at(-1)?.total).toBe(10);
    const weeks = growth.weekly.map((w) => w.weekStart);
    expect(weeks).toEqual([...weeks].sort());
  });

  it('reports today’s volume and a 30-day series of transactions', async () => {
    const { transactions, budgets } = await metrics();
    expect(transactions.total).toBe(4);
    expect(transactions.today).toMatchObject({
      date: today(),
      count: 2,
      volume: '112.50',
      income: '100.00',
      expense: '12.50',
    });
    expect(transactions.daily).toHaveLength(30);
    expect(transactions.daily.reduce((n, d) => n + d.count, 0)).toBe(3);
    expect(budgets.total).toBe(1);
  });

  it('counts users active in the last 30 days from the periodic snapshot', async () => {
    const before = (await metrics()).active30dComputedAt;
    await new DashboardRepository(database.db).refreshActive30d();
    // A recount written elsewhere (here: straight into the table) is seen once the document ages out.
    await waitFor(async () => (await metrics()).active30dComputedAt !== before);
    const { users, active30dComputedAt } = await metrics();
    const { count } = await database.db
      .selectFrom('user_summaries')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('last_activity_at', '>=', new Date(Date.now() - 30 * DAY))
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBeGreaterThan(0);
    expect(users.active30d).toBe(Number(count));
    expect(Date.now() - Date.parse(active30dComputedAt ?? '')).toBeLessThan(60_000);
  });

  it('reports the database and the event sources in health, and needs dashboard:read', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/admin/dashboard/health',
      headers,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      services: [],
      database: { status: 'up' },
      sources: expect.arrayContaining([
        expect.objectContaining({ name: 'webhook', enabled: true }),
      ]) as unknown,
    });
    const admin = await signedIn(app, database.db, ['Admin']);
    const created = await app.inject({
      method: 'POST',
      url: '/v1/admin/roles',
      headers: admin.headers,
      payload: { name: 'No dashboard', grants: ['users:read'] },
    });
    expect(created.statusCode).toBe(201);
    const other = await signedIn(app, database.db, ['No dashboard']);
    for (const url of ['/v1/admin/dashboard/metrics', '/v1/admin/dashboard/health']) {
      expect((await app.inject({ method: 'GET', url, headers: other.headers })).statusCode).toBe(
        403,
      );
    }
  });
});

/** Where each platform service runs is internal: only holders of system:read see the URLs. */
describe('dashboard health: service URLs', () => {
  const USER_SERVICE_URL = 'http://127.0.0.1:9';
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = (
      await buildTestApp(database, {
        USER_SERVICE_URL,
        SERVICE_JWT_SECRET: 'dashboard-test-service-jwt-secret-32-bytes',
        HEALTH_CHECK_INTERVAL_MS: '200',
      })
    ).app;
    await app.listen({ port: 0, host: '127.0.0.1' });
    const admin = await signedIn(app, database.db, ['Admin']);
    const created = await app.inject({
      method: 'POST',
      url: '/v1/admin/roles',
      headers: admin.headers,
      payload: { name: 'Operator', grants: ['dashboard:read', 'system:read'] },
    });
    expect(created.statusCode, created.body).toBe(201);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const servicesOf = async (headers: { authorization: string }) => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/admin/dashboard/health',
      headers,
    });
    expect(response.statusCode).toBe(200);
    return response.json<{ services: { service: string; url?: string }[] }>().services;
  };

  /** The first system.health snapshot and the first update a socket of this person receives. */
  async function liveHealth(token: string): Promise<unknown[]> {
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/admin/ws`, {
      headers: { authorization: `Bearer ${token}` },
    });
    try {
      return await new Promise<unknown[]>((resolve, reject) => {
        const received: Record<string, unknown> = {};
        socket.once('error', reject);
        socket.once('open', () =>
          socket.send(JSON.stringify({ type: 'subscribe', channels: ['system.health'] })),
        );
        socket.on('message', (raw: Buffer) => {
          const message = JSON.parse(raw.toString('utf8')) as { type: string; data?: unknown };
          if (message.type === 'snapshot' || message.type === 'update')
            received[message.type] ??= message.data;
          if ('snapshot' in received && 'update' in received)
            resolve([received.snapshot, received.update]);
        });
      });
    } finally {
      socket.terminate();
    }
  }

  const urlsIn = (data: unknown) => JSON.stringify(data).includes(USER_SERVICE_URL);

  it('hides them from Staff, in the document and on the WebSocket', async () => {
    const staff = await signedIn(app, database.db, ['Staff']);
    const services = await servicesOf(staff.headers);
    expect(services).toEqual([expect.objectContaining({ service: 'user-service' })]);
    expect(services[0]).not.toHaveProperty('url');
    const [snapshot, update] = await liveHealth(staff.token);
    expect(urlsIn(snapshot)).toBe(false);
    expect(urlsIn(update)).toBe(false);
  });

  it('shows them with system:read', async () => {
    for (const roles of [['Admin'], ['Operator']]) {
      const person = await signedIn(app, database.db, roles);
      expect(await servicesOf(person.headers)).toEqual([
        expect.objectContaining({ service: 'user-service', url: USER_SERVICE_URL }),
      ]);
      const [snapshot, update] = await liveHealth(person.token);
      expect(urlsIn(snapshot)).toBe(true);
      expect(urlsIn(update)).toBe(true);
    }
  });
});

/**
 * One metrics document for every reader, until the read model changes: a batch committed here evicts it
 * before the ingest answers, one committed elsewhere by its NOTIFY. Changes no one announces (here:
 * counters edited straight in SQL) show only when the document ages out (an hour in this test).
 */
describe('dashboard metrics document', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let headers: { authorization: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    app = (
      await buildTestApp(database, { INGEST_WEBHOOK_SECRET: SECRET, DASHBOARD_CACHE_MS: '3600000' })
    ).app;
    await app.ready();
    await waitFor(() => Promise.resolve(app.notifications.listening));
    headers = (await signedIn(app, database.db, ['Staff'])).headers;
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const total = async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/admin/dashboard/metrics',
      headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    return response.json<Metrics>().users.total;
  };
  const unannounced = (delta: number) =>
    sql`UPDATE read_model_counters SET value = value + ${delta} WHERE name = 'users.total'`.execute(
      database.db,
    );

  it('serves the document it has until a batch commits here or elsewhere', async () => {
    // Every commit is also announced to every instance, this one included: count what arrived.
    let heard = 0;
    app.notifications.on(CHANGES_CHANNEL, () => heard++);
    expect(
      await ingest(app, SECRET, [events.userCreated({ id: uuid(), email: 'a@example.com' })]),
    ).toMatchObject({ accepted: 1 });
    await waitFor(() => Promise.resolve(heard === 1));
    expect(await total()).toBe(1);
    expect(await total()).toBe(1);
    await unannounced(1_000);
    expect(await total()).toBe(1); // computed once, served again

    // A batch committed here: evicted before the ingest answered.
    await ingest(app, SECRET, [events.userCreated({ id: uuid(), email: 'b@example.com' })]);
    expect(await total()).toBe(1_002);
    await waitFor(() => Promise.resolve(heard === 2)); // its own announcement, later
    expect(await total()).toBe(1_002);

    // A batch committed by another instance: only its announcement tells this one.
    await unannounced(10);
    expect(await total()).toBe(1_002);
    await sql`SELECT pg_notify(${CHANGES_CHANNEL}, ${notifyPayload(changeOf([]))})`.execute(
      database.db,
    );
    await waitFor(async () => (await total()) === 1_012);
  });
});
