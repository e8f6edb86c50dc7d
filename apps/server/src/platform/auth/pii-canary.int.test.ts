import { randomUUID } from 'node:crypto';
import { CHANNEL_NAMES, PERMISSION_NAMES } from '@backoffice/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { events } from '../../../test/factories/events.ts';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { createStaff, signIn, signedIn } from '../../../test/helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { ingest } from '../../../test/helpers/ingest.ts';

const SECRET = 'pii-canary-webhook-secret';
const tag = randomUUID().slice(0, 8);
/** A customer's personal data, as strings that appear nowhere else: found in a body, they leaked. */
const MARKERS = {
  email: `zqxcanary${tag}@example.test`,
  oldEmail: `zqxcanaryold${tag}@example.test`,
  firstName: `Zqxcanaryfirst${tag}`,
  lastName: `Zqxcanarylast${tag}`,
  ip: '203.0.113.187',
};
const NAME = `${MARKERS.firstName} ${MARKERS.lastName}`;

const leaks = (body: string) =>
  Object.entries(MARKERS)
    .filter(([, marker]) => body.toLowerCase().includes(marker.toLowerCase()))
    .map(([field]) => field);

interface OpenApi {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
}

/**
 * The PII canary: a customer whose email, name and address are unique markers reaches the read model
 * through the webhook (profile, an email change by the User Service, a session, transactions, a dead
 * letter) and the audit trail. Then every GET operation of the OpenAPI document — so a route added
 * later is walked too — every export format and every realtime channel (snapshot and a live event)
 * is read by people without users:read_pii: no marker may appear in any body. An Admin must see every
 * marker somewhere, or the fixtures would not reach the responses and the test could not fail.
 */
