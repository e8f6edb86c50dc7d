import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { events, uuid } from '../../../../test/factories/events.ts';
import { poisonMessages, storedRaw } from '../../../../test/factories/poison.ts';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/database.ts';
import { FakeKafka } from '../../../../test/helpers/fake-kafka.ts';
import { counters } from '../../../../test/helpers/read-model.ts';
import { NATS_URL, serviceAvailable } from '../../../../test/helpers/services.ts';
import { testProjections } from '../../../../test/helpers/audit.ts';
import { Projector } from '../projector.ts';
import type { IncomingMessage } from '../types.ts';
import { KafkaSource } from './kafka.ts';
import { NatsSource, subjectFilter } from './nats.ts';
import type { BatchHandler, EventSource } from './source.ts';
import { waitFor } from '../../../../test/helpers/wait.ts';

const logger = pino({ level: 'silent' });
const TOPIC = 'users.events';

/** What the contract needs from a broker: publish, a source on it, and how much is unacknowledged. */
interface Harness {
  publish(bodies: Buffer[]): Promise<void>;
  source(
    handle: BatchHandler,
    deadLetter: (m: IncomingMessage[], detail: string) => Promise<void>,
  ): EventSource;
  unacknowledged(): Promise<number>;
  cleanup(): Promise<void>;
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value));

function userStream(count: number) {
  const userId = uuid();
  const list = [events.userCreated({ id: userId, email: 'contract@example.com' })];
  for (let i = 1; i < count; i++) {
    list.push(
      events.transactionCreated({
        id: uuid(),
        user_id: userId,
        amount: '1.00',
        date: '2026-06-01T00:00:00Z',
      }),
    );
  }
  return list;
}

/**
 * The behaviour every broker source must have, whatever the broker: acknowledge only after the
 * commit, turn redelivery into duplicates, dead-letter bad messages without stopping, and wait out a
 * database outage without losing or acknowledging anything.
 */
