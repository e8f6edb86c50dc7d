import type { KnownEvent } from '@backoffice/contracts';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Database } from '../src/db/database.ts';
import { DEFAULT_USER_PASSWORD } from '../src/domain/accounts.ts';
import { hashPassword } from '../src/domain/passwords.ts';
import { generateEvents } from '../src/generator/generator.ts';
import { seedIfEmpty } from '../src/generator/seeding.ts';
import { eventIdOf } from '../src/outbox/events.ts';
import { startSandbox, type Sandbox, type StartSandboxOptions } from '../src/sandbox.ts';
import { Traffic } from '../src/traffic/traffic.ts';
import { createTestDatabase, freshDatabaseUrl, type TestDatabase } from './helpers/database.ts';
import { OutboxReader, validMessage } from './helpers/events.ts';
import { buildTestServices, silentLogger, type TestServices } from './helpers/services.ts';
import { bearer, serviceToken, TEST_TOKEN_SECRET } from './helpers/tokens.ts';
import { waitFor } from './helpers/wait.ts';

const END = new Date('2026-11-21T00:00:00.000Z');
const MONEY_PLANNER = /^(transaction|budget)\./;
const VIRTUAL_PET = /^(pet|payment|keycloak)\./;

/** A sandbox on a database of its own, without delivery; stopped and dropped by the caller. */
async function sandboxOn(options: StartSandboxOptions): Promise<{
  sandbox: Sandbox;
  db: Database;
  close: () => Promise<void>;
}> {
  const database = freshDatabaseUrl();
  const sandbox = await startSandbox({
    databaseUrl: database.url,
    publish: 'none',
    userPort: 0,
    transactionPort: 0,
    budgetPort: 0,
    petPort: 0,
    paymentPort: 0,
    serviceJwtSecret: TEST_TOKEN_SECRET,
    seedEnd: END,
    logger: silentLogger,
    ...options,
  });
  const db = createPool(database.url);
  return {
    sandbox,
    db,
    close: async () => {
      await sandbox.stop();
      await db.destroy();
      await database.drop();
    },
  };
}

async function outboxMessages(db: Database): Promise<KnownEvent[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(sql<string>`payload::text`.as('json'))
    .orderBy('id')
    .execute();
  return rows.map((row) => validMessage(JSON.parse(row.json)));
}

async function count(db: Database, query: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`${sql.raw(query)}`.execute(db);
  return Number(rows[0]?.n);
}

describe('--packs money-planner,virtual-pet', () => {
  const size = { users: 300, transactions: 2_000, seed: 11 };
  let started: Awaited<ReturnType<typeof sandboxOn>>;

  beforeAll(async () => {
    started = await sandboxOn({ ...size, packs: ['money-planner', 'virtual-pet'], rate: 0 });
  }, 60_000);
  afterAll(() => started.close());

  it('seeds both platforms’ history: every stored event valid, in the generator’s order', async () => {
    const { sandbox, db } = started;
    expect(sandbox.seeded).toBe(true);
    const generated = [
      ...generateEvents({ ...size, packs: ['money-planner', 'virtual-pet'], end: END }),
    ];
    const stored = await outboxMessages(db);
    expect(stored.map((e) => e.event_id)).toEqual(generated.map(eventIdOf));

    const byType = new Map<string, number>();
    for (const e of stored) byType.set(e.event_type, (byType.get(e.event_type) ?? 0) + 1);
    for (const type of [
      'user.created',
      'session.created',
      'transaction.created',
      'budget.created',
      'pet.created',
      'pet.adopted',
      'pet.updated',
      'pet.transferred',
      'pet.deleted',
      'payment.initiated',
      'payment.succeeded',
      'payment.failed',
      'payment.refunded',
      'keycloak.event',
    ]) {
      expect([type, byType.get(type) ?? 0]).not.toEqual([type, 0]);
    }
    const keycloakTypes = new Set(
      stored.flatMap((e) => (e.event_type === 'keycloak.event' ? [e.data.type] : [])),
    );
    expect([...keycloakTypes].sort()).toEqual(['LOGIN', 'LOGIN_ERROR', 'LOGOUT', 'REGISTER']);
    const routed = await db
      .selectFrom('outbox')
      .select(['event_type', 'topic'])
      .distinct()
      .where('event_type', 'like', 'keycloak.%')
      .execute();
    expect(routed.every((r) => r.topic === 'identity.events')).toBe(true);
  });

  it('leaves the Pet and Payment services’ tables as the events say', async () => {
    const { db } = started;
    const stored = await outboxMessages(db);
    const n = (type: string) => stored.filter((e) => e.event_type === type).length;
    expect(await count(db, 'SELECT count(*) AS n FROM pets WHERE deleted_at IS NULL')).toBe(
      n('pet.created') + n('pet.adopted') - n('pet.deleted'),
    );
    expect(await count(db, "SELECT count(*) AS n FROM pets WHERE status = 'ADOPTED'")).toBe(
      n('pet.adopted'),
    );
    expect(await count(db, 'SELECT count(*) AS n FROM payments')).toBe(n('payment.initiated'));
    expect(await count(db, "SELECT count(*) AS n FROM payments WHERE status = 'REFUNDED'")).toBe(
      n('payment.refunded'),
    );
    expect(await count(db, "SELECT count(*) AS n FROM users WHERE state = 'Disabled'")).toBe(
      n('user.disabled'),
    );
    // Each payment's row is its last event's payment.
    const last = new Map<string, unknown>();
    for (const e of stored) {
      if (e.event_type.startsWith('payment.')) {
        const { payment } = e.data as { payment: { id: string; status: string } };
        last.set(payment.id, payment.status);
      }
    }
    const rows = await db.selectFrom('payments').select(['id', 'status']).execute();
    expect(new Map(rows.map((r) => [r.id, r.status]))).toEqual(last);
  });

  it('serves the Pet and Payment services on their own ports', async () => {
    const { sandbox } = started;
    expect(Object.keys(sandbox.urls)).toEqual([
      'users',
      'transactions',
      'budgets',
      'pets',
      'payments',
    ]);
    const pets = await fetch(`${sandbox.urls.pets}/v1/pets?limit=2`, {
      headers: bearer(await serviceToken('pet-service')),
    });
    expect(pets.status).toBe(200);
    expect(((await pets.json()) as { data: unknown[] }).data).toHaveLength(2);
    const health = await fetch(`${sandbox.urls.payments}/health`);
    expect(await health.json()).toEqual({ status: 'ok', service: 'payment-service' });
  });
});