describe('personal data without users:read_pii', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  const userId = randomUUID();
  const transactionId = randomUUID();
  const budgetId = randomUUID();
  const [petId, paymentId, signInId] = [randomUUID(), randomUUID(), randomUUID()];
  const ids: Record<string, string> = {};
  const tokens: Record<'everythingButPii' | 'staff' | 'admin', string> = {
    everythingButPii: '',
    staff: '',
    admin: '',
  };

  const customer = { id: userId, name: NAME, created_at: new Date().toISOString() };
  const get = (url: string, token: string) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    database = await createTestDatabase();
    // Both packs run, so every route either brings is walked.
    ({ app } = await buildTestApp(database, {
      INGEST_WEBHOOK_SECRET: SECRET,
      BACKOFFICE_PACKS: 'money-planner,virtual-pet',
    }));
    await app.listen({ port: 0, host: '127.0.0.1' });

    await database.db
      .insertInto('roles')
      .values({ name: 'EverythingButPii', description: 'every permission but personal data' })
      .execute();
    const role = await database.db
      .selectFrom('roles')
      .select('id')
      .where('name', '=', 'EverythingButPii')
      .executeTakeFirstOrThrow();
    await database.db
      .insertInto('role_grants')
      .values(
        PERMISSION_NAMES.filter((p) => p !== 'users:read_pii').map((grant) => ({
          role_id: role.id,
          grant,
        })),
      )
      .execute();
    const person = await createStaff(database.db, { roles: ['EverythingButPii'] });
    tokens.everythingButPii = await signIn(app, person.email);
    tokens.staff = (await signedIn(app, database.db, ['Staff'])).token;
    const admin = await signedIn(app, database.db, ['Admin']);
    tokens.admin = admin.token;

    const emailChange = events.userUpdated(
      { ...customer, email: MARKERS.email },
      { old: { email: MARKERS.oldEmail }, new: { email: MARKERS.email } },
    );
    const session = events.sessionCreated(randomUUID(), userId, new Date().toISOString());
    await ingest(app, SECRET, [
      events.userCreated({ ...customer, email: MARKERS.oldEmail }),
      { ...emailChange, data: { ...emailChange.data, updated_by: randomUUID() } },
      { ...session, data: { ...session.data, ip: MARKERS.ip, user_agent: 'Canary/1.0' } },
      events.transactionCreated({
        id: transactionId,
        user_id: userId,
        amount: '12.50',
        date: new Date().toISOString(),
      }),
      events.budgetCreated({ id: budgetId, user_id: userId }),
      events.petCreated({ id: petId, owner_id: userId }),
      events.payment('succeeded', { id: paymentId, user_id: userId, status: 'SUCCEEDED' }),
      // Keycloak's own JSON (the Virtual Pet pack's sign-in history).
      {
        id: signInId,
        time: Date.now(),
        type: 'LOGIN',
        realmId: 'canary',
        clientId: 'pet-app',
        userId,
        ipAddress: MARKERS.ip,
        details: { username: MARKERS.email },
      },
      // Invalid (no user id): a dead letter that keeps the payload as it came.
      events.userCreated({ email: MARKERS.email, name: NAME } as never),
    ]);
    // A staff action's before/after, nested as a service may store them.
    await app.audit.record(
      database.db,
      {
        actor: { type: 'staff', id: admin.id, email: admin.email },
        ip: MARKERS.ip,
        userAgent: null,
        correlationId: null,
      },
      {
        action: 'users.update',
        resourceType: 'user',
        resourceId: userId,
        before: { profile: { first_name: 'Someone', email: MARKERS.oldEmail } },
        after: { profile: { first_name: MARKERS.firstName, email: MARKERS.email } },
      },
    );

    const auditOfUser = await get(
      `/v1/admin/system/audit-logs?resourceType=user&resourceId=${userId}`,
      tokens.admin,
    );
    const emailChangeEntry = auditOfUser
      .json<{ data: { id: string; action: string }[] }>()
      .data.find((e) => e.action === 'user.updated');
    const deadLetters = await get('/v1/admin/system/dead-letters', tokens.admin);
    const verify = await app.inject({
      method: 'POST',
      url: '/v1/admin/system/audit-logs/verify',
      headers: { authorization: `Bearer ${tokens.admin}` },
    });
    const staffList = await get('/v1/admin/staff', tokens.admin);
    ids.users = userId;
    ids.transactions = transactionId;
    ids.budgets = budgetId;
    ids.pets = petId;
    ids.payments = paymentId;
    ids['sign-ins'] = signInId;
    ids['audit-logs'] = emailChangeEntry?.id ?? 'missing: the email change left no audit entry';
    ids['dead-letters'] = String(deadLetters.json<{ data: { id: number }[] }>().data[0]?.id);
    ids.jobs = verify.json<{ id: string }>().id;
    ids.staff = staffList.json<{ data: { id: string }[] }>().data[0]?.id ?? 'missing';
    ids.roles = role.id;
  }, 60_000);

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  /** Every GET operation of the published OpenAPI document, with its path parameters filled in. */
  async function getOperations(): Promise<string[]> {
    const document = (await app.inject({ method: 'GET', url: '/docs/json' })).json<OpenApi>();
    return Object.entries(document.paths)
      .filter(([, operations]) => operations.get !== undefined)
      .map(([path]) =>
        path.replace(/\{(\w+)\}/g, (_match, _name: string, offset: number) => {
          const collection =
            path
              .slice(0, offset - 1)
              .split('/')
              .at(-1) ?? '';
          const id = ids[collection];
          if (id === undefined) throw new Error(`no fixture id for ${path}: add one to the canary`);
          return encodeURIComponent(id);
        }),
      );
  }

  /** Reads every GET route, both exports and every channel as this person; all bodies, labelled. */
  async function everythingSeenBy(token: string, okStatuses: number[]) {
    const bodies: { label: string; body: string }[] = [];
    const operations = await getOperations();
    expect(operations.length).toBeGreaterThan(25);
    for (const url of operations) {
      if (url === '/v1/admin/ws') continue; // read over a real WebSocket below
      const response = await get(url, token);
      expect(okStatuses, `GET ${url} answered ${response.statusCode}: ${response.body}`).toContain(
        response.statusCode,
      );
      bodies.push({ label: `GET ${url}`, body: response.body });
    }
    for (const format of ['csv', 'ndjson']) {
      const url = `/v1/admin/system/audit-logs/export?format=${format}`;
      const response = await get(url, token);
      expect(okStatuses, `GET ${url}`).toContain(response.statusCode);
      bodies.push({ label: `GET ${url}`, body: response.body });
    }
    for (const message of await realtimeMessages(token))
      bodies.push({ label: `ws ${message.channel ?? ''} ${message.type}`, body: message.raw });
    return bodies;
  }

  /** Subscribes to every channel, waits for each snapshot, then for a live event of the canary. */
  async function realtimeMessages(token: string) {
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/admin/ws`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const messages: { type: string; channel?: string; raw: string }[] = [];
    let wake = () => {};
    socket.on('message', (raw: Buffer) => {
      const text = raw.toString('utf8');
      messages.push({ ...(JSON.parse(text) as { type: string; channel?: string }), raw: text });
      wake();
    });
    const until = async (done: () => boolean, what: string) => {
      const deadline = Date.now() + 20_000;
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`no ${what}; got ${JSON.stringify(messages)}`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 200);
        });
      }
    };
    try {
      await new Promise((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      socket.send(JSON.stringify({ type: 'subscribe', channels: CHANNEL_NAMES }));
      const answered = (channel: string) =>
        messages.some((m) => m.channel === channel && ['snapshot', 'error'].includes(m.type));
      await until(() => CHANNEL_NAMES.every(answered), 'snapshot of every channel');
      const signIn = events.sessionCreated(randomUUID(), userId, new Date().toISOString());
      await ingest(app, SECRET, [
        events.userUpdated({ ...customer, email: MARKERS.email }),
        { ...signIn, data: { ...signIn.data, ip: MARKERS.ip } },
        events.transactionCreated({
          id: randomUUID(),
          user_id: userId,
          amount: '3.20',
          date: new Date().toISOString(),
        }),
      ]);
      const subscribed = (channel: string) =>
        messages.some((m) => m.channel === channel && m.type === 'snapshot');
      await until(
        () =>
          ['users.activity', 'transactions.activity']
            .filter(subscribed)
            .every((channel) => messages.some((m) => m.channel === channel && m.type === 'event')),
        'live event',
      );
      return messages;
    } finally {
      socket.terminate();
    }
  }

  it('shows a person holding every other permission no marker, in any route, export or channel', async () => {
    const bodies = await everythingSeenBy(tokens.everythingButPii, [200]);
    expect(
      bodies.flatMap(({ label, body }) => leaks(body).map((field) => `${label}: ${field}`)),
    ).toEqual([]);
  });

  it('shows the built-in Staff role no marker either', async () => {
    // Staff may not see everything (403), nor someone else's job (404): the walk above calls them all.
    const bodies = await everythingSeenBy(tokens.staff, [200, 403, 404]);
    expect(
      bodies.flatMap(({ label, body }) => leaks(body).map((field) => `${label}: ${field}`)),
    ).toEqual([]);
  });

  it('shows an Admin (users:read_pii) every marker: the fixtures do reach the responses', async () => {
    const bodies = await everythingSeenBy(tokens.admin, [200]);
    const seen = new Set(bodies.flatMap(({ body }) => leaks(body)));
    expect([...seen].sort()).toEqual(Object.keys(MARKERS).sort());
    // The email change shows in the entry's changes, the case that once leaked.
    const detail = bodies.find(({ label }) => label.includes(ids['audit-logs'] ?? '?'));
    expect(detail?.body).toContain(MARKERS.oldEmail);
  });
});
