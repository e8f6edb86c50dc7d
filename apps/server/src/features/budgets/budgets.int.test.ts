import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, uuid } from '../../../test/factories/events.ts';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { signedIn } from '../../../test/helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { ingest } from '../../../test/helpers/ingest.ts';

const SECRET = 'budgets-test-webhook-secret';

/** Budgets are a declared resource: the Budget Service's events, listed, filtered and shown. */
describe('GET /v1/admin/budgets (a declared resource of Money Planner)', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let staff: { headers: { authorization: string } };
  const owner = uuid();
  const ids = { weekly: uuid(), monthly: uuid(), archived: uuid() };

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ app } = await buildTestApp(database, { INGEST_WEBHOOK_SECRET: SECRET }));
    staff = await signedIn(app, database.db, ['Staff']);
    await ingest(app, SECRET, [
      events.budgetCreated({
        id: ids.weekly,
        user_id: owner,
        name: 'Groceries',
        amount: '120.00',
        period_type: 'WEEKLY',
        created_at: '2026-03-01T10:00:00Z',
      }),
      events.budgetCreated({
        id: ids.monthly,
        user_id: owner,
        name: 'Rent',
        amount: '1500.00',
        spent: '1500.00',
        created_at: '2026-03-02T10:00:00Z',
      }),
      events.budgetCreated({
        id: ids.archived,
        user_id: uuid(),
        name: 'Old holiday',
        amount: '900.00',
        status: 'ARCHIVED',
        period_type: 'YEARLY',
        created_at: '2026-03-03T10:00:00Z',
      }),
    ]);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const get = (url: string) => app.inject({ method: 'GET', url, headers: staff.headers });
  const names = async (query: string) => {
    const response = await get(`/v1/admin/budgets?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ data: { name: string }[] }>().data.map((b) => b.name);
  };

  it('lists the projected budgets newest first, to Staff (budgets:read)', async () => {
    expect(await names('')).toEqual(['Old holiday', 'Rent', 'Groceries']);
  });

  it('filters by owner, period, status and amount', async () => {
    expect(await names(`userId=${owner}`)).toEqual(['Rent', 'Groceries']);
    expect(await names('periodType=weekly,yearly&status=ACTIVE')).toEqual(['Groceries']);
    expect(await names('amountMin=500&sort=amount')).toEqual(['Old holiday', 'Rent']);
  });

  it('shows one budget as the Budget Service reported it', async () => {
    const response = await get(`/v1/admin/budgets/${ids.monthly}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: ids.monthly,
      userId: owner,
      name: 'Rent',
      amount: '1500.00',
      spent: '1500.00',
      periodType: 'MONTHLY',
      status: 'ACTIVE',
      createdAt: '2026-03-02T10:00:00.000Z',
    });
  });
});
