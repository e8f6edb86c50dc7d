import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, uuid } from '../../../test/factories/events.ts';
import { poisonMessages, storedRaw } from '../../../test/factories/poison.ts';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { createStaff, signIn, signedIn } from '../../../test/helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { waitFor } from '../../../test/helpers/wait.ts';

describe('ingestion operations', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let admin: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ app } = await buildTestApp(database, { INGEST_WEBHOOK_SECRET: 'secret' }));
    await app.ready();
    admin = await signedIn(app, database.db, ['Admin']);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const call = (method: 'GET' | 'POST', url: string, payload?: object, headers = admin.headers) =>
    app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });

  /** A valid event that a source gave up on, and an event whose schema version we do not read. */
  async function deadLetters(): Promise<{ replayable: number; invalid: number; userId: string }> {
    const userId = uuid();
    await app.projector.deadLetter(
      [
        {
          body: events.userCreated({ id: userId, email: 'private.person@example.com' }),
          position: { source: 'nats', topic: 'users.events', offset: 7 },
        },
      ],
      'max_deliveries',
      'gave up after 10 deliveries: database was down',
    );
    await app.projector.ingest([
      {
        body: { ...events.userCreated({ id: uuid(), email: 'v2@example.com' }), version: '2.0' },
        position: { source: 'webhook' },
      },
    ]);
    const rows = await database.db
      .selectFrom('dead_letters')
      .select(['id', 'reason'])
      .orderBy('id', 'desc')
      .limit(2)
      .execute();
    return {
      replayable: rows.find((r) => r.reason === 'max_deliveries')?.id ?? 0,
      invalid: rows.find((r) => r.reason === 'unsupported_version')?.id ?? 0,
      userId,
    };
  }

  it('lists dead letters with filters and shows one with its position and payload', async () => {
    const { replayable } = await deadLetters();
    const list = await call(
      'GET',
      '/v1/admin/system/dead-letters?status=pending&reason=max_deliveries',
    );
    expect(list.statusCode).toBe(200);
    expect(list.json<{ data: { id: number }[] }>().data.map((d) => d.id)).toContain(replayable);
    const one = await call('GET', `/v1/admin/system/dead-letters/${replayable}`);
    expect(one.json()).toMatchObject({
      source: 'nats',
      position: { topic: 'users.events', offset: 7 },
      eventType: 'user.created',
      payload: { data: { user: { email: 'private.person@example.com' } } },
    });
  });

  it('replays a dead letter into the read model, once', async () => {
    const { replayable, userId } = await deadLetters();
    const replay = await call('POST', `/v1/admin/system/dead-letters/${replayable}/replay`);
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toMatchObject({
      replayed: true,
      duplicate: false,
      deadLetter: { status: 'replayed', resolvedBy: admin.email },
    });
    const user = await database.db
      .selectFrom('user_summaries')
      .select('email')
      .where('id', '=', userId)
      .executeTakeFirst();
    expect(user).toEqual({ email: 'private.person@example.com' });
    expect(
      (await call('POST', `/v1/admin/system/dead-letters/${replayable}/replay`)).statusCode,
    ).toBe(409);
  });

  it('lets only one of simultaneous replays succeed, with one audit entry', async () => {
    const { replayable } = await deadLetters();
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        call('POST', `/v1/admin/system/dead-letters/${replayable}/replay`),
      ),
    );
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const entries = await database.db
      .selectFrom('audit_logs')
      .select('outcome')
      .where('action', '=', 'dead_letters.replay')
      .where('resource_id', '=', String(replayable))
      .execute();
    expect(entries).toEqual([{ outcome: 'success' }]);
  });

  it('keeps a dead letter that fails again pending, with the attempt counted', async () => {
    const { invalid } = await deadLetters();
    const replay = await call('POST', `/v1/admin/system/dead-letters/${invalid}/replay`);
    expect(replay.json()).toMatchObject({
      replayed: false,
      deadLetter: { status: 'pending', attempts: 2, reason: 'unsupported_version' },
    });
  });

  it('shows and replays poison dead letters without error, keeping them pending with their bytes', async () => {
    const poison = poisonMessages();
    await app.projector.ingest(
      poison.map((p, i) => ({
        body: p.bytes,
        position: { source: 'kafka', topic: 'users.events', partition: 0, offset: i },
      })),
    );
    for (const sent of poison) {
      const { id } = await database.db
        .selectFrom('dead_letters')
        .select('id')
        .where('raw', '=', storedRaw(sent))
        .executeTakeFirstOrThrow();
      const shown = await call('GET', `/v1/admin/system/dead-letters/${id}`);
      expect(shown.statusCode).toBe(200);
      expect(shown.json()).toMatchObject({
        reason: sent.reason,
        raw: storedRaw(sent),
        rawEncoding: sent.rawEncoding,
      });
      const replay = await call('POST', `/v1/admin/system/dead-letters/${id}/replay`);
      expect(replay.statusCode).toBe(200);
      expect(replay.json()).toMatchObject({
        replayed: false,
        deadLetter: { status: 'pending', attempts: 2, reason: sent.reason, raw: storedRaw(sent) },
      });
    }
    const list = await call('GET', '/v1/admin/system/dead-letters?source=kafka&limit=100');
    expect(list.statusCode).toBe(200);
  });

  it('discards a dead letter with a reason, and only once', async () => {
    const { invalid } = await deadLetters();
    expect(
      (await call('POST', `/v1/admin/system/dead-letters/${invalid}/discard`, {})).statusCode,
    ).toBe(400);
    const discarded = await call('POST', `/v1/admin/system/dead-letters/${invalid}/discard`, {
      reason: 'version 2 producer was a test deployment',
    });
    expect(discarded.json()).toMatchObject({
      status: 'discarded',
      resolution: 'version 2 producer was a test deployment',
    });
    expect(
      (
        await call('POST', `/v1/admin/system/dead-letters/${invalid}/discard`, {
          reason: 'again and again',
        })
      ).statusCode,
    ).toBe(409);
  });

  it('reports every source: totals, last event, dead letters', async () => {
    await deadLetters();
    const status = await call('GET', '/v1/admin/system/ingestion');
    expect(status.statusCode).toBe(200);
    const body = status.json<{
      pendingDeadLetters: number;
      sources: { name: string; enabled: boolean; deadLetters: number }[];
    }>();
    expect(body.pendingDeadLetters).toBeGreaterThan(0);
    expect(body.sources.find((s) => s.name === 'webhook')).toMatchObject({ enabled: true });
    expect(body.sources.find((s) => s.name === 'nats')?.deadLetters).toBeGreaterThan(0);
  });

  it('masks the payload for a caller who may see dead letters but not personal data', async () => {
    const { replayable } = await deadLetters();
    await database.db
      .insertInto('roles')
      .values({ name: 'Operator', description: 'ops' })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const role = await database.db
      .selectFrom('roles')
      .select('id')
      .where('name', '=', 'Operator')
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('role_grants')
      .values({ role_id: role.id, grant: 'system:read' })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const operator = await createStaff(database.db, { roles: ['Operator'] });
    const headers = { authorization: `Bearer ${await signIn(app, operator.email)}` };
    const masked = await call(
      'GET',
      `/v1/admin/system/dead-letters/${replayable}`,
      undefined,
      headers,
    );
    expect(masked.statusCode).toBe(200);
    expect(masked.json()).toMatchObject({ payload: '***', eventType: 'user.created' });
    expect(masked.body).not.toContain('private.person');
  });

  it('lists the periodic tasks with their last and next runs, for those who may see the system', async () => {
    // The scheduler runs every task when the application starts: wait for the cluster-wide ones.
    type Listed = { name: string; scope: string; lastOutcome: string | null; nextRunAt: string };
    let listed: Listed[] = [];
    await waitFor(async () => {
      const response = await call('GET', '/v1/admin/system/schedules');
      expect(response.statusCode).toBe(200);
      listed = response.json<{ data: Listed[] }>().data;
      return listed.every((task) => task.scope === 'instance' || task.lastOutcome === 'succeeded');
    });
    expect(listed.map((task) => task.name)).toEqual(
      expect.arrayContaining([
        'audit.checkpoint',
        'dashboard.active-users',
        'ingestion.catch-up',
        'ingestion.partitions',
      ]),
    );
    for (const task of listed) expect(Date.parse(task.nextRunAt)).not.toBeNaN();

    const staff = await signedIn(app, database.db, ['Staff']);
    const forbidden = await call('GET', '/v1/admin/system/schedules', undefined, staff.headers);
    expect(forbidden.statusCode).toBe(403);
  });
});
