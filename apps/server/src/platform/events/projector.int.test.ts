import type { EventEnvelope } from '@backoffice/contracts';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { events, tick, uuid } from '../../../test/factories/events.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { counters, readModelSnapshot } from '../../../test/helpers/read-model.ts';
import { testProjections } from '../../../test/helpers/audit.ts';
import { Projector } from './projector.ts';
import type { IncomingMessage } from './types.ts';

const logger = pino({ level: 'silent' });
const asMessages = (items: readonly unknown[]): IncomingMessage[] =>
  items.map((body, i) => ({ body, position: { source: 'webhook', offset: i } }));

/** The main spec's sample events, verbatim but for concrete values where it writes "uuid" or "A|B". */
const PRD = {
  userCreated: {
    event_id: '3f1d2c4b-5a69-4b7c-8d9e-0f1a2b3c4d5e',
    event_type: 'user.created',
    timestamp: '2024-01-15T10:30:00Z',
    version: '1.0',
    data: {
      user: {
        id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
        email: 'user@example.com',
        role: 'Customer',
        state: 'Active',
        created_at: '2024-01-15T10:30:00Z',
      },
    },
    metadata: {
      source_service: 'user-service',
      correlation_id: '9c8b7a69-5d4e-4f3a-9b2c-1d0e9f8a7b6c',
    },
  },
  userBlocked: {
    event_id: '4a2e3d5c-6b7a-4c8d-9e0f-1a2b3c4d5e6f',
    event_type: 'user.blocked',
    timestamp: '2024-01-15T10:30:00Z',
    version: '1.0',
    data: {
      user_id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
      blocked_by: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e',
      reason: 'string',
    },
    metadata: {
      source_service: 'user-service',
      correlation_id: '0d9c8b7a-6e5f-4a4b-8c3d-2e1f0a9b8c7d',
    },
  },
  transactionCreated: {
    event_id: '5b3f4e6d-7c8b-4d9e-8f0a-2b3c4d5e6f7a',
    event_type: 'transaction.created',
    timestamp: '2024-01-15T10:30:00Z',
    version: '1.0',
    data: {
      transaction: {
        id: 'c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f',
        user_id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
        amount: '89.99',
        description: 'Whole Foods Market',
        date: '2024-01-15T10:30:00Z',
        transaction_type: 'EXPENSE',
        category_id: 'd4e5f6a7-b8c9-4d0e-9f1a-3b4c5d6e7f8a',
        category_name: 'Groceries',
      },
    },
    metadata: {
      source_service: 'transaction-service',
      correlation_id: '1e0d9c8b-7f6a-4b5c-9d4e-3f2a1b0c9d8e',
    },
  },
  budgetCreated: {
    event_id: '6c4a5f7e-8d9c-4e0f-9a1b-3c4d5e6f7a8b',
    event_type: 'budget.created',
    timestamp: '2024-01-15T10:30:00Z',
    version: '1.0',
    data: {
      budget: {
        id: 'e5f6a7b8-c9d0-4e1f-8a2b-4c5d6e7f8a9b',
        user_id: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
        name: 'Monthly Essentials',
        amount: '1500.00',
        period_type: 'MONTHLY',
        status: 'ACTIVE',
        created_at: '2024-01-15T10:30:00Z',
      },
    },
    metadata: {
      source_service: 'budget-service',
      correlation_id: '2f1e0d9c-8a7b-4c6d-8e5f-4a3b2c1d0e9f',
    },
  },
};
const PRD_USER = PRD.userCreated.data.user.id;

