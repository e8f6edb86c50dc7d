import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Database } from '../src/db/database.ts';
import { DEFAULT_USER_PASSWORD, KNOWN_ACCOUNTS } from '../src/domain/accounts.ts';
import { generateEvents } from '../src/generator/generator.ts';
import { startSandbox, type Sandbox } from '../src/sandbox.ts';
import { LoginResponse } from '../src/services/users/users.schemas.ts';
import { freshDatabaseUrl } from './helpers/database.ts';
import { silentLogger } from './helpers/services.ts';

/** The sandbox started on an empty database: it seeds once, from the generator. */
describe('seeding', () => {
  const database = freshDatabaseUrl();
  const end = new Date();
  const size = { users: 40, transactions: 1_500, seed: 3 };
  let db: Database;

  const start = () =>
    startSandbox({
      ...size,
      databaseUrl: database.url,
      rate: 0,
      publish: 'none',
      userPort: 0,
      transactionPort: 0,
      budgetPort: 0,
      seedEnd: end,
      logger: silentLogger,
    });

  beforeAll(() => {
    db = createPool(database.url);
  });
  afterAll(async () => {
    await db.destroy();
    await database.drop();
  });

  it('creates the database, seeds it with the generated history and puts those events in the outbox', async () => {
    let sandbox: Sandbox | undefined;
    try {
      sandbox = await start();
      expect(sandbox.seeded).toBe(true);
      const events = [...generateEvents({ ...size, end })];
      const outbox = await db.selectFrom('outbox').select('event_id').orderBy('id').execute();
      expect(outbox.map((r) => r.event_id)).toEqual(events.map((e) => e.event_id));

      const count = async (table: 'users' | 'transactions' | 'budgets' | 'sessions') =>
        Number(
          (
            await db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const created = (type: string) => events.filter((e) => e.event_type === type).length;
      expect(await count('users')).toBe(size.users + 3);
      expect(await count('transactions')).toBe(
        created('transaction.created') - created('transaction.deleted'),
      );
      expect(await count('budgets')).toBe(created('budget.created') - created('budget.deleted'));
      expect(await count('sessions')).toBe(created('session.created'));
      const blocked = await db
        .selectFrom('users')
        .select('id')
        .where('state', '=', 'Blocked')
        .execute();
      expect(blocked).toHaveLength(created('user.blocked'));
      const open = await db
        .selectFrom('sessions')
        .select('id')
        .where('ended_at', 'is', null)
        .execute();
      expect(open).toHaveLength(created('session.created') - created('session.ended'));

      // Every budget's figure is what the Budget Service's own rule computes from the seeded rows:
      // the matching expenses dated in the period (UTC week, month or year) containing `end`.
      const mismatches = await sql<{ id: string }>`
        SELECT b.id FROM budgets b
        CROSS JOIN LATERAL (SELECT date_trunc(CASE b.period_type WHEN 'WEEKLY' THEN 'week'
          WHEN 'MONTHLY' THEN 'month' ELSE 'year' END, ${end}::timestamptz, 'UTC') AS start) p
        WHERE b.spent <> coalesce((
          SELECT sum(t.amount) FROM transactions t
          WHERE t.user_id = b.user_id AND t.transaction_type = 'EXPENSE'
            AND (b.category_id IS NULL OR t.category_id = b.category_id)
            AND t.date >= p.start
            AND t.date < p.start + CASE b.period_type WHEN 'WEEKLY' THEN interval '7 days'
              WHEN 'MONTHLY' THEN interval '1 month' ELSE interval '1 year' END), 0)`.execute(db);
      expect(await count('budgets')).toBeGreaterThan(10);
      expect(mismatches.rows).toEqual([]);

      // The known accounts sign in with the sandbox password.
      for (const account of KNOWN_ACCOUNTS) {
        const response = await fetch(`${sandbox.urls.users}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: account.email, password: DEFAULT_USER_PASSWORD }),
        });
        expect(LoginResponse.parse(await response.json()).userId).toBe(account.id);
      }
    } finally {
      await sandbox?.stop();
    }
  });

  it('does not seed again on the next start', async () => {
    const before = await db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const sandbox = await start();
    try {
      expect(sandbox.seeded).toBe(false);
      const after = await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      expect(after.n).toBe(before.n);
    } finally {
      await sandbox.stop();
    }
  });
});