function sourceContract(makeHarness: () => Promise<Harness>) {
  let database: TestDatabase;
  let projector: Projector;
  let harness: Harness;
  const running: EventSource[] = [];
  const release: (() => void)[] = [];

  beforeEach(async () => {
    database = await createTestDatabase();
    projector = new Projector(database.db, testProjections(), logger);
    harness = await makeHarness();
  });

  afterEach(async () => {
    for (const resolve of release.splice(0)) resolve();
    for (const source of running.splice(0)) await source.stop();
    await harness.cleanup();
    await database.drop();
  });

  const deadLetter = (messages: IncomingMessage[], detail: string) =>
    projector.deadLetter(messages, 'max_deliveries', detail);
  const ingest: BatchHandler = (messages) => projector.ingest(messages);

  async function start(handle: BatchHandler = ingest): Promise<EventSource> {
    const source = harness.source(handle, deadLetter);
    running.push(source);
    await source.start();
    return source;
  }

  const transactions = async () => (await counters(database.db))['transactions.total'] ?? 0;
  const processed = async () =>
    (
      await database.db
        .selectFrom('processed_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;

  it('projects every published event and acknowledges them after the commit', async () => {
    await start();
    await harness.publish(userStream(120).map(encode));
    await waitFor(async () => (await transactions()) === 119);
    await waitFor(async () => (await harness.unacknowledged()) === 0);
    expect(await processed()).toBe(120);
  });

  it('applies nothing twice when an acknowledgement is lost after the commit', async () => {
    let crashes = 0;
    await start(async (messages) => {
      const outcome = await projector.ingest(messages);
      if (crashes++ === 0) throw new Error('crashed after the commit, before acknowledging');
      return outcome;
    });
    await harness.publish(userStream(30).map(encode));
    await waitFor(async () => (await harness.unacknowledged()) === 0);
    expect(await transactions()).toBe(29);
    const stats = await database.db
      .selectFrom('ingestion_source_stats')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(stats.processed).toBe(30);
    expect(stats.duplicates).toBeGreaterThan(0);
  });

  it('redelivers to a new consumer what a dead one committed but never acknowledged', async () => {
    // The first consumer commits, then never returns: as if the process died right after the commit.
    await start(async (messages) => {
      await projector.ingest(messages);
      await new Promise<void>((resolve) => release.push(resolve));
      throw new Error('the process is gone');
    });
    await harness.publish(userStream(10).map(encode));
    await waitFor(async () => (await processed()) === 10);
    expect(await harness.unacknowledged()).toBeGreaterThan(0);

    await start();
    await waitFor(async () => (await harness.unacknowledged()) === 0, 20_000);
    expect(await transactions()).toBe(9);
    expect(await processed()).toBe(10);
  });

  it('dead-letters bad messages and carries on with the good ones', async () => {
    await start();
    const good = userStream(20).map(encode);
    const bad = [Buffer.from('not json at all'), encode({ event_type: 'user.created' })];
    await harness.publish([...good.slice(0, 10), ...bad, ...good.slice(10)]);
    await waitFor(async () => (await harness.unacknowledged()) === 0);
    expect(await transactions()).toBe(19);
    const reasons = await database.db
      .selectFrom('dead_letters')
      .select('reason')
      .orderBy('reason')
      .execute();
    expect(reasons.map((r) => r.reason)).toEqual(['invalid_envelope', 'not_json']);
  });

  it('dead-letters poison between good events with its exact bytes, counts duplicates, and goes on', async () => {
    await start();
    const good = userStream(20).map(encode);
    const poison = poisonMessages();
    // Poison after every fourth good event, and one good event published twice (a producer's retry).
    const stream = good.flatMap((body, i) => {
      const next = i % 4 === 3 ? poison[(i - 3) / 4] : undefined;
      return next === undefined ? [body] : [body, next.bytes];
    });
    stream.splice(8, 0, good[6] as Buffer);
    await harness.publish(stream);
    await waitFor(async () => (await harness.unacknowledged()) === 0);

    expect(await transactions()).toBe(19);
    const letters = await database.db
      .selectFrom('dead_letters')
      .select(['event_id', 'reason', 'payload', 'raw', 'raw_encoding'])
      .execute();
    const byRaw = (a: { raw: string | null }, b: { raw: string | null }) =>
      String(a.raw).localeCompare(String(b.raw));
    expect(letters.sort(byRaw)).toEqual(
      poison
        .map((p) => ({
          event_id: p.eventId,
          reason: p.reason,
          payload: null,
          raw: storedRaw(p),
          raw_encoding: p.rawEncoding,
        }))
        .sort(byRaw),
    );
    const stats = await database.db
      .selectFrom('ingestion_source_stats')
      .select(['processed', 'duplicates', 'dead_letters'])
      .executeTakeFirstOrThrow();
    expect(stats).toEqual({ processed: 20, duplicates: 1, dead_letters: poison.length });
  });

  it('waits out a database outage without acknowledging or losing anything', async () => {
    let failures = 0;
    await start(async (messages) => {
      if (failures++ < 3)
        throw Object.assign(new Error('connection terminated'), { code: '08006' });
      return projector.ingest(messages);
    });
    await harness.publish(userStream(15).map(encode));
    await waitFor(() => Promise.resolve(failures >= 2));
    expect(await processed()).toBe(0);
    expect(await harness.unacknowledged()).toBeGreaterThan(0);
    await waitFor(async () => (await harness.unacknowledged()) === 0, 20_000);
    expect(await transactions()).toBe(14);
    expect(await database.db.selectFrom('dead_letters').selectAll().execute()).toEqual([]);
  });
}

const natsUp = await serviceAvailable('NATS', NATS_URL);

async function natsHarness(overrides: { maxDeliver?: number } = {}): Promise<Harness> {
  {
    const prefix = `bo${randomBytes(4).toString('hex')}`;
    const stream = `BACKOFFICE_TEST_${prefix}`;
    const subject = `${prefix}.${TOPIC}`;
    const nc: NatsConnection = await connect({ servers: NATS_URL });
    const options = {
      servers: NATS_URL,
      stream,
      subjects: [subject],
      durable: 'backoffice',
      batchSize: 25,
      maxDeliver: overrides.maxDeliver ?? 5,
      // Long enough that a busy machine does not let a delivery expire while it is handled (each expiry
      // is one more delivery); failed batches come back by nak's own delay.
      ackWaitMs: 5_000,
      createStream: true,
    };
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [subject] });
    const js = jetstream(nc);
    return {
      async publish(bodies) {
        for (const body of bodies) await js.publish(subject, body);
      },
      source: (handle, deadLetter) => new NatsSource(options, handle, deadLetter, logger),
      async unacknowledged() {
        const info = await jsm.consumers.info(stream, options.durable).catch(() => undefined);
        return info === undefined ? Infinity : info.num_pending + info.num_ack_pending;
      },
      async cleanup() {
        await jsm.streams.delete(stream).catch(() => undefined);
        await nc.close();
      },
    };
  }
}

