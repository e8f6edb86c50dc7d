import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_USER_PASSWORD } from '../src/domain/accounts.ts';
import { CATEGORIES, type Category } from '../src/domain/categories.ts';
import { hashPassword } from '../src/domain/passwords.ts';
import { generateEvents, person } from '../src/generator/generator.ts';
import { EMAIL_DOMAINS } from '../src/generator/names.ts';
import { Traits } from '../src/generator/prng.ts';
import { seedIfEmpty } from '../src/generator/seeding.ts';
import { Traffic } from '../src/traffic/traffic.ts';
import { TrafficRepository } from '../src/traffic/traffic.repository.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { OutboxReader } from './helpers/events.ts';
import { buildTestServices, newUser, silentLogger, type TestServices } from './helpers/services.ts';
import { waitFor } from './helpers/wait.ts';

describe('live traffic', () => {
  const end = new Date();
  let database: TestDatabase;
  let sandbox: TestServices;
  let outbox: OutboxReader;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedIfEmpty(database.db, {
      users: 30,
      transactions: 300,
      seed: 1,
      end,
      passwordHash: await hashPassword(DEFAULT_USER_PASSWORD),
    });
    sandbox = await buildTestServices(database.db);
    outbox = new OutboxReader(database.db);
    await outbox.newEvents();
  });
  afterAll(async () => {
    await sandbox.close();
    await database.drop();
  });

  const traffic = (rate: number) =>
    new Traffic({
      db: database.db,
      services: sandbox.services,
      rate,
      seed: 1,
      password: DEFAULT_USER_PASSWORD,
      logger: silentLogger,
    });

  it('takes its daily rhythm from the last week of the seeded history', async () => {
    const generated = [...generateEvents({ users: 30, transactions: 300, seed: 1, end })];
    const lastTransaction = Math.max(
      ...generated
        .filter((e) => e.event_type === 'transaction.created')
        .map((e) => Date.parse(e.timestamp)),
    );
    const expected = new Map<string, number>();
    for (const event of generated) {
      const kind = {
        'user.created': 'sign-up',
        'session.created': 'login',
        'transaction.created': 'transaction',
      }[event.event_type as string];
      const t = Date.parse(event.timestamp);
      if (kind === undefined || t < lastTransaction - 7 * 86_400_000) continue;
      const key = `${kind}@${new Date(t).getUTCHours()}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const history = await new TrafficRepository(database.db).history(7);
    expect(new Map(history.map((h) => [`${h.kind}@${h.hour}`, h.count]))).toEqual(expected);
  });

  it('signs up people like the seeded ones: the next index of the same world', async () => {
    const before = await new TrafficRepository(database.db).userCount();
    await traffic(1).perform('sign-up');
    const [created] = await outbox.newEvents();
    const { user } = created?.data as { user: { email: string; name: string } };
    expect(user).toMatchObject(person(new Traits(1), before));
    expect(user.email).toMatch(
      new RegExp(`${before}@(${EMAIL_DOMAINS.join('|').replaceAll('.', '\\.')})$`),
    );
  });

  it('performs each kind of action through the services, emitting valid events to the outbox', async () => {
    const live = traffic(1);
    const expectations = [
      ['sign-up', ['user.created']],
      ['login', ['session.created']],
      ['logout', ['session.ended']],
      ['transaction-correction', ['transaction.updated']],
      ['transaction-deletion', ['transaction.deleted']],
      ['budget-change', ['budget.updated']],
      ['budget-deletion', ['budget.deleted']],
    ] as const;
    for (const [action, types] of expectations) {
      await live.perform(action);
      const events = await outbox.newEvents();
      expect([action, events.slice(0, types.length).map((e) => e.event_type)]).toEqual([
        action,
        types,
      ]);
      expect(new Set(events.map((e) => e.metadata.correlation_id)).size).toBe(1);
    }
    await live.perform('transaction');
    expect((await outbox.newEvents())[0]?.event_type).toBe('transaction.created');
    expect(live.actionsPerformed).toBe(expectations.length + 1);
  });

  it('never makes a budget change or a correction that leaves things as they are', async () => {
    const world = await createTestDatabase();
    const services = await buildTestServices(world.db);
    const random = vi.spyOn(Math, 'random');
    try {
      const context = { correlationId: randomUUID() };
      const user = await newUser(services.services);
      await services.services.budgets.create(
        {
          userId: user.id,
          name: 'Monthly Essentials',
          amount: '300.00',
          periodType: 'MONTHLY',
          categoryId: null,
          status: 'ACTIVE',
        },
        context,
      );
      const lastIncome = CATEGORIES.filter((c) => c.type === 'INCOME').at(-1) as Category;
      await services.services.transactions.create(
        { userId: user.id, categoryId: lastIncome.id, amount: '20.00', description: 'Refund' },
        context,
      );
      const events = new OutboxReader(world.db);
      await events.newEvents();
      const live = new Traffic({
        db: world.db,
        services: services.services,
        rate: 1,
        seed: 1,
        password: DEFAULT_USER_PASSWORD,
        logger: silentLogger,
      });

      // The draws that used to change nothing: 0.5 changes the budget's amount by a factor of exactly
      // 1; 0.95 moves the transaction to the last category of its type, the one it is in.
      random.mockReturnValue(0.5);
      await live.perform('budget-change');
      random.mockReturnValue(0.95);
      await live.perform('transaction-correction');

      const [changed, corrected, ...rest] = await events.newEvents();
      expect(changed).toMatchObject({
        event_type: 'budget.updated',
        data: { budget: { amount: '310.00' }, old_values: { amount: '300.00' } },
      });
      expect(corrected).toMatchObject({
        event_type: 'transaction.updated',
        data: { old_values: { category_id: lastIncome.id } },
      });
      expect(rest).toEqual([]);
    } finally {
      random.mockRestore();
      await services.close();
      await world.drop();
    }
  });

  it('runs at about the configured rate until stopped', async () => {
    const live = traffic(40);
    await live.start();
    await waitFor(() => live.actionsPerformed >= 5, 'a few actions');
    await live.stop();
    const performed = live.actionsPerformed;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(live.actionsPerformed).toBe(performed);
    expect((await outbox.newEvents()).length).toBeGreaterThanOrEqual(5);
  });

  it('does nothing at rate 0', async () => {
    const idle = traffic(0);
    await idle.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await idle.stop();
    expect(idle.actionsPerformed).toBe(0);
  });
});
