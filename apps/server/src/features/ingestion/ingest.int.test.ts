import {
  signWebhook,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
} from '@backoffice/contracts/webhook-signature';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, uuid } from '../../../test/factories/events.ts';
import { poisonMessages } from '../../../test/factories/poison.ts';
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
    const raw = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
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

  const encode = (value: unknown) => Buffer.from(JSON.stringify(value));

  async function webhookStats() {
    const stats = await database.db
      .selectFrom('ingestion_source_stats')
      .select(['processed', 'duplicates', 'dead_letters'])
      .where('source', '=', 'webhook')
      .executeTakeFirst();
    return stats ?? { processed: 0, duplicates: 0, dead_letters: 0 };
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

  it('dead-letters poison events between good ones, answers 202 and counts repeats', async () => {
    const good = [1, 2, 3, 4].map((i) =>
      encode(events.userCreated({ id: uuid(), email: `good${i}@example.com` })),
    );
    // The ones that are JSON: a body with bytes that are not UTF-8 is not JSON at all (see below).
    const poison = poisonMessages().filter((p) => p.rawEncoding === 'utf8');
    const [surrogate, nul, deep] = poison.map((p) => p.bytes);
    const items = [good[0], surrogate, good[1], nul, good[2], deep, good[3], good[0]];
    const before = await webhookStats();
    const response = await post(`[${items.map(String).join(',')}]`);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({
      accepted: 4,
      duplicates: 1,
      rejected: [1, 3, 5].map((index) => ({ index, reason: 'unstorable' })),
    });
    const letters = await database.db
      .selectFrom('dead_letters')
      .select(['event_id', 'payload', 'raw', 'raw_encoding'])
      .where(
        'event_id',
        'in',
        poison.map((p) => p.eventId ?? ''),
      )
      .execute();
    // Kept exactly as sent (the producer's JSON is compact, so even its spacing is the same).
    expect(letters).toHaveLength(3);
    for (const letter of letters) {
      const sent = poison.find((p) => p.eventId === letter.event_id);
      expect(letter).toEqual({
        event_id: sent?.eventId,
        payload: null,
        raw: sent?.bytes.toString(),
        raw_encoding: 'utf8',
      });
    }
    expect(await webhookStats()).toEqual({
      processed: before.processed + 4,
      duplicates: before.duplicates + 1,
      dead_letters: before.dead_letters + 3,
    });
  });

  it('answers a body that is not UTF-8 with 400 and stores nothing', async () => {
    const [latin1] = poisonMessages().filter((p) => p.rawEncoding === 'base64');
    const good = encode(events.userCreated({ id: uuid(), email: 'before@example.com' }));
    const before = await webhookStats();
    const response = await post(
      Buffer.concat([
        Buffer.from('['),
        good,
        Buffer.from(','),
        latin1?.bytes ?? Buffer.alloc(0),
        Buffer.from(']'),
      ]),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ detail: 'The body is not UTF-8 text.' });
    expect(await webhookStats()).toEqual(before);
  });

  it("tells the producer in its own words, never the database's, that an event could not be applied", async () => {
    const tx = events.transactionCreated({
      id: uuid(),
      user_id: uuid(),
      amount: '1.00',
      // Valid ISO 8601, but PostgreSQL has no year 0.
      date: '0000-01-01T00:00:00Z',
    });
    const response = await post([tx]);
    expect(response.statusCode).toBe(202);
    const [rejection] = response.json<{ rejected: { reason: string; detail: string }[] }>()
      .rejected;
    expect(rejection).toEqual({
      index: 0,
      reason: 'projection_error',
      detail: 'The event could not be applied to the read model; it is kept as a dead letter.',
    });
    // The operator sees why.
    const letter = await database.db
      .selectFrom('dead_letters')
      .select('detail')
      .where('event_id', '=', tx.event_id)
      .executeTakeFirstOrThrow();
    expect(letter.detail).toMatch(/out of range/);
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
