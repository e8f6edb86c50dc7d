import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxRelay } from '../src/outbox/relay.ts';
import { NatsPublisher } from '../src/transports/nats.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { buildTestServices, newUser, silentLogger, type TestServices } from './helpers/services.ts';
import { waitFor } from './helpers/wait.ts';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';

async function reachable(): Promise<boolean> {
  try {
    const nc = await connect({ servers: NATS_URL, timeout: 1_000 });
    await nc.close();
    return true;
  } catch {
    return false;
  }
}

// Without a NATS server these tests are skipped, except under CI, where they must run (and fail).
const skip = process.env.CI !== 'true' && !(await reachable());
if (skip)
  process.stderr.write(`NATS is not reachable at ${NATS_URL}: skipping the NATS transport tests\n`);

describe.skipIf(skip)('the NATS JetStream transport', () => {
  const run = randomBytes(4).toString('hex');
  const stream = `SANDBOX_TEST_${run}`;
  const prefix = `sandboxtest${run}.`;
  let database: TestDatabase;
  let sandbox: TestServices;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = await buildTestServices(database.db);
    nc = await connect({ servers: NATS_URL });
    jsm = await jetstreamManager(nc);
  });
  afterAll(async () => {
    await jsm.streams.delete(stream).catch(() => undefined);
    await jsm.streams.delete(`${stream}_OWNED`).catch(() => undefined);
    await jsm.streams.delete(`${stream}_AGAIN`).catch(() => undefined);
    await nc.close();
    await sandbox.close();
    await database.drop();
  });

  async function streamMessages(
    name: string,
  ): Promise<{ subject: string; msgID: string | undefined; eventId: string }[]> {
    const consumer = await jetstream(nc).consumers.get(name);
    const info = await jsm.streams.info(name);
    const messages: { subject: string; msgID: string | undefined; eventId: string }[] = [];
    if (info.state.messages === 0) return messages;
    const batch = await consumer.fetch({ max_messages: info.state.messages, expires: 2_000 });
    for await (const message of batch) {
      messages.push({
        subject: message.subject,
        msgID: message.headers?.get('Nats-Msg-Id'),
        eventId: message.json<{ event_id: string }>().event_id,
      });
      if (messages.length === info.state.messages) break;
    }
    return messages;
  }

  it('creates the stream, publishes each event to its topic’s subject with msgID = event_id, in order', async () => {
    const publisher = new NatsPublisher({
      url: NATS_URL,
      stream,
      subjectPrefix: prefix,
      logger: silentLogger,
    });
    const relay = new OutboxRelay({
      db: database.db,
      publisher,
      batchSize: 3,
      logger: silentLogger,
      pollIntervalMs: 20,
    });
    relay.start();
    try {
      const user = await newUser(sandbox.services);
      await sandbox.services.budgets.create(
        {
          userId: user.id,
          name: 'Monthly Essentials',
          amount: '100.00',
          periodType: 'MONTHLY',
          categoryId: null,
          status: 'ACTIVE',
        },
        { correlationId: 'nats' },
      );
      await waitFor(async () => (await relay.status()).pending === 0, 'delivery');
    } finally {
      await relay.stop();
      await publisher.close();
    }
    const info = await jsm.streams.info(stream);
    expect(info.config.subjects).toEqual(
      ['users.events', 'transactions.events', 'int.transaction-update.event', 'budgets.events'].map(
        (s) => prefix + s,
      ),
    );
    const expected = await database.db
      .selectFrom('outbox')
      .select(['event_id', 'topic'])
      .orderBy('id')
      .execute();
    const messages = await streamMessages(stream);
    expect(messages).toEqual(
      expected.map((row) => ({
        subject: prefix + row.topic,
        msgID: row.event_id,
        eventId: row.event_id,
      })),
    );

    // A batch sent again (a crash before it was marked) is de-duplicated by the stream.
    const again = new NatsPublisher({
      url: NATS_URL,
      stream,
      subjectPrefix: prefix,
      logger: silentLogger,
    });
    try {
      const rows = await database.db
        .selectFrom('outbox')
        .select(['id', 'event_id', 'event_type', 'topic', 'entity_key', 'payload'])
        .orderBy('id')
        .execute();
      await again.publish(
        rows.map((r) => ({
          id: r.id,
          eventId: r.event_id,
          eventType: r.event_type,
          topic: r.topic,
          key: r.entity_key,
          json: JSON.stringify(r.payload),
        })),
        new AbortController().signal,
      );
    } finally {
      await again.close();
    }
    expect((await jsm.streams.info(stream)).state.messages).toBe(expected.length);
  });

  it('leaves an existing stream as its owner configured it', async () => {
    const owned = `${stream}_OWNED`;
    await jsm.streams.add({
      name: owned,
      subjects: [
        `${prefix}owned.>`,
        ...[
          'users.events',
          'transactions.events',
          'int.transaction-update.event',
          'budgets.events',
        ].map((s) => `${prefix}x.${s}`),
      ],
      max_msgs: 1234,
    });
    const publisher = new NatsPublisher({
      url: NATS_URL,
      stream: owned,
      subjectPrefix: `${prefix}x.`,
      logger: silentLogger,
    });
    try {
      await publisher.publish([], new AbortController().signal);
    } finally {
      await publisher.close();
    }
    const info = await jsm.streams.info(owned);
    expect(info.config.max_msgs).toBe(1234);
    expect(info.config.subjects).toContain(`${prefix}owned.>`);
  });

  it('connects afresh when its connection has closed for good, so delivery resumes after a long outage', async () => {
    const again = `${stream}_AGAIN`;
    const publisher = new NatsPublisher({
      url: NATS_URL,
      stream: again,
      subjectPrefix: `${prefix}again.`,
      logger: silentLogger,
    });
    const message = () => ({
      id: '1',
      eventId: randomUUID(),
      eventType: 'user.created',
      topic: 'users.events',
      key: randomUUID(),
      json: '{}',
    });
    const signal = new AbortController().signal;
    try {
      await publisher.publish([message()], signal);
      // nats.js closes a connection for good after ten failed reconnections (about 20 s of outage);
      // close() leaves it in the same state without the wait. Stopping then is no error either.
      await publisher.close();
      await publisher.close();
      await publisher.publish([message()], signal);
    } finally {
      await publisher.close();
    }
    expect((await jsm.streams.info(again)).state.messages).toBe(2);
  });
});