describe.skipIf(!natsUp)('NATS JetStream source', () => {
  sourceContract(natsHarness);

  it(
    'dead-letters a message that failed on its last allowed delivery, even if the first write fails',
    { timeout: 120_000 },
    async () => {
      const database = await createTestDatabase();
      const projector = new Projector(database.db, testProjections(), logger);
      const harness = await natsHarness({ maxDeliver: 3 });
      let attempts = 0;
      let deadLetterWrites = 0;
      const source = harness.source(
        () => {
          attempts++;
          return Promise.reject(new Error('a bug in a projection'));
        },
        (messages, detail) => {
          if (deadLetterWrites++ === 0)
            return Promise.reject(
              Object.assign(new Error('connection terminated'), { code: '08006' }),
            );
          return projector.deadLetter(messages, 'max_deliveries', detail);
        },
      );
      try {
        await source.start();
        await harness.publish([
          encode(events.userCreated({ id: uuid(), email: 'poison@example.com' })),
        ]);
        // The dead letter, then nothing left: on a busy machine JetStream may stop counting the message
        // (its last ack wait over) while the dead-letter write is still being retried.
        const stored = () =>
          database.db
            .selectFrom('dead_letters')
            .select('id')
            .execute()
            .then((rows) => rows.length === 1);
        await waitFor(stored, 60_000);
        await waitFor(async () => (await harness.unacknowledged()) === 0, 20_000);
        // Deliveries lost on their way, or expired while a very busy machine handled them, are counted
        // too: how many reached the handler varies, the dead letter does not.
        expect(attempts).toBeGreaterThanOrEqual(1);
        expect(deadLetterWrites).toBe(2);
        const [letter] = await database.db.selectFrom('dead_letters').selectAll().execute();
        expect(letter).toMatchObject({
          reason: 'max_deliveries',
          source: 'nats',
          event_type: 'user.created',
        });
        expect(letter?.detail).toMatch(/gave up after 3 deliveries: a bug in a projection/);
      } finally {
        await source.stop();
        await harness.cleanup();
        await database.drop();
      }
    },
  );

  it(
    'dead-letters a message whose last allowed delivery was never handled, when it comes back',
    { timeout: 120_000 },
    async () => {
      const database = await createTestDatabase();
      const projector = new Projector(database.db, testProjections(), logger);
      const harness = await natsHarness({ maxDeliver: 1 });
      let attempts = 0;
      const deadLetter = (messages: IncomingMessage[], detail: string) =>
        projector.deadLetter(messages, 'max_deliveries', detail);
      // One delivery allowed, and the first instance stops while it handles it: that delivery is handed
      // back unhandled (nak), as when a process is stopped mid-batch.
      const first: EventSource = harness.source(() => {
        attempts++;
        void first.stop();
        return Promise.reject(new Error('a bug in a projection'));
      }, deadLetter);
      const second = harness.source(
        () => Promise.reject(new Error('a bug in a projection')),
        deadLetter,
      );
      try {
        await first.start();
        await harness.publish([
          encode(events.userCreated({ id: uuid(), email: 'poison@example.com' })),
        ]);
        await waitFor(() => Promise.resolve(attempts >= 1), 60_000);
        await first.stop();
        expect(await database.db.selectFrom('dead_letters').select('id').execute()).toEqual([]);
        await second.start();
        await waitFor(
          () =>
            database.db
              .selectFrom('dead_letters')
              .select('id')
              .execute()
              .then((rows) => rows.length === 1),
          60_000,
        );
        await waitFor(async () => (await harness.unacknowledged()) === 0, 20_000);
        // The lag it reports is read from the server, not the consumer's state when it started (a
        // source that must ask its broker asks when the scheduler's ingestion.lag task runs).
        await waitFor(async () => {
          await second.measureLag?.();
          return second.status().lag === 0;
        }, 20_000);
        const [letter] = await database.db.selectFrom('dead_letters').selectAll().execute();
        expect(letter?.detail).toMatch(/gave up after 1 deliveries: a bug in a projection/);
      } finally {
        await first.stop();
        await second.stop();
        await harness.cleanup();
        await database.drop();
      }
    },
  );

  it('goes on consuming when a dead letter cannot be written for a reason other than an outage', async () => {
    const database = await createTestDatabase();
    const projector = new Projector(database.db, testProjections(), logger);
    const harness = await natsHarness({ maxDeliver: 2 });
    const failing = encode(events.userCreated({ id: uuid(), email: 'poison@example.com' }));
    let failures = 0;
    let deadLetterWrites = 0;
    const source = harness.source(
      async (messages) => {
        // Everything but the failing message commits; the failing one fails its batch every time.
        const outcome = await projector.ingest(
          messages.filter((m) => !failing.equals(m.body as Buffer)),
        );
        if (messages.some((m) => failing.equals(m.body as Buffer))) {
          failures++;
          throw new Error('a bug in a projection');
        }
        return outcome;
      },
      () => {
        deadLetterWrites++;
        return Promise.reject(new Error('a bug in the dead-letter writer'));
      },
    );
    try {
      await source.start();
      await harness.publish([failing]);
      await waitFor(() => Promise.resolve(failures > 0));
      await harness.publish(userStream(10).map(encode));
      await waitFor(async () => (await harness.unacknowledged()) === 0, 20_000);
      expect(await counters(database.db)).toMatchObject({ 'transactions.total': 9 });
      // The write was tried (the poison reached its last delivery), and did not hold up the rest.
      expect(deadLetterWrites).toBeGreaterThan(0);
    } finally {
      await source.stop();
      await harness.cleanup();
      await database.drop();
    }
  });
});

