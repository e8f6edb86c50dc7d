import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../src/domain/categories.ts';
import type { OutboxMessage } from '../src/outbox/outbox.repository.ts';
import { OutboxRelay } from '../src/outbox/relay.ts';
import { KafkaPublisher, type KafkaProducerLike } from '../src/transports/kafka.ts';
import type { Publisher } from '../src/transports/publisher.ts';
import { WebhookPublisher } from '../src/transports/webhook.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import {
  buildTestServices,
  newUser,
  TEST_PASSWORD,
  silentLogger,
  type TestServices,
} from './helpers/services.ts';
import { capturingLogger, waitFor } from './helpers/wait.ts';
import { WebhookReceiver } from './helpers/webhook-receiver.ts';

const FAST_RETRY = { initialMs: 20, maxMs: 200 };

describe('the outbox relay', () => {
  let database: TestDatabase;
  let sandbox: TestServices;
  const relays: OutboxRelay[] = [];
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = await buildTestServices(database.db);
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await Promise.all(receivers.splice(0).map((receiver) => receiver.stop()));
    // Each test starts from an empty outbox.
    await sql`TRUNCATE outbox`.execute(database.db);
  });
  afterAll(async () => {
    await sandbox.close();
    await database.drop();
  });

  function relay(
    publisher: Publisher,
    options: { batchSize?: number; logger?: typeof silentLogger } = {},
  ) {
    const created = new OutboxRelay({
      db: database.db,
      publisher,
      batchSize: options.batchSize ?? 4,
      logger: options.logger ?? silentLogger,
      pollIntervalMs: 20,
      backoff: FAST_RETRY,
    });
    relays.push(created);
    return created;
  }

  async function startReceiver(configure: (receiver: WebhookReceiver) => void = () => {}) {
    const receiver = new WebhookReceiver();
    configure(receiver);
    receivers.push(receiver);
    await receiver.start();
    return receiver;
  }

  async function outboxIds(): Promise<string[]> {
    const rows = await database.db.selectFrom('outbox').select('event_id').orderBy('id').execute();
    return rows.map((r) => r.event_id);
  }

  /** A few users doing things: about a dozen events of several types. */
  async function activity(): Promise<void> {
    const { users, transactions } = sandbox.services;
    for (let i = 0; i < 3; i++) {
      const user = await newUser(sandbox.services);
      const context = { correlationId: randomUUID() };
      const { sessionId } = await users.login(
        { email: user.email, password: TEST_PASSWORD },
        { ip: null, userAgent: null },
        context,
      );
      const category = CATEGORIES[i] ?? CATEGORIES[0];
      await transactions.create(
        { userId: user.id, categoryId: category!.id, amount: '12.34', description: 'Shop' },
        context,
      );
      await users.logout(sessionId, context);
    }
  }

  it('keeps the services working while the webhook target is down, then delivers every event once, in order, signed', async () => {
    const receiver = await startReceiver();
    await receiver.stop();
    const webhook = relay(
      new WebhookPublisher({ url: receiver.url, secret: receiver.secret, logger: silentLogger }),
    );
    webhook.start();

    await activity();
    await waitFor(
      async () => (await webhook.status()).failingSince !== null,
      'the relay to notice the failure',
    );
    expect((await webhook.status()).lastError).toContain('ECONNREFUSED');

    receiver.mode = 'fail';
    await receiver.start();
    await waitFor(
      async () => (await webhook.status()).lastError?.includes('503') === true,
      'a 503',
    );
    await activity();
    expect(receiver.events).toEqual([]);

    receiver.mode = 'accept';
    await waitFor(async () => (await webhook.status()).pending === 0, 'the backlog to drain');
    const expected = await outboxIds();
    expect(expected.length).toBeGreaterThan(20);
    expect(receiver.events.map((e) => e.event_id)).toEqual(expected);
    expect(receiver.signatureFailures).toBe(0);
    expect(Math.max(...receiver.batchSizes)).toBeLessThanOrEqual(4);
    const status = await webhook.status();
    expect(status).toMatchObject({
      publish: 'webhook',
      pending: 0,
      failingSince: null,
      deliveredTotal: expected.length,
    });
  });

  it('tells the webhook receiver with each batch how many events wait behind it', async () => {
    const receiver = await startReceiver();
    await activity();
    const total = (await outboxIds()).length;
    const webhook = relay(
      new WebhookPublisher({ url: receiver.url, secret: receiver.secret, logger: silentLogger }),
    );
    webhook.start();
    await waitFor(async () => (await webhook.status()).pending === 0, 'the backlog to drain');

    let left = total;
    const expected = receiver.batchSizes.map((size) => (left -= size));
    expect(receiver.backlogs).toEqual(expected);
    expect(receiver.backlogs.at(-1)).toBe(0);
    expect(receiver.backlogs.length).toBeGreaterThan(2);
  });

  it('delivers the rest after a relay is stopped part-way and another one starts', async () => {
    const receiver = await startReceiver((r) => (r.delayMs = 60));
    await activity();
    const publisher = new WebhookPublisher({
      url: receiver.url,
      secret: receiver.secret,
      logger: silentLogger,
    });
    const first = relay(publisher, { batchSize: 3 });
    first.start();
    await waitFor(() => receiver.events.length >= 3, 'a first batch');
    await first.stop();
    const pendingAfterStop = (await first.status()).pending;
    expect(pendingAfterStop).toBeGreaterThan(0);

    relay(publisher, { batchSize: 3 }).start();
    await waitFor(async () => (await first.status()).pending === 0, 'the rest');
    expect(receiver.events.map((e) => e.event_id)).toEqual(await outboxIds());
  });

  it('sends a batch again after a crash between publishing and marking it: at least once, never reordered', async () => {
    const receiver = await startReceiver();
    await activity();
    const webhook = new WebhookPublisher({
      url: receiver.url,
      secret: receiver.secret,
      logger: silentLogger,
    });
    let batches = 0;
    const crashingOnce: Publisher = {
      name: 'webhook',
      async publish(batch: readonly OutboxMessage[], signal: AbortSignal) {
        await webhook.publish(batch, signal);
        if (++batches === 2) throw new Error('crashed before marking the batch delivered');
      },
      close: () => Promise.resolve(),
    };
    const crashing = relay(crashingOnce, { batchSize: 5 });
    crashing.start();
    await waitFor(async () => (await crashing.status()).pending === 0, 'delivery');

    const expected = await outboxIds();
    const received = receiver.events.map((e) => e.event_id);
    expect(receiver.uniqueEventIds()).toEqual(expected);
    // The second batch arrived twice, back to back; nothing else repeats.
    expect(received).toEqual([...expected.slice(0, 10), ...expected.slice(5)]);
  });

  it('counts events the receiver rejected (its dead letters) as delivered, and logs them', async () => {
    const receiver = await startReceiver((r) => (r.rejectIndexes = [0]));
    await newUser(sandbox.services);
    const { logger, lines } = capturingLogger();
    const webhook = relay(
      new WebhookPublisher({ url: receiver.url, secret: receiver.secret, logger }),
      { logger },
    );
    webhook.start();
    await waitFor(async () => (await webhook.status()).pending === 0, 'delivery');
    const [created] = await outboxIds();
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        eventId: created,
        eventType: 'user.created',
        reason: 'invalid_payload',
      }),
    );
  });

  it('publishes to Kafka through the producer: topic per resource, keyed by entity, retried on failure', async () => {
    const sent: { topic: string; key: string; value: string; headers: Record<string, string> }[] =
      [];
    let failures = 1;
    const producer: KafkaProducerLike = {
      send(options) {
        if (failures-- > 0) return Promise.reject(new Error('broker not available'));
        sent.push(...options.messages);
        return Promise.resolve({});
      },
      close: () => Promise.resolve(),
    };
    const kafka = relay(new KafkaPublisher({ brokers: ['unused:9092'], producer }));
    kafka.start();
    const user = await newUser(sandbox.services);
    const context = { correlationId: randomUUID() };
    const transaction = await sandbox.services.transactions.create(
      { userId: user.id, categoryId: CATEGORIES[0]!.id, amount: '5.00', description: 'Shop' },
      context,
    );
    await sandbox.services.users.login(
      { email: user.email, password: TEST_PASSWORD },
      { ip: null, userAgent: null },
      context,
    );
    await waitFor(async () => (await kafka.status()).pending === 0, 'delivery');

    expect(sent.map((m) => [m.topic, m.key, m.headers['event-type']])).toEqual([
      ['users.events', user.id, 'user.created'],
      ['transactions.events', transaction.id, 'transaction.created'],
      ['users.events', user.id, 'session.created'],
    ]);
    const ids = await outboxIds();
    expect(sent.map((m) => (JSON.parse(m.value) as { event_id: string }).event_id)).toEqual(ids);
    expect(sent.map((m) => m.headers['event-id'])).toEqual(ids);
  });
});