describe('Projector', () => {
  let database: TestDatabase;
  let projector: Projector;

  beforeAll(async () => {
    database = await createTestDatabase();
    projector = new Projector(database.db, testProjections(), logger);
  });
  afterAll(async () => {
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.transaction().execute(async (trx) => {
      for (const table of [
        'processed_events',
        'event_log',
        'dead_letters',
        'ingestion_source_stats',
        ...new Set(testProjections().flatMap((p) => p.tables)),
        'entity_tombstones',
        'read_model_counters',
      ] as const) {
        await trx.deleteFrom(table).execute();
      }
    });
  });

  const ingest = (items: readonly unknown[]) => projector.ingest(asMessages(items));
  const db = () => database.db;

  describe('projects every event type', () => {
    it('user.created (main spec sample): a summary row, counted, and a registration on its day', async () => {
      expect(await ingest([PRD.userCreated])).toEqual({
        accepted: 1,
        duplicates: 0,
        unknown: 0,
        rejected: [],
      });
      const user = await db().selectFrom('user_summaries').selectAll().executeTakeFirstOrThrow();
      expect(user).toMatchObject({
        id: PRD_USER,
        email: 'user@example.com',
        role: 'Customer',
        state: 'Active',
        created_at: new Date('2024-01-15T10:30:00Z'),
        total_transactions: 0,
      });
      expect(await counters(db())).toEqual({ 'users.total': 1, 'users.role.Customer': 1 });
      expect(await db().selectFrom('daily_user_metrics').selectAll().execute()).toEqual([
        { date: '2024-01-15', registrations: 1 },
      ]);
    });

    it('user.updated: the new profile replaces the old, and role counters follow', async () => {
      const id = uuid();
      await ingest([events.userCreated({ id, email: 'old@example.com' })]);
      await ingest([
        events.userUpdated({ id, email: 'new@example.com', name: 'Ada Lovelace', role: 'Staff' }),
      ]);
      expect(
        await db().selectFrom('user_summaries').select(['email', 'name', 'role']).execute(),
      ).toEqual([{ email: 'new@example.com', name: 'Ada Lovelace', role: 'Staff' }]);
      expect(await counters(db())).toEqual({ 'users.total': 1, 'users.role.Staff': 1 });
    });

    it('user.blocked (main spec sample) and user.unblocked: state, who and why, and the blocked counter', async () => {
      await ingest([PRD.userCreated, PRD.userBlocked]);
      expect(
        await db()
          .selectFrom('user_summaries')
          .select(['state', 'blocked_by', 'block_reason'])
          .execute(),
      ).toEqual([
        { state: 'Blocked', blocked_by: PRD.userBlocked.data.blocked_by, block_reason: 'string' },
      ]);
      expect(await counters(db())).toMatchObject({ 'users.blocked': 1 });

      await ingest([events.userUnblocked(PRD_USER, null, '2024-01-16T00:00:00Z')]);
      expect(
        await db()
          .selectFrom('user_summaries')
          .select(['state', 'blocked_by', 'block_reason'])
          .execute(),
      ).toEqual([{ state: 'Active', blocked_by: null, block_reason: null }]);
      expect(await counters(db())).not.toHaveProperty('users.blocked');
    });

    it('session.created and session.ended: active sessions, last login, and the counters', async () => {
      const id = uuid();
      await ingest([events.userCreated({ id, email: 's@example.com' })]);
      await ingest([events.sessionCreated('sess-1', id, '2026-02-01T09:00:00Z')]);
      expect(
        await db()
          .selectFrom('user_summaries')
          .select(['active_sessions', 'last_login_at'])
          .executeTakeFirst(),
      ).toEqual({ active_sessions: 1, last_login_at: new Date('2026-02-01T09:00:00Z') });
      expect(await counters(db())).toMatchObject({
        'sessions.active': 1,
        'users.with_active_sessions': 1,
      });

      await ingest([events.sessionEnded('sess-1', id, '2026-02-01T10:00:00Z')]);
      expect(
        await db().selectFrom('user_summaries').select('active_sessions').executeTakeFirst(),
      ).toEqual({
        active_sessions: 0,
      });
      expect(await counters(db())).not.toHaveProperty('sessions.active');
      expect(await counters(db())).not.toHaveProperty('users.with_active_sessions');
    });

    it('transaction.created (main spec sample): a summary row, the user total and the daily metrics', async () => {
      await ingest([PRD.userCreated, PRD.transactionCreated]);
      expect(
        await db().selectFrom('transaction_summaries').selectAll().executeTakeFirstOrThrow(),
      ).toMatchObject({
        id: PRD.transactionCreated.data.transaction.id,
        user_id: PRD_USER,
        amount: '89.99',
        transaction_type: 'EXPENSE',
        category_name: 'Groceries',
        date: new Date('2024-01-15T10:30:00Z'),
      });
      expect(
        await db().selectFrom('user_summaries').select('total_transactions').executeTakeFirst(),
      ).toEqual({
        total_transactions: 1,
      });
      expect(
        await db()
          .selectFrom('daily_transaction_metrics')
          .select([
            'date',
            'total_transactions',
            'total_amount',
            'income_amount',
            'expense_amount',
            'total_users',
          ])
          .execute(),
      ).toEqual([
        {
          date: '2024-01-15',
          total_transactions: 1,
          total_amount: '89.99',
          income_amount: '0.00',
          expense_amount: '89.99',
          total_users: 1,
        },
      ]);
    });

    it('transaction.updated: amounts and days move between daily rows', async () => {
      const userId = uuid();
      const id = uuid();
      await ingest([
        events.transactionCreated({
          id,
          user_id: userId,
          amount: '10.00',
          date: '2026-03-01T12:00:00Z',
        }),
      ]);
      await ingest([
        events.transactionUpdated({
          id,
          user_id: userId,
          amount: '25.50',
          date: '2026-03-02T12:00:00Z',
          transaction_type: 'INCOME',
        }),
      ]);
      const days = await db()
        .selectFrom('daily_transaction_metrics')
        .select(['date', 'total_transactions', 'total_amount', 'income_amount', 'total_users'])
        .orderBy('date')
        .execute();
      expect(days).toEqual([
        {
          date: '2026-03-01',
          total_transactions: 0,
          total_amount: '0.00',
          income_amount: '0.00',
          total_users: 0,
        },
        {
          date: '2026-03-02',
          total_transactions: 1,
          total_amount: '25.50',
          income_amount: '25.50',
          total_users: 1,
        },
      ]);
    });

    it('transaction.deleted: the row goes, a tombstone stays, every total returns to zero', async () => {
      const userId = uuid();
      const id = uuid();
      await ingest([
        events.transactionCreated({
          id,
          user_id: userId,
          amount: '10.00',
          date: '2026-03-01T12:00:00Z',
        }),
      ]);
      await ingest([events.transactionDeleted(id, userId)]);
      expect(await db().selectFrom('transaction_summaries').selectAll().execute()).toEqual([]);
      expect(
        await db().selectFrom('entity_tombstones').select(['entity_type', 'entity_id']).execute(),
      ).toEqual([{ entity_type: 'transaction', entity_id: id }]);
      expect(
        await db().selectFrom('user_summaries').select('total_transactions').executeTakeFirst(),
      ).toEqual({
        total_transactions: 0,
      });
      expect(await counters(db())).toEqual({});
    });

    it('budget.created (main spec sample), budget.updated and budget.deleted', async () => {
      await ingest([PRD.budgetCreated]);
      expect(
        await db().selectFrom('budget_summaries').selectAll().executeTakeFirstOrThrow(),
      ).toMatchObject({
        name: 'Monthly Essentials',
        amount: '1500.00',
        period_type: 'MONTHLY',
        status: 'ACTIVE',
        spent: '0.00',
      });
      expect(
        await db().selectFrom('user_summaries').select('total_budgets').executeTakeFirst(),
      ).toEqual({
        total_budgets: 1,
      });
      const budget = PRD.budgetCreated.data.budget;
      await ingest([
        events.budgetUpdated({ id: budget.id, user_id: budget.user_id, spent: '312.40' }),
      ]);
      expect(await db().selectFrom('budget_summaries').select('spent').executeTakeFirst()).toEqual({
        spent: '312.40',
      });
      await ingest([events.budgetDeleted(budget.id, budget.user_id)]);
      expect(await db().selectFrom('budget_summaries').selectAll().execute()).toEqual([]);
      expect(
        await db().selectFrom('user_summaries').select('total_budgets').executeTakeFirst(),
      ).toEqual({
        total_budgets: 0,
      });
    });

    it('keeps events of unknown types in the event log, counted but not projected or dead-lettered', async () => {
      const parcel = {
        ...events.userCreated({ id: uuid(), email: 'x@example.com' }),
        event_type: 'parcel.shipped',
      };
      expect(await ingest([parcel])).toEqual({
        accepted: 1,
        duplicates: 0,
        unknown: 1,
        rejected: [],
      });
      expect(await db().selectFrom('event_log').select('event_type').execute()).toEqual([
        { event_type: 'parcel.shipped' },
      ]);
      expect(await db().selectFrom('user_summaries').selectAll().execute()).toEqual([]);
      expect(await db().selectFrom('dead_letters').selectAll().execute()).toEqual([]);
    });
  });

  describe('idempotency', () => {
    it('changes nothing when the same batch arrives twice', async () => {
      const batch = scenario(5, 20);
      await ingest(batch);
      const before = await readModelSnapshot(db());
      expect(await ingest(batch)).toEqual({
        accepted: 0,
        duplicates: batch.length,
        unknown: 0,
        rejected: [],
      });
      expect(await readModelSnapshot(db())).toEqual(before);
    });

    it('applies an event repeated inside one batch once', async () => {
      const userId = uuid();
      const created = events.transactionCreated({
        id: uuid(),
        user_id: userId,
        amount: '5.00',
        date: '2026-03-01T00:00:00Z',
      });
      expect(await ingest([created, created, structuredClone(created)])).toMatchObject({
        accepted: 1,
        duplicates: 2,
      });
      expect(
        await db().selectFrom('user_summaries').select('total_transactions').executeTakeFirst(),
      ).toEqual({
        total_transactions: 1,
      });
    });
  });

  describe('ordering', () => {
    it('does not let a late update resurrect a deleted transaction or budget', async () => {
      const userId = uuid();
      const txId = uuid();
      const budgetId = uuid();
      const tx = { id: txId, user_id: userId, amount: '1.00', date: '2026-03-01T00:00:00Z' };
      await ingest([
        events.transactionCreated(tx),
        events.budgetCreated({ id: budgetId, user_id: userId }),
      ]);
      await ingest([
        events.transactionDeleted(txId, userId),
        events.budgetDeleted(budgetId, userId),
      ]);
      // Later timestamps than the deletes: still no resurrection.
      await ingest([
        events.transactionUpdated({ ...tx, amount: '2.00' }),
        events.budgetUpdated({ id: budgetId, user_id: userId, spent: '1.00' }),
      ]);
      expect(await db().selectFrom('transaction_summaries').selectAll().execute()).toEqual([]);
      expect(await db().selectFrom('budget_summaries').selectAll().execute()).toEqual([]);
      expect(await counters(db())).toEqual({});
    });

    it('applies an older event only to fields no newer event has set', async () => {
      const id = uuid();
      const created = events.userCreated({ id, email: 'late@example.com' }, '2026-01-01T00:00:00Z');
      const blocked = events.userBlocked(id, null, 'chargebacks', '2026-01-02T00:00:00Z');
      const staleUpdate = events.userUpdated(
        { id, email: 'stale@example.com' },
        undefined,
        '2025-12-31T00:00:00Z',
      );
      await ingest([blocked]);
      await ingest([created]);
      await ingest([staleUpdate]);
      expect(
        await db()
          .selectFrom('user_summaries')
          .select(['email', 'state', 'block_reason'])
          .executeTakeFirst(),
      ).toEqual({ email: 'late@example.com', state: 'Blocked', block_reason: 'chargebacks' });
      expect(await counters(db())).toEqual({
        'users.total': 1,
        'users.blocked': 1,
        'users.role.Customer': 1,
      });
    });

    it('reaches the same read model whatever the order and batching of the events', async () => {
      const all = scenario(25, 150);
      await ingestInBatches(projector, all, 40);
      const inOrder = await readModelSnapshot(db());

      const other = await createTestDatabase();
      try {
        const shuffledProjector = new Projector(other.db, testProjections(), logger);
        await ingestInBatches(shuffledProjector, shuffle(all, 7), 17);
        expect(await readModelSnapshot(other.db)).toEqual(inOrder);
      } finally {
        await other.drop();
      }
      expect(inOrder.transaction_summaries?.length).toBeGreaterThan(100);
      expect(inOrder.entity_tombstones?.length).toBeGreaterThan(5);
    });
  });

  describe('bad input', () => {
    // 11,000 events in 11 batches: past the default 30 s beside two other runs of the suite on 2
    // cores. The limit only ends a run that hangs.
    it('projects exactly the good events of a stream with 1,000 malformed ones mixed in, and dead-letters the rest', async () => {
      const userId = uuid();
      const good: EventEnvelope[] = [events.userCreated({ id: userId, email: 'many@example.com' })];
      for (let i = 0; i < 9_999; i++) {
        good.push(
          events.transactionCreated({
            id: uuid(),
            user_id: userId,
            amount: `${(i % 500) + 1}.25`,
            date: `2026-04-${String((i % 28) + 1).padStart(2, '0')}T08:00:00Z`,
          }),
        );
      }
      const bad = Array.from({ length: 1_000 }, (_, i) => malformed(i, userId));
      const stream = interleave(good, bad);

      const outcomes = [];
      for (let i = 0; i < stream.length; i += 1_000)
        outcomes.push(await ingest(stream.slice(i, i + 1_000)));

      expect(outcomes.reduce((n, o) => n + o.accepted, 0)).toBe(10_000);
      expect(outcomes.reduce((n, o) => n + o.rejected.length, 0)).toBe(1_000);
      expect(await counters(db())).toMatchObject({ 'transactions.total': 9_999, 'users.total': 1 });
      const reasons = await db()
        .selectFrom('dead_letters')
        .select(['reason', (eb) => eb.fn.countAll<number>().as('count')])
        .groupBy('reason')
        .orderBy('reason')
        .execute();
      expect(reasons).toEqual([
        { reason: 'invalid_envelope', count: 400 },
        { reason: 'invalid_payload', count: 390 },
        { reason: 'not_json', count: 100 },
        { reason: 'projection_error', count: 10 },
        { reason: 'unsupported_version', count: 100 },
      ]);
      const detail = await db()
        .selectFrom('dead_letters')
        .select('detail')
        .where('reason', '=', 'projection_error')
        .executeTakeFirstOrThrow();
      expect(detail.detail).toMatch(/out of range/);
    }, 180_000);

    it('keeps one dead letter, counting the copies, when a bad event repeats inside a batch', async () => {
      const good = events.userCreated({ id: uuid(), email: 'fine@example.com' });
      const bad = { ...events.userCreated({ id: uuid(), email: 'bad@example.com' }), data: {} };
      const outcome = await ingest([bad, good, structuredClone(bad)]);
      expect(outcome).toMatchObject({ accepted: 1 });
      expect(await counters(db())).toMatchObject({ 'users.total': 1 });
      await ingest([bad]);
      expect(
        await db().selectFrom('dead_letters').select(['event_id', 'reason', 'attempts']).execute(),
      ).toEqual([{ event_id: bad.event_id, reason: 'invalid_payload', attempts: 3 }]);
    });

    it('stores a message with a NUL character as a dead letter instead of failing the batch', async () => {
      const good = events.userCreated({ id: uuid(), email: 'ok@example.com' });
      const nul = events.userCreated({ id: uuid(), email: 'nul\u0000@example.com' });
      const garbage = Buffer.from('garbage\u0000bytes');
      const outcome = await ingest([good, nul, garbage]);
      expect(outcome).toMatchObject({ accepted: 1, rejected: [{ index: 1 }, { index: 2 }] });
      const rows = await db()
        .selectFrom('dead_letters')
        .select(['reason', 'payload', 'raw', 'raw_encoding'])
        .orderBy('id')
        .execute();
      // The event as JSON text (jsonb cannot hold \u0000); the garbage's bytes in base64 (text cannot).
      expect(rows).toEqual([
        {
          reason: 'unstorable',
          payload: null,
          raw: JSON.stringify(nul),
          raw_encoding: 'utf8',
        },
        {
          reason: 'not_json',
          payload: null,
          raw: garbage.toString('base64'),
          raw_encoding: 'base64',
        },
      ]);
    });

    it('stores an event with an unpaired surrogate as a dead letter, with its exact bytes', async () => {
      const lone = events.userCreated({ id: uuid(), email: 'lone@example.com' });
      const body = JSON.stringify(lone).replace('lone@', 'lone\\ud800@');
      const outcome = await ingest([Buffer.from(body)]);
      expect(outcome).toMatchObject({ accepted: 0, rejected: [{ index: 0 }] });
      expect(
        await db()
          .selectFrom('dead_letters')
          .select(['reason', 'payload', 'raw', 'raw_encoding'])
          .execute(),
      ).toEqual([{ reason: 'unstorable', payload: null, raw: body, raw_encoding: 'utf8' }]);
    });
  });
});