describe('subjectFilter', () => {
  it('filters nothing when the stream holds only the wanted subjects', () => {
    expect(subjectFilter(['a', 'b'], ['b', 'a'], '2.9.10')).toEqual({});
  });
  it('uses filter_subject for one subject and filter_subjects from NATS 2.10', () => {
    expect(subjectFilter(['a'], ['a', 'x'], '2.9.10')).toEqual({ filter_subject: 'a' });
    expect(subjectFilter(['a', 'b'], ['a', 'b', 'x'], '2.10.4')).toEqual({
      filter_subjects: ['a', 'b'],
    });
  });
  it('explains what to do when an older server cannot filter several subjects', () => {
    expect(() => subjectFilter(['a', 'b'], ['a', 'b', 'x'], '2.9.10')).toThrow(/needs 2\.10/);
  });
});

describe('Kafka source (in-memory broker: no Kafka can be installed here)', () => {
  sourceContract(() => {
    const kafka = new FakeKafka();
    const options = { topics: [TOPIC], batchSize: 25, batchWaitMs: 50 };
    return Promise.resolve({
      publish(bodies) {
        // One key: one partition, so the stream's order is the publication order, as per-entity keys give.
        for (const body of bodies) kafka.produce(TOPIC, 'user-1', body);
        return Promise.resolve();
      },
      source: (handle) => new KafkaSource(kafka.consumer(), options, handle, logger),
      unacknowledged: () => Promise.resolve(kafka.uncommitted([TOPIC])),
      cleanup: () => Promise.resolve(),
    });
  });

  it('opens the stream again when it fails, and goes on from the committed offsets', async () => {
    const database = await createTestDatabase();
    const projector = new Projector(database.db, testProjections(), logger);
    const kafka = new FakeKafka();
    const source = new KafkaSource(
      kafka.consumer(),
      { topics: [TOPIC], batchSize: 25, batchWaitMs: 50 },
      (messages) => projector.ingest(messages),
      logger,
    );
    const stream = userStream(20).map(encode);
    try {
      await source.start();
      for (const body of stream.slice(0, 10)) kafka.produce(TOPIC, 'user-1', body);
      await waitFor(() => Promise.resolve(kafka.uncommitted([TOPIC]) === 0));
      kafka.breakStreams();
      await waitFor(() => Promise.resolve(source.status().lastError !== null));
      expect(source.status().lastError).toMatch(/broker connection lost/);
      for (const body of stream.slice(10)) kafka.produce(TOPIC, 'user-1', body);
      await waitFor(() => Promise.resolve(kafka.uncommitted([TOPIC]) === 0), 10_000);
      expect(kafka.sessions).toBe(2);
      expect(source.status().connected).toBe(true);
      const processed = await database.db
        .selectFrom('processed_events')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(processed.n)).toBe(20);
    } finally {
      await source.stop();
      await database.drop();
    }
  });
});