describe('one pack alone', () => {
  it('money-planner (the default): no pet, payment or Keycloak event, seeded or live', async () => {
    const { sandbox, db, close } = await sandboxOn({ users: 40, transactions: 500, rate: 200 });
    try {
      expect(Object.keys(sandbox.urls)).toEqual(['users', 'transactions', 'budgets']);
      await waitFor(
        () => sandbox.status().then((s) => s.traffic.actionsPerformed >= 60),
        'traffic',
      );
      const types = new Set((await outboxMessages(db)).map((e) => e.event_type));
      expect(types.has('transaction.created')).toBe(true);
      expect([...types].filter((t) => VIRTUAL_PET.test(t))).toEqual([]);
    } finally {
      await close();
    }
  });

  it('virtual-pet: no transaction or budget event, seeded or live; payments settle in the sweep', async () => {
    const since = new Date();
    const { sandbox, db, close } = await sandboxOn({
      packs: ['virtual-pet'],
      users: 60,
      transactions: 500,
      rate: 200,
      sweepIntervalSeconds: 0.1,
    });
    try {
      expect(Object.keys(sandbox.urls)).toEqual(['users', 'pets', 'payments']);
      // Live payments (the history ends before `since`) are initiated, then the payment provider
      // answers: the sweep settles them.
      const settledLive = () =>
        db
          .selectFrom('payments')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('created_at', '>=', since)
          .where('status', '!=', 'INITIATED')
          .executeTakeFirstOrThrow();
      await waitFor(
        async () => Number((await settledLive()).n) > 0,
        'a live payment to settle',
        30_000,
      );
      const types = new Set((await outboxMessages(db)).map((e) => e.event_type));
      expect(types.has('pet.created')).toBe(true);
      expect([...types].filter((t) => MONEY_PLANNER.test(t))).toEqual([]);
      expect(await count(db, 'SELECT count(*) AS n FROM transactions')).toBe(0);
    } finally {
      await close();
    }
  });
});

describe('live traffic with virtual-pet', () => {
  let database: TestDatabase;
  let sandbox: TestServices;
  let outbox: OutboxReader;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedIfEmpty(database.db, {
      packs: ['virtual-pet'],
      users: 40,
      transactions: 0,
      seed: 2,
      end: END,
      passwordHash: await hashPassword(DEFAULT_USER_PASSWORD),
    });
    sandbox = await buildTestServices(database.db, { packs: ['virtual-pet'] });
    outbox = new OutboxReader(database.db);
    await outbox.newEvents();
  });
  afterAll(async () => {
    await sandbox.close();
    await database.drop();
  });

  it('performs each Virtual Pet action through the services; sign-ins and failures reach Keycloak’s events', async () => {
    const live = new Traffic({
      db: database.db,
      services: sandbox.services,
      rate: 1,
      seed: 2,
      password: DEFAULT_USER_PASSWORD,
      logger: silentLogger,
      packs: ['virtual-pet'],
    });
    const created: unknown = expect.stringMatching(/^pet\.(created|adopted)$/);
    const expectations = [
      ['sign-up', ['user.created', 'keycloak.event']],
      ['login', ['session.created', 'keycloak.event']],
      ['logout', ['session.ended', 'keycloak.event']],
      ['failed-login', ['keycloak.event']],
      ['pet-creation', [created]],
      ['pet-care', ['pet.updated']],
      ['pet-transfer', ['pet.transferred']],
      ['pet-deletion', ['pet.deleted']],
      ['payment', ['payment.initiated']],
      ['payment-refund', ['payment.refunded']],
    ] as const;
    for (const [action, types] of expectations) {
      await live.perform(action);
      const events = await outbox.newEvents();
      expect([action, events.map((e) => e.event_type)]).toEqual([action, types]);
    }
    expect(live.actionsPerformed).toBe(expectations.length);
  });
});

describe('the sandbox command with --packs', () => {
  const database = freshDatabaseUrl();
  afterAll(() => database.drop());

  it('prints the Pet and Payment services’ URLs in its ready line', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.resolve(import.meta.dirname, '../src/main.ts'),
        '--packs',
        'virtual-pet',
        '--database-url',
        database.url,
        '--users',
        '5',
        '--rate',
        '0',
        '--publish',
        'none',
        '--user-port',
        '0',
        '--pet-port',
        '0',
        '--payment-port',
        '0',
      ],
      { env: { ...process.env, SANDBOX_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const ready = JSON.parse(line) as { event: string; urls: Record<string, string> };
    expect(ready.event).toBe('sandbox.ready');
    expect(Object.keys(ready.urls)).toEqual(['users', 'pets', 'payments']);
    const health = await fetch(`${ready.urls.pets}/health`);
    expect(await health.json()).toEqual({ status: 'ok', service: 'pet-service' });
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