/** A realistic mixed stream: users (some blocked), sessions, transactions with updates and deletes, budgets. */
function scenario(userCount: number, transactionCount: number): EventEnvelope[] {
  const out: EventEnvelope[] = [];
  const users = Array.from({ length: userCount }, () => uuid());
  users.forEach((id, i) => {
    out.push(
      events.userCreated({
        id,
        email: `user${i}@example.com`,
        role: i % 10 === 0 ? 'Staff' : 'Customer',
      }),
    );
    out.push(events.sessionCreated(`s-${id}`, id, tick(0)));
    if (i % 3 === 0) out.push(events.sessionEnded(`s-${id}`, id, tick(0)));
    if (i % 4 === 0) out.push(events.userBlocked(id));
    if (i % 8 === 0) out.push(events.userUnblocked(id));
    if (i % 5 === 0)
      out.push(events.userUpdated({ id, email: `renamed${i}@example.com`, name: `User ${i}` }));
    const budget = { id: uuid(), user_id: id };
    out.push(events.budgetCreated(budget));
    if (i % 2 === 0) out.push(events.budgetUpdated({ ...budget, spent: '10.00' }));
    if (i % 6 === 0) out.push(events.budgetDeleted(budget.id, id));
  });
  for (let t = 0; t < transactionCount; t++) {
    const userId = users[t % users.length] ?? '';
    const tx = {
      id: uuid(),
      user_id: userId,
      amount: `${(t % 97) + 1}.${String(t % 100).padStart(2, '0')}`,
      date: `2026-05-${String((t % 20) + 1).padStart(2, '0')}T10:00:00Z`,
      transaction_type: t % 7 === 0 ? ('INCOME' as const) : ('EXPENSE' as const),
    };
    out.push(events.transactionCreated(tx));
    if (t % 4 === 0)
      out.push(events.transactionUpdated({ ...tx, amount: '3.33', date: '2026-05-25T10:00:00Z' }));
    if (t % 9 === 0) out.push(events.transactionDeleted(tx.id, userId));
  }
  return out;
}

