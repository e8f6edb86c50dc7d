import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { testAuditWriter } from '../../../test/helpers/audit.ts';
import { createStaff, signedIn } from '../../../test/helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import type { DB } from '../../db/schema.ts';
import { PiiRevealsRepository } from '../../platform/auth/pii-reveals.repository.ts';
import type { Database } from '../../platform/db/database.ts';
import { AuditRepository } from '../audit/audit.repository.ts';
import { UsersRepository } from './users.repository.ts';
import { UsersService } from './users.service.ts';

/**
 * The 360° view reads a user and everything of theirs in a fixed, small number of statements, and the
 * rows that come back inside JSON (times, amounts) answer exactly as separate queries did.
 */
describe('GET /v1/admin/users/:id, statement by statement', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let admin: Awaited<ReturnType<typeof signedIn>>;
  let blocker: Awaited<ReturnType<typeof createStaff>>;
  /** Every statement run through `counted`, as SQL. */
  const statements: string[] = [];
  let counted: Database;
  let service: UsersService;

  const subject = { id: randomUUID(), email: 'mara.quist@example.test' };
  const platformAdmin = { id: randomUUID(), email: 'platform.admin@example.test' };
  const quiet = { id: randomUUID(), email: 'quiet.person@example.test' };
  /** Dated in the year 10000 and in 2026: in time order, not in the order of their text. */
  const farOff = { id: randomUUID(), email: 'far.off@example.test' };
  const farOffTimes = ['10000-01-01 00:00:00+00', '2026-01-01 00:00:00+00'];
  const correlationId = randomUUID();
  const linkedEvent = randomUUID();
  const upstreamEvent = randomUUID();
  const category = (i: number) => `00000000-0000-4000-8000-0000000000${String(i).padStart(2, '0')}`;
  const revealUntil = new Date(Date.now() + 10 * 60_000);

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ app } = await buildTestApp(database));
    admin = await signedIn(app, database.db, ['Admin']);
    blocker = await createStaff(database.db, { roles: ['Staff'], name: 'Avery Blocker' });
    const db = database.db;
    // Times with microseconds, which the driver truncates to milliseconds (.999999 stays in its second).
    await db
      .insertInto('user_summaries')
      .values([
        {
          id: subject.id,
          email: subject.email,
          name: 'Mara Quist',
          role: 'Customer',
          state: 'Blocked',
          created_at: '2025-03-04 05:06:07.890123+00',
          updated_at: '2026-05-01 10:00:00.999999+00',
          blocked_at: '2026-05-01 10:00:00.999999+00',
          blocked_by: blocker.id,
          block_reason: 'chargebacks',
          last_login_at: '2026-04-30 23:59:59.000500+00',
          total_transactions: 12,
          total_budgets: 2,
          active_sessions: 2,
        },
        { id: platformAdmin.id, email: platformAdmin.email, role: 'Admin', state: 'Active' },
        { id: quiet.id, email: quiet.email, role: 'Customer', state: 'Active' },
        { id: farOff.id, email: farOff.email, role: 'Customer', state: 'Active' },
      ])
      .execute();
    await db
      .insertInto('user_sessions')
      .values([
        {
          session_id: 's-old',
          user_id: subject.id,
          created_at: '2026-04-01 08:00:00.123456+00',
          expires_at: '2026-06-01 08:00:00+00',
          ip: '198.51.100.7',
          user_agent: 'Firefox',
        },
        {
          session_id: 's-new',
          user_id: subject.id,
          created_at: '2026-04-30 23:59:59.000500+00',
          expires_at: null,
          ip: null,
          user_agent: null,
        },
        {
          session_id: 's-ended',
          user_id: subject.id,
          created_at: '2026-03-01 08:00:00+00',
          ended_at: '2026-03-02 08:00:00+00',
          end_reason: 'logout',
        },
      ])
      .execute();
    await db
      .insertInto('transaction_summaries')
      .values(
        Array.from({ length: 12 }, (_, i) => ({
          id: randomUUID(),
          user_id: subject.id,
          description: i === 0 ? 'Café “Zürich”' : null,
          amount: i === 0 ? '12.50' : `${1000 + i}.00`,
          transaction_type: i % 2 === 0 ? 'EXPENSE' : 'INCOME',
          category_id: i === 0 ? null : category(i),
          category_name: i === 0 ? null : `Category ${i}`,
          date: `2026-04-${i + 10} 12:00:00.${String(i * 83).padStart(3, '0')}999+00`,
          created_at: '2026-04-30 00:00:00.000001+00',
          updated_at: '2026-04-30 00:00:00.999999+00',
          version_at: '2026-04-30 00:00:00+00',
          version_id: randomUUID(),
        })),
      )
      .execute();
    await db
      .insertInto('budget_summaries')
      .values(
        ['2026-01-01 00:00:00.5+00', '2026-02-01 00:00:00.000999+00'].map((created, i) => ({
          id: randomUUID(),
          user_id: subject.id,
          name: `Budget ${i}`,
          amount: i === 0 ? '250.00' : '0.10',
          spent: i === 0 ? '0.00' : '1234567.89',
          period_type: 'MONTHLY',
          status: 'ACTIVE',
          category_id: i === 0 ? null : category(1),
          created_at: created,
          updated_at: created,
          version_at: created,
          version_id: randomUUID(),
        })),
      )
      .execute();
    for (const [i, at] of farOffTimes.entries()) {
      await db
        .insertInto('user_sessions')
        .values({ session_id: `far-${i}`, user_id: farOff.id, created_at: at })
        .execute();
      const entity = {
        id: randomUUID(),
        user_id: farOff.id,
        amount: '1.00',
        created_at: at,
        updated_at: at,
        version_at: at,
        version_id: randomUUID(),
      };
      await db
        .insertInto('transaction_summaries')
        .values({ ...entity, transaction_type: 'EXPENSE', date: at })
        .execute();
      await db
        .insertInto('budget_summaries')
        .values({
          ...entity,
          name: `Far ${i}`,
          period_type: 'YEARLY',
          status: 'ACTIVE',
          spent: '0',
        })
        .execute();
    }
    const writer = testAuditWriter();
    await writer.record(
      db,
      {
        actor: { type: 'staff', id: blocker.id, email: blocker.email },
        ip: '203.0.113.1',
        userAgent: 'test',
        correlationId,
      },
      {
        action: 'users.block',
        resourceType: 'user',
        resourceId: subject.id,
        reason: 'chargebacks',
        before: { state: 'Active' },
        after: { state: 'Blocked' },
        metadata: { changed: true },
      },
    );
    await db
      .insertInto('audit_event_links')
      .values({
        event_id: linkedEvent,
        correlation_id: correlationId,
        event_type: 'user.blocked',
        resource_id: subject.id,
      })
      .execute();
    await writer.record(
      db,
      {
        actor: { type: 'upstream', id: platformAdmin.id, email: null },
        ip: null,
        userAgent: null,
        correlationId: randomUUID(),
      },
      {
        action: 'user.updated',
        resourceType: 'user',
        resourceId: subject.id,
        occurredAt: new Date('2026-05-02T00:00:00.000Z'),
        eventId: upstreamEvent,
        before: { name: 'Mara Q.' },
        after: { name: 'Mara Quist' },
        metadata: { sourceService: 'user-service' },
      },
    );
    await new PiiRevealsRepository(db).grant({
      staffId: admin.id,
      subjectId: subject.id,
      reason: 'ticket 4711, refund',
      expiresAt: revealUntil,
    });

    // The service on a database handle that counts what it runs (the same pool).
    counted = new Kysely<DB>({
      dialect: new PostgresDialect({ pool: database.pool }),
      log: (event) => {
        if (event.level === 'query') statements.push(event.query.sql);
      },
    });
    service = new UsersService(
      counted,
      new UsersRepository(counted),
      new AuditRepository(counted, app.upstream.nameOf),
      app.audit,
      app.upstream,
      new PiiRevealsRepository(counted),
      10,
    );
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const detailOf = async (id: string, viewerId: string | null) => {
    statements.length = 0;
    const detail = await service.detail(id, viewerId);
    return { detail, statements: [...statements] };
  };

  it('reads a user with sessions, transactions, budgets, a reveal, audit entries by staff and platform, and a blocker in three statements', async () => {
    const { detail, statements: run } = await detailOf(subject.id, admin.id);
    expect(run.length, run.join('\n\n')).toBeLessThanOrEqual(3);
    expect(detail.sessions).toHaveLength(2);
    expect(detail.recentTransactions).toHaveLength(10);
    expect(detail.budgets).toHaveLength(2);
    expect(detail.recentAudit).toHaveLength(2);
    expect(detail.blockedByActor).not.toBeNull();
  });

  it('reads a user with nothing to name in two, and an unknown user is a 404', async () => {
    const { detail, statements: run } = await detailOf(quiet.id, null);
    expect(run.length, run.join('\n\n')).toBe(2);
    expect(detail).toMatchObject({
      sessions: [],
      recentTransactions: [],
      budgets: [],
      recentAudit: [],
      blockedByActor: null,
      piiRevealedUntil: null,
    });
    await expect(service.detail(randomUUID(), null)).rejects.toMatchObject({ status: 404 });
  });

  it('gives times, amounts and names inside the nested lists exactly as the columns read', async () => {
    const { detail } = await detailOf(subject.id, admin.id);
    expect(detail).toMatchObject({
      id: subject.id,
      createdAt: '2025-03-04T05:06:07.890Z',
      updatedAt: '2026-05-01T10:00:00.999Z',
      blockedAt: '2026-05-01T10:00:00.999Z',
      lastLoginAt: '2026-04-30T23:59:59.000Z',
      blockedBy: blocker.id,
      blockedByActor: {
        type: 'staff',
        id: blocker.id,
        email: blocker.email,
        label: 'Avery Blocker',
        person: null,
      },
      piiRevealedUntil: revealUntil.toISOString(),
    });
    expect(detail.sessions).toEqual([
      {
        sessionId: 's-new',
        createdAt: '2026-04-30T23:59:59.000Z',
        expiresAt: null,
        ip: null,
        userAgent: null,
      },
      {
        sessionId: 's-old',
        createdAt: '2026-04-01T08:00:00.123Z',
        expiresAt: '2026-06-01T08:00:00.000Z',
        ip: '198.51.100.7',
        userAgent: 'Firefox',
      },
    ]);
    // Latest first: the 12th (i = 11) down to the 3rd; the 1st (12.50, no category) is past the ten.
    expect(detail.recentTransactions.map((t) => [t.date, t.amount, t.transactionType])).toEqual(
      Array.from({ length: 10 }, (_, k) => {
        const i = 11 - k;
        return [
          `2026-04-${i + 10}T12:00:00.${String(i * 83).padStart(3, '0')}Z`,
          `${1000 + i}.00`,
          i % 2 === 0 ? 'EXPENSE' : 'INCOME',
        ];
      }),
    );
    expect(detail.recentTransactions[0]).toMatchObject({
      userId: subject.id,
      description: null,
      categoryId: category(11),
      categoryName: 'Category 11',
      createdAt: '2026-04-30T00:00:00.000Z',
      updatedAt: '2026-04-30T00:00:00.999Z',
    });
    expect(
      detail.budgets.map((b) => [b.name, b.amount, b.spent, b.categoryId, b.createdAt]),
    ).toEqual([
      ['Budget 0', '250.00', '0.00', null, '2026-01-01T00:00:00.500Z'],
      ['Budget 1', '0.10', '1234567.89', category(1), '2026-02-01T00:00:00.000Z'],
    ]);
    // Newest first by when it happened: the block now, the platform's change in May.
    expect(detail.recentAudit).toMatchObject([
      {
        action: 'users.block',
        source: 'backoffice',
        actor: { type: 'staff', id: blocker.id, email: blocker.email, label: 'Avery Blocker' },
        resource: { type: 'user', id: subject.id, email: subject.email },
        linkedEventIds: [linkedEvent],
        before: { state: 'Active' },
        metadata: { changed: true },
      },
      {
        action: 'user.updated',
        occurredAt: '2026-05-02T00:00:00.000Z',
        source: 'platform',
        eventId: upstreamEvent,
        actor: {
          type: 'upstream',
          id: platformAdmin.id,
          label: 'User Service (platform)',
          person: platformAdmin.email,
        },
        resource: { type: 'user', id: subject.id, email: subject.email },
        linkedEventIds: [],
      },
    ]);

    // And the route answers the same, to an Admin (who sees personal data unmasked).
    const response = await app.inject({
      method: 'GET',
      url: `/v1/admin/users/${subject.id}`,
      headers: admin.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual(JSON.parse(JSON.stringify(detail)));
  });

  it('orders sessions, transactions and budgets by time, not by the text of their times', async () => {
    const { detail } = await detailOf(farOff.id, null);
    const [far, near] = ['+010000-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'];
    expect(detail.sessions.map((s) => s.createdAt)).toEqual([far, near]);
    expect(detail.recentTransactions.map((t) => t.date)).toEqual([far, near]);
    expect(detail.budgets.map((b) => b.createdAt)).toEqual([near, far]);
  });
});
