import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events } from '../../../test/factories/events.ts';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { signedIn } from '../../../test/helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { ingest } from '../../../test/helpers/ingest.ts';

const SECRET = 'reveal-test-webhook-secret';

interface UserView {
  id: string;
  email: string;
  name: string | null;
  piiRevealedUntil: string | null;
  recentAudit: { action: string; before: unknown; after: unknown }[];
}
interface AuditEntry {
  id: string;
  action: string;
  reason: string | null;
  actor: { id: string | null };
  resource: { type: string; id: string | null };
}

/** Staff without users:read_pii reveal one user's personal data, for a while, with a reason. */
describe('POST /v1/admin/users/:id/reveal', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let staff: Awaited<ReturnType<typeof signedIn>>;
  let colleague: Awaited<ReturnType<typeof signedIn>>;
  let admin: Awaited<ReturnType<typeof signedIn>>;
  const revealed = { id: randomUUID(), email: 'jane.kowalski@example.test', name: 'Jane Kowalski' };
  const other = { id: randomUUID(), email: 'john.kerr@example.test', name: 'John Kerr' };

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ app } = await buildTestApp(database, {
      INGEST_WEBHOOK_SECRET: SECRET,
      PII_REVEAL_MINUTES: '10',
    }));
    staff = await signedIn(app, database.db, ['Staff']);
    colleague = await signedIn(app, database.db, ['Staff']);
    admin = await signedIn(app, database.db, ['Admin']);
    const emailChange = events.userUpdated(revealed, {
      old: { email: 'jane.old@example.test' },
      new: { email: revealed.email },
    });
    await ingest(app, SECRET, [
      events.userCreated(revealed),
      events.userCreated(other),
      { ...emailChange, data: { ...emailChange.data, updated_by: randomUUID() } },
    ]);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const get = async <T>(url: string, person: { headers: Record<string, string> }) => {
    const response = await app.inject({ method: 'GET', url, headers: person.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<T>();
  };
  const reveal = (id: string, reason: string, person = staff) =>
    app.inject({
      method: 'POST',
      url: `/v1/admin/users/${id}/reveal`,
      headers: person.headers,
      payload: { reason },
    });

  it('refuses a justification shorter than 10 characters, and a role without the permission', async () => {
    expect((await reveal(revealed.id, 'because')).statusCode).toBe(400);
    await database.db
      .insertInto('roles')
      .values({ name: 'ReadOnly', description: 'reads users' })
      .execute();
    const role = await database.db
      .selectFrom('roles')
      .select('id')
      .where('name', '=', 'ReadOnly')
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('role_grants')
      .values({ role_id: role.id, grant: 'users:read' })
      .execute();
    const reader = await signedIn(app, database.db, ['ReadOnly']);
    const refused = await reveal(revealed.id, 'Customer called about a refund', reader);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ permission: 'users:reveal_pii' });
    expect((await reveal(randomUUID(), 'Customer called about a refund')).statusCode).toBe(404);
  });

  it('shows that user unmasked to that person only, until the reveal ends, and audits it', async () => {
    const before = await get<UserView>(`/v1/admin/users/${revealed.id}`, staff);
    expect(before.email).toBe('j***@example.test');
    expect(before.piiRevealedUntil).toBeNull();

    const started = Date.now();
    const response = await reveal(revealed.id, 'Customer called about a refund, ticket 4711');
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json<{ user: UserView; revealedUntil: string }>();
    expect(result.user).toMatchObject({ email: revealed.email, name: revealed.name });
    const until = Date.parse(result.revealedUntil);
    expect(until).toBeGreaterThanOrEqual(started + 10 * 60_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 10 * 60_000);

    const detail = await get<UserView>(`/v1/admin/users/${revealed.id}`, staff);
    expect(detail).toMatchObject({ email: revealed.email, name: revealed.name });
    expect(detail.piiRevealedUntil).toBe(result.revealedUntil);
    expect(JSON.stringify(detail.recentAudit)).toContain('jane.old@example.test');
    // Everyone else stays masked: the other user for this person, this user for a colleague.
    expect((await get<UserView>(`/v1/admin/users/${other.id}`, staff)).email).toBe(
      'j***@example.test',
    );
    expect((await get<UserView>(`/v1/admin/users/${revealed.id}`, colleague)).email).toBe(
      'j***@example.test',
    );
    const list = await get<{ data: UserView[] }>('/v1/admin/users', staff);
    expect(list.data.find((u) => u.id === revealed.id)?.email).toBe(revealed.email);
    expect(list.data.find((u) => u.id === other.id)?.email).toBe('j***@example.test');

    // The user's audit tab: the reveal, with its reason; and the email change's diff, unmasked.
    const { data: audit } = await get<{ data: AuditEntry[] }>(
      `/v1/admin/system/audit-logs?resourceType=user&resourceId=${revealed.id}`,
      staff,
    );
    expect(audit[0]).toMatchObject({
      action: 'users.pii_revealed',
      reason: 'Customer called about a refund, ticket 4711',
      actor: { id: staff.id },
      resource: { type: 'user', id: revealed.id },
    });
    const change = audit.find((e) => e.action === 'user.updated');
    const changeDetail = await get<{ changes: unknown[] }>(
      `/v1/admin/system/audit-logs/${change?.id ?? ''}`,
      staff,
    );
    expect(changeDetail.changes).toContainEqual({
      path: '/email',
      before: 'jane.old@example.test',
      after: revealed.email,
    });
    const colleagueView = await get<{ changes: unknown[] }>(
      `/v1/admin/system/audit-logs/${change?.id ?? ''}`,
      colleague,
    );
    expect(colleagueView.changes).toContainEqual({
      path: '/email',
      before: 'j***@example.test',
      after: 'j***@example.test',
    });

    // Once the reveal has ended, the user is masked again.
    await database.db
      .updateTable('pii_reveals')
      .set({ expires_at: new Date(Date.now() - 1_000) })
      .where('staff_id', '=', staff.id)
      .execute();
    // Changed in SQL, as another instance would: seen once the change is announced (milliseconds).
    let ended = await get<UserView>(`/v1/admin/users/${revealed.id}`, staff);
    for (const deadline = Date.now() + 20_000; ended.email !== 'j***@example.test';) {
      if (Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
      ended = await get<UserView>(`/v1/admin/users/${revealed.id}`, staff);
    }
    expect(ended.email).toBe('j***@example.test');
    expect(ended.piiRevealedUntil).toBeNull();
  });

  it('is in the Admin’s view of the audit trail too', async () => {
    const { data } = await get<{ data: AuditEntry[] }>(
      '/v1/admin/system/audit-logs?action=users.pii_revealed',
      admin,
    );
    expect(data.map((e) => e.resource.id)).toContain(revealed.id);
  });
});