async function ingestInBatches(
  projector: Projector,
  items: EventEnvelope[],
  size: number,
): Promise<void> {
  for (let i = 0; i < items.length; i += size)
    await projector.ingest(asMessages(items.slice(i, i + size)));
}

/** Deterministic Fisher–Yates with a small LCG, so a failure can be replayed. */
function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function interleave<T>(a: readonly T[], b: readonly T[]): T[] {
  const out: T[] = [];
  const ratio = a.length / b.length;
  let j = 0;
  a.forEach((item, i) => {
    out.push(item);
    if (i >= (j + 1) * ratio - 1 && j < b.length) out.push(b[j++] as T);
  });
  while (j < b.length) out.push(b[j++] as T);
  return out;
}

/**
 * Ten kinds of malformed message, 100 of each, except that only 10 fail in projection (the rest of that
 * hundred lack a field): projection failures are rare in life, and each costs a few smaller commits.
 */
function malformed(i: number, userId: string): unknown {
  const good = events.transactionCreated({
    id: uuid(),
    user_id: userId,
    amount: '1.00',
    date: '2026-04-01T00:00:00Z',
  });
  const tx = good.data.transaction as Record<string, unknown>;
  switch (i % 10) {
    case 0:
      return Buffer.from(`{"event_id": "${uuid()}", truncated`);
    case 1: {
      const { event_id: _, ...rest } = good;
      return rest;
    }
    case 2:
      return { ...good, event_type: 'TransactionCreated' };
    case 3:
      return { ...good, timestamp: 'yesterday' };
    case 4:
      return { ...good, metadata: {} };
    case 5:
      return { ...good, version: '2.0' };
    case 6:
      return { ...good, data: { transaction: { ...tx, amount: 'lots' } } };
    case 7:
      return { ...good, data: { transaction: { ...tx, transaction_type: 'REFUND' } } };
    case 8:
      return { ...good, data: {} };
    default: {
      if (i % 100 !== 9) {
        const { user_id: _, ...withoutUser } = tx;
        return { ...good, data: { transaction: withoutUser } };
      }
      // Passes validation, but PostgreSQL has no year 0: fails in projection and must be isolated.
      return { ...good, data: { transaction: { ...tx, date: '0000-01-01T00:00:00Z' } } };
    }
  }
}
