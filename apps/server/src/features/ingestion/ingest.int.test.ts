import {
  signWebhook,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from '@backoffice/contracts/webhook-signature';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, uuid } from '../../../test/factories/events.ts';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { counters } from '../../../test/helpers/read-model.ts';
import { createDatabase } from '../../platform/db/database.ts';

const SECRET = 'current-webhook-secret';
const OLD_SECRET = 'previous-webhook-secret';

describe('POST /v1/ingest/events', () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ app } = await buildTestApp(database, {
      INGEST_WEBHOOK_SECRET: `${SECRET},${OLD_SECRET}`,
      INGEST_MAX_BATCH: '50',
      INGEST_MAX_BODY_BYTES: String(64 * 1024),
    }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  function post(
    body: unknown,
    options: { secret?: string; at?: Date; headers?: Record<string, string> } = {},
  ) {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    return app.inject({
      method: 'POST',
      url: '/v1/ingest/events',
      headers: {
        'content-type': 'application/json',
        ...signWebhook(options.secret ?? SECRET, raw, options.at),
        ...options.headers,
      },
      payload: raw,
    });
  }

  it('answers 202 with the counts once the batch is committed, and projects it', async () => {
    const userId = uuid();
    const batch = [
      events.userCreated({ id: userId, email: 'hook@example.com' }),
      events.transactionCreated({
        id: uuid(),
        user_id: userId,
        amount: '12.00',
        date: '2026-07-01T00:00:00Z',
      }),
    ];
    const response = await post({ events: batch });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const user = await database.db
      .selectFrom('user_summaries')
      .selectAll()
      .where('id', '=', userId)
      .executeTakeFirst();
    expect(user).toMatchObject({ email: 'hook@example.com', total_transactions: 1 });

    // The sender did not see the answer and sends the same batch again.
    expect((await post({ events: batch })).json()).toEqual({
      accepted: 0,
      duplicates: 2,
      rejected: [],
    });
  });

  it('accepts a single envelope and a bare array too', async () => {
    expect(
      (await post(events.userCreated({ id: uuid(), email: 'one@example.com' }))).json(),
    ).toMatchObject({
      accepted: 1,
    });
    const pair = [1, 2].map((i) =>
      events.userCreated({ id: uuid(), email: `pair${i}@example.com` }),
    );
    expect((await post(pair)).json()).toMatchObject({ accepted: 2 });
  });

  it('lists the events it dead-lettered by index and reason', async () => {
    const good = events.userCreated({ id: uuid(), email: 'fine@example.com' });
    const response = await post([
      good,
      { ...good, event_id: uuid(), version: '9.0' },
      { hello: 'world' },
    ]);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({
      accepted: 1,
      rejected: [
        { index: 1, reason: 'unsupported_version' },
        { index: 2, reason: 'invalid_envelope' },
      ],
    });
  });

  it('accepts a signature made with a previous secret still configured (rotation)', async () => {
    const response = await post(
      [events.userCreated({ id: uuid(), email: 'rotated@example.com' })],
      {
        secret: OLD_SECRET,
      },
    );
    expect(response.statusCode).toBe(202);
  });

  it.each([
    ['a wrong secret', { secret: 'guessed' }],
    ['a request signed six minutes ago (replay)', { at: new Date(Date.now() - 6 * 60_000) }],
    ['no signature', { headers: { [SIGNATURE_HEADER]: '' } }],
    ['no timestamp', { headers: { [TIMESTAMP_HEADER]: '' } }],
  ])('refuses %s with 401 and stores nothing', async (_name, options) => {
    const before = await counters(database.db);
    const response = await post(
      [events.userCreated({ id: uuid(), email: 'intruder@example.com' })],
      options,
    );
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ type: 'urn:backoffice:problem:unauthorized' });
    expect(await counters(database.db)).toEqual(before);
  });

  it('refuses a body changed after signing', async () => {
    const raw = JSON.stringify([events.userCreated({ id: uuid(), email: 'a@example.com' })]);
    const response = await app.inject({
      method: 'POST',
      url: '/v1/ingest/events',
      headers: { 'content-type': 'application/json', ...signWebhook(SECRET, raw) },
      payload: raw.replace('a@example.com', 'b@example.com'),
    });
    expect(response.statusCode).toBe(401);
  });

  it('answers a signed body that is not JSON with 400', async () => {
    const response = await post('{"events": [');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      detail: expect.stringMatching(/^The body is not valid JSON/) as string,
    });
  });

  it('answers more events than INGEST_MAX_BATCH with 413', async () => {
    const batch = Array.from({ length: 51 }, (_, i) =>
      events.userCreated({ id: uuid(), email: `b${i}@example.com` }),
    );
    const response = await post(batch);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({
      detail: 'A batch holds at most 50 events; this one has 51.',
    });
  });

  it('answers a body over INGEST_MAX_BODY_BYTES with 413', async () => {
    const big = events.userCreated({ id: uuid(), email: 'big@example.com' });
    const response = await post({ ...big, padding: 'x'.repeat(70 * 1024) });
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

describe('POST /v1/ingest/events when it cannot store', () => {
  it('answers 503 when no secret is configured', async () => {
    const database = await createTestDatabase();
    const { app } = await buildTestApp(database);
    try {
      const response = await app.inject({ method: 'POST', url: '/v1/ingest/events', payload: [] });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        detail: expect.stringContaining('INGEST_WEBHOOK_SECRET') as string,
      });
    } finally {
      await app.close();
      await database.drop();
    }
  });

  it('answers 503 with Retry-After when the database is unreachable, so the sender retries', async () => {
    const unreachable = createDatabase('postgres://nobody:nothing@127.0.0.1:1/none');
    const { app } = await buildTestApp(unreachable, { INGEST_WEBHOOK_SECRET: SECRET });
    try {
      const raw = JSON.stringify([events.userCreated({ id: uuid(), email: 'later@example.com' })]);
      const response = await app.inject({
        method: 'POST',
        url: '/v1/ingest/events',
        headers: { 'content-type': 'application/json', ...signWebhook(SECRET, raw) },
        payload: raw,
      });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
    } finally {
      await app.close();
      await unreachable.close();
    }
  });
});
