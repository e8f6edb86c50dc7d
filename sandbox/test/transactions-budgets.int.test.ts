import { BudgetSchema, ProblemSchema, TransactionSchema } from '@backoffice/contracts';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CATEGORIES, type Category } from '../src/domain/categories.ts';
import { periodStart } from '../src/domain/periods.ts';
import { pageSchema } from '../src/platform/schemas.ts';
import { BudgetResourceSchema } from '../src/services/budgets/budgets.schemas.ts';
import {
  ReviewResponse,
  TransactionResourceSchema,
} from '../src/services/transactions/transactions.schemas.ts';
import type { UserResource } from '../src/services/users/users.schemas.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { OutboxReader, ofType } from './helpers/events.ts';
import { buildTestServices, newUser, type TestServices } from './helpers/services.ts';
import { bearer, serviceToken, STAFF_ID } from './helpers/tokens.ts';
import { waitFor } from './helpers/wait.ts';

const category = (name: string) => CATEGORIES.find((c) => c.name === name) as Category;
const GROCERIES = category('Groceries');
const DINING = category('Dining');
const SALARY = category('Salary');
const context = { correlationId: 'factory' };

describe('Transaction and Budget Services', () => {
  let database: TestDatabase;
  let sandbox: TestServices;
  let outbox: OutboxReader;
  let transactionToken: string;
  let budgetToken: string;
  let user: UserResource;

  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = await buildTestServices(database.db);
    outbox = new OutboxReader(database.db);
    transactionToken = await serviceToken('transaction-service');
    budgetToken = await serviceToken('budget-service');
  });
  afterAll(async () => {
    await sandbox.close();
    await database.drop();
  });
  beforeEach(async () => {
    user = await newUser(sandbox.services);
    await outbox.newEvents();
  });

  const expense = (categoryOf: Category, amount: string, date?: Date) =>
    sandbox.services.transactions.create(
      {
        userId: user.id,
        categoryId: categoryOf.id,
        amount,
        description: 'Test',
        ...(date ? { date } : {}),
      },
      context,
    );
  const budget = (
    categoryId: string | null,
    periodType: 'WEEKLY' | 'MONTHLY' | 'YEARLY' = 'MONTHLY',
  ) =>
    sandbox.services.budgets.create(
      {
        userId: user.id,
        name: 'Test budget',
        amount: '500.00',
        periodType,
        categoryId,
        status: 'ACTIVE',
      },
      context,
    );
  const getTransactions = (url: string) =>
    sandbox.apps.transactions.inject({ method: 'GET', url, headers: bearer(transactionToken) });

  describe('GET /v1/transactions/{id}', () => {
    it('answers the transaction in the main spec’s shape, 404 when unknown', async () => {
      const created = await expense(GROCERIES, '89.99');
      const response = await getTransactions(`/v1/transactions/${created.id}`);
      expect(response.statusCode).toBe(200);
      const transaction = TransactionResourceSchema.parse(response.json());
      expect(transaction).toMatchObject({
        user_id: user.id,
        amount: '89.99',
        transaction_type: 'EXPENSE',
        category_id: GROCERIES.id,
        category_name: 'Groceries',
      });
      expect(TransactionSchema.safeParse(transaction).success).toBe(true);
      const missing = await getTransactions(`/v1/transactions/${randomUUID()}`);
      expect(missing.statusCode).toBe(404);
      expect(ProblemSchema.parse(missing.json()).type).toBe('urn:backoffice:problem:not-found');
    });

    it('answers 401 to a token for another service', async () => {
      const created = await expense(GROCERIES, '1.00');
      const response = await sandbox.apps.transactions.inject({
        method: 'GET',
        url: `/v1/transactions/${created.id}`,
        headers: bearer(await serviceToken('user-service')),
      });
      expect(response.statusCode).toBe(401);
    });
  });

  describe('GET /v1/users/{userId}/transactions', () => {
    it('lists newest first within a date range, with paging', async () => {
      const day = (d: string) => new Date(`${d}T12:00:00Z`);
      const jan = await expense(GROCERIES, '1.00', day('2025-01-15'));
      const feb = await expense(GROCERIES, '2.00', day('2025-02-10'));
      const mar = await expense(GROCERIES, '3.00', day('2025-03-05'));
      const list = async (query: string) => {
        const response = await getTransactions(`/v1/users/${user.id}/transactions?${query}`);
        expect(response.statusCode).toBe(200);
        return pageSchema(TransactionResourceSchema).parse(response.json());
      };
      expect((await list('')).data.map((t) => t.id)).toEqual([mar.id, feb.id, jan.id]);
      const range = await list('from=2025-02-01&to=2025-03-05&limit=1');
      expect(range).toMatchObject({ total: 2, limit: 1, page: 1 });
      expect(range.data.map((t) => t.id)).toEqual([mar.id]);
      expect(
        (await list('from=2025-02-01&to=2025-03-05&limit=1&page=2')).data.map((t) => t.id),
      ).toEqual([feb.id]);
      expect(
        (await list('from=2025-01-01T00:00:00Z&to=2025-02-10T12:00:00Z')).data.map((t) => t.id),
      ).toEqual([jan.id]);
      expect(
        (await getTransactions(`/v1/users/${user.id}/transactions?from=2025-03-01&to=2025-02-01`))
          .statusCode,
      ).toBe(400);
      expect(
        (await getTransactions(`/v1/users/${user.id}/transactions?from=yesterday`)).statusCode,
      ).toBe(400);
    });
  });

  describe('POST /v1/transactions/{id}/review', () => {
    it('marks reviewed by the token’s subject and emits transaction.updated, once', async () => {
      const created = await expense(GROCERIES, '12.00');
      await outbox.newEvents();
      const review = () =>
        sandbox.apps.transactions.inject({
          method: 'POST',
          url: `/v1/transactions/${created.id}/review`,
          headers: { ...bearer(transactionToken), 'x-correlation-id': 'review-1' },
          payload: { note: 'Looks fine' },
        });
      const first = ReviewResponse.parse((await review()).json());
      expect(first).toMatchObject({
        changed: true,
        transaction: { id: created.id, reviewed_by: STAFF_ID, review_note: 'Looks fine' },
      });
      expect(first.transaction.reviewed_at).not.toBeNull();
      const [updated, ...others] = await outbox.newEvents();
      expect(others).toEqual([]);
      expect(updated).toMatchObject({
        event_type: 'transaction.updated',
        data: {
          transaction: { id: created.id, reviewed_by: STAFF_ID },
          old_values: { reviewed_at: null },
        },
        metadata: { source_service: 'transaction-service', correlation_id: 'review-1' },
      });

      const second = ReviewResponse.parse((await review()).json());
      expect(second).toEqual({ ...first, changed: false });
      expect(await outbox.newEvents()).toEqual([]);
    });

    it('accepts a review without a body; 404 for an unknown transaction', async () => {
      const created = await expense(GROCERIES, '3.00');
      const bare = await sandbox.apps.transactions.inject({
        method: 'POST',
        url: `/v1/transactions/${created.id}/review`,
        headers: bearer(transactionToken),
      });
      expect(bare.statusCode).toBe(200);
      const unknown = await sandbox.apps.transactions.inject({
        method: 'POST',
        url: `/v1/transactions/${randomUUID()}/review`,
        headers: bearer(transactionToken),
        payload: {},
      });
      expect(unknown.statusCode).toBe(404);
    });
  });

  describe('budgets’ spent figure', () => {
    it('counts EXPENSEs of the budget’s category this period, and every category for a budget without one', async () => {
      const groceries = await budget(GROCERIES.id);
      const everything = await budget(null);
      await outbox.newEvents();

      await expense(GROCERIES, '40.10');
      let updates = ofType(await outbox.newEvents(), 'budget.updated');
      // Budgets are locked, recomputed and reported in id order.
      const inIdOrder = [groceries.id, everything.id].sort();
      expect(
        updates.map((e) => [e.data.budget.id, e.data.budget.spent, e.data.old_values]),
      ).toEqual(inIdOrder.map((id) => [id, '40.10', { spent: '0.00' }]));

      const dinner = await expense(DINING, '9.90');
      updates = ofType(await outbox.newEvents(), 'budget.updated');
      expect(updates.map((e) => [e.data.budget.id, e.data.budget.spent])).toEqual([
        [everything.id, '50.00'],
      ]);

      await sandbox.services.transactions.create(
        { userId: user.id, categoryId: SALARY.id, amount: '3000.00', description: 'Pay' },
        context,
      );
      expect(ofType(await outbox.newEvents(), 'budget.updated')).toEqual([]);

      await sandbox.services.transactions.update(dinner.id, { categoryId: GROCERIES.id }, context);
      updates = ofType(await outbox.newEvents(), 'budget.updated');
      expect(updates.map((e) => [e.data.budget.id, e.data.budget.spent])).toEqual([
        [groceries.id, '50.00'],
      ]);

      await sandbox.services.transactions.delete(dinner.id, { correlationId: 'delete-1' });
      const events = await outbox.newEvents();
      expect(events.map((e) => e.event_type)).toEqual([
        'transaction.deleted',
        'budget.updated',
        'budget.updated',
      ]);
      expect(events.every((e) => e.metadata.correlation_id === 'delete-1')).toBe(true);
      const response = await sandbox.apps.budgets.inject({
        method: 'GET',
        url: `/v1/budgets/${groceries.id}`,
        headers: bearer(budgetToken),
      });
      expect(BudgetResourceSchema.parse(response.json())).toMatchObject({
        spent: '40.10',
        status: 'ACTIVE',
      });
    });

    it('ignores expenses dated in an earlier period, and starts a new budget with what this period already holds', async () => {
      await expense(GROCERIES, '25.00');
      const lastYear = new Date(Date.now() - 400 * 86_400_000);
      await expense(GROCERIES, '99.00', lastYear);
      const created = await budget(GROCERIES.id, 'WEEKLY');
      expect(created).toMatchObject({ spent: '25.00', period_type: 'WEEKLY' });
      expect(created.period_start).toBe(new Date(periodStart('WEEKLY', Date.now())).toISOString());
      await outbox.newEvents();
      await expense(GROCERIES, '1.00', lastYear);
      expect(ofType(await outbox.newEvents(), 'budget.updated')).toEqual([]);
    });

    it('rolls a budget over to a new period: the figure restarts from that period’s expenses', async () => {
      const monthly = await budget(null);
      await expense(DINING, '10.00');
      await sql`UPDATE budgets SET spent = 777.00, period_start = '2000-01-01' WHERE id = ${monthly.id}`.execute(
        database.db,
      );
      await outbox.newEvents();
      expect(
        await sandbox.services.budgets.rollOverPeriods({ correlationId: 'rollover-1' }),
      ).toBeGreaterThanOrEqual(1);
      const [rolled] = ofType(await outbox.newEvents(), 'budget.updated').filter(
        (e) => e.data.budget.id === monthly.id,
      );
      expect(rolled?.data).toMatchObject({
        budget: { spent: '10.00' },
        old_values: { spent: '777.00' },
      });
      expect(rolled?.metadata.correlation_id).toBe('rollover-1');
      await sandbox.services.budgets.rollOverPeriods({ correlationId: 'rollover-2' });
      expect(
        ofType(await outbox.newEvents(), 'budget.updated').filter(
          (e) => e.data.budget.id === monthly.id,
        ),
      ).toEqual([]);
    });

    it('dates budget.updated after waiting for the budget’s lock, never before the change it waited for', async () => {
      const monthly = await budget(null);
      await outbox.newEvents();
      let waiting: Promise<unknown> | undefined;
      let releasedAt = 0;
      await database.db.transaction().execute(async (trx) => {
        // A concurrent change of the budget holds its row lock while the expense comes in.
        await trx
          .selectFrom('budgets')
          .select('id')
          .where('id', '=', monthly.id)
          .forUpdate()
          .execute();
        waiting = expense(GROCERIES, '5.00');
        await waitFor(async () => {
          const { rows } = await sql<{ waiting: number }>`
            SELECT count(*)::int AS waiting FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock'`.execute(database.db);
          return (rows[0]?.waiting ?? 0) > 0;
        }, 'the expense to wait for the budget');
        releasedAt = Date.now();
      });
      await waiting;
      const [updated] = ofType(await outbox.newEvents(), 'budget.updated');
      expect(updated?.data.budget).toMatchObject({ id: monthly.id, spent: '5.00' });
      expect(Date.parse(updated?.timestamp ?? '')).toBeGreaterThanOrEqual(releasedAt);
    });

    it('emits budget.created/updated/deleted in the main spec’s shape', async () => {
      const created = await budget(DINING.id);
      await sandbox.services.budgets.update(
        created.id,
        { status: 'ARCHIVED', amount: '600.00' },
        context,
      );
      await sandbox.services.budgets.update(created.id, { status: 'ARCHIVED' }, context);
      await sandbox.services.budgets.delete(created.id, context);
      const events = await outbox.newEvents();
      expect(events.map((e) => e.event_type)).toEqual([
        'budget.created',
        'budget.updated',
        'budget.deleted',
      ]);
      const [createdEvent, updated, deleted] = events;
      expect(BudgetSchema.safeParse(createdEvent?.data.budget).success).toBe(true);
      expect(updated?.data).toMatchObject({
        budget: { status: 'ARCHIVED', amount: '600.00', category_name: 'Dining' },
        old_values: { status: 'ACTIVE', amount: '500.00' },
      });
      expect(deleted?.data).toMatchObject({ budget_id: created.id, user_id: user.id });
    });
  });

  describe('Budget Service API', () => {
    it('answers a budget and a user’s budgets; 404 for an unknown budget; 401 without a token', async () => {
      const a = await budget(GROCERIES.id);
      const b = await budget(null, 'YEARLY');
      const one = await sandbox.apps.budgets.inject({
        method: 'GET',
        url: `/v1/budgets/${a.id}`,
        headers: bearer(budgetToken),
      });
      expect(BudgetResourceSchema.parse(one.json())).toEqual(a);
      const list = await sandbox.apps.budgets.inject({
        method: 'GET',
        url: `/v1/users/${user.id}/budgets`,
        headers: bearer(budgetToken),
      });
      const page = pageSchema(BudgetResourceSchema).parse(list.json());
      expect(page.total).toBe(2);
      expect(page.data.map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
      expect(
        (
          await sandbox.apps.budgets.inject({
            method: 'GET',
            url: `/v1/budgets/${randomUUID()}`,
            headers: bearer(budgetToken),
          })
        ).statusCode,
      ).toBe(404);
      expect(
        (await sandbox.apps.budgets.inject({ method: 'GET', url: `/v1/budgets/${a.id}` }))
          .statusCode,
      ).toBe(401);
      expect((await sandbox.apps.budgets.inject({ method: 'GET', url: '/health' })).json()).toEqual(
        { status: 'ok', service: 'budget-service' },
      );
    });
  });
});
