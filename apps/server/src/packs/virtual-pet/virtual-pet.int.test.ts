import { signWebhook } from '@backoffice/contracts/webhook-signature';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, uuid } from '../../../test/factories/events.ts';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { signedIn } from '../../../test/helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { ingest } from '../../../test/helpers/ingest.ts';
import { featuresFor } from '../index.ts';

const SECRET = 'virtual-pet-webhook-secret-0123456789';

/**
 * Keycloak's own JSON, as its documentation gives `EventRepresentation` and `AdminEventRepresentation`
 * (Server Admin REST API, "Events"; the HTTP event listeners post the same fields): `time` in ms since
 * the epoch, `details` string pairs. The first has no `id` (Keycloak before 22).
 */
const KEYCLOAK_USER = '0b9a6c1e-2f3d-4e5f-8a7b-9c0d1e2f3a4b';
const keycloakLogin = {
  time: 1_767_261_600_000,
  type: 'LOGIN',
  realmId: 'virtual-pet',
  clientId: 'pet-app',
  userId: KEYCLOAK_USER,
  sessionId: '5b6ad3c1-46b5-4e10-9a02-1c4bd4b2e7f1',
  ipAddress: '203.0.113.24',
  details: {
    auth_method: 'openid-connect',
    auth_type: 'code',
    redirect_uri: 'https://pets.example/app',
    consent: 'no_consent_required',
    code_id: '5b6ad3c1-46b5-4e10-9a02-1c4bd4b2e7f1',
    username: 'anna.keycloak@pets.example',
  },
};
const keycloakLoginError = {
  id: 'c4a0b9d2-7e1f-4c3a-9b8d-2f6e5a4c3b21',
  time: 1_767_265_200_000,
  type: 'LOGIN_ERROR',
  realmId: 'virtual-pet',
  clientId: 'pet-app',
  userId: KEYCLOAK_USER,
  ipAddress: '198.51.100.7',
  error: 'invalid_user_credentials',
  details: { auth_method: 'openid-connect', username: 'anna.keycloak@pets.example' },
};
const keycloakAdminEvent = {
  time: 1_767_268_800_000,
  realmId: 'virtual-pet',
  authDetails: {
    realmId: 'master',
    clientId: 'security-admin-console',
    userId: 'a1b2c3d4-0000-4000-8000-000000000001',
    ipAddress: '192.0.2.10',
  },
  operationType: 'UPDATE',
  resourceType: 'USER',
  resourcePath: `users/${KEYCLOAK_USER}`,
  representation: '{"enabled":false}',
};

describe('the Virtual Pet pack (BACKOFFICE_PACKS=virtual-pet)', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let admin: { headers: { authorization: string } };
  let staff: { headers: { authorization: string } };
  const owner = KEYCLOAK_USER;
  const other = uuid();
  const [biscuit, ember, ghost] = [uuid(), uuid(), uuid()];
  const [paid, failed] = [uuid(), uuid()];

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ app } = await buildTestApp(
      database,
      { INGEST_WEBHOOK_SECRET: SECRET, BACKOFFICE_PACKS: 'virtual-pet' },
      { features: featuresFor(['virtual-pet']) },
    ));
    admin = await signedIn(app, database.db, ['Admin']);
    staff = await signedIn(app, database.db, ['Staff']);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const get = (url: string, who = admin) =>
    app.inject({ method: 'GET', url, headers: who.headers });
  const postRaw = (body: unknown) => {
    const raw = JSON.stringify(body);
    return app.inject({
      method: 'POST',
      url: '/v1/ingest/events',
      headers: { 'content-type': 'application/json', ...signWebhook(SECRET, raw) },
      payload: raw,
    });
  };
  type Page = { data: Record<string, unknown>[]; total: number };

  it('projects the Pet Service’s events: newest state wins, a transfer moves the pet, a deletion is final', async () => {
    const outcome = await ingest(app, SECRET, [
      events.userCreated({ id: owner, email: 'anna@pets.example', name: 'Anna Pet' }),
      events.userCreated({ id: other, email: 'ben@pets.example', name: 'Ben Pet' }),
      events.petCreated({ id: biscuit, owner_id: owner, name: 'Biscuit' }, '2026-02-01T10:00:00Z'),
      // Older than the creation's state it would replace: ignored.
      events.petUpdated(
        { id: biscuit, owner_id: owner, name: 'Stale', level: 9 },
        '2026-01-01T10:00:00Z',
      ),
      events.petUpdated(
        { id: biscuit, owner_id: owner, name: 'Biscuit', level: 3, happiness: 95 },
        '2026-02-02T10:00:00Z',
      ),
      events.petCreated(
        { id: ember, owner_id: other, name: 'Ember', species: 'DRAGON' },
        '2026-02-01T11:00:00Z',
      ),
      events.petTransferred(
        { id: ember, owner_id: owner, name: 'Ember', species: 'DRAGON' },
        other,
        '2026-02-03T10:00:00Z',
      ),
      events.petCreated({ id: ghost, owner_id: owner, name: 'Ghost' }, '2026-02-01T12:00:00Z'),
      events.petDeleted(ghost, owner, '2026-02-04T10:00:00Z'),
    ]);
    expect(outcome.rejected).toEqual([]);

    const mine = (await get(`/v1/admin/pets?ownerId=${owner}&sort=name`)).json<Page>();
    expect(mine.data.map((p) => [p.name, p.species, p.level])).toEqual([
      ['Biscuit', 'DOG', 3],
      ['Ember', 'DRAGON', 1],
    ]);
    expect((await get(`/v1/admin/pets/${ghost}`)).statusCode).toBe(404);
    // The deletion is final: a late creation does not bring the pet back.
    await ingest(app, SECRET, [
      events.petUpdated({ id: ghost, owner_id: owner, name: 'Ghost' }, '2026-02-05T10:00:00Z'),
    ]);
    expect((await get(`/v1/admin/pets/${ghost}`)).statusCode).toBe(404);
    const dragons = (await get('/v1/admin/pets?species=dragon')).json<Page>();
    expect(dragons.data.map((p) => p.id)).toEqual([ember]);
  });

  it('projects the Payment Service’s events whatever their arrival order, and filters payments', async () => {
    await ingest(app, SECRET, [
      events.payment(
        'succeeded',
        { id: paid, user_id: owner, status: 'SUCCEEDED', amount: '9.99' },
        '2026-03-01T10:00:05Z',
      ),
      events.payment(
        'initiated',
        { id: paid, user_id: owner, status: 'INITIATED', amount: '9.99' },
        '2026-03-01T10:00:00Z',
      ),
      events.payment(
        'failed',
        {
          id: failed,
          user_id: owner,
          status: 'FAILED',
          method: 'PAYPAL',
          failure_reason: 'card_declined',
        },
        '2026-03-02T10:00:00Z',
      ),
    ]);
    const payment = (await get(`/v1/admin/payments/${paid}`)).json<Record<string, unknown>>();
    expect(payment).toMatchObject({ status: 'SUCCEEDED', amount: '9.99', currency: 'EUR' });
    const failures = (await get(`/v1/admin/payments?status=failed&userId=${owner}`)).json<Page>();
    expect(failures.data.map((p) => [p.id, p.method, p.failureReason])).toEqual([
      [failed, 'PAYPAL', 'card_declined'],
    ]);
    const large = (await get('/v1/admin/payments?amountMin=5')).json<Page>();
    expect(large.data.map((p) => p.id)).toEqual([paid]);
  });

  it('takes Keycloak’s events in Keycloak’s own JSON into the user’s sign-in history', async () => {
    const response = await postRaw([keycloakLogin, keycloakLoginError, keycloakAdminEvent]);
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toMatchObject({ accepted: 3, duplicates: 0, rejected: [] });
    // A listener that posts an event again (one without an id, too) is told it is a duplicate.
    const again = await postRaw(keycloakLogin);
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 1 });

    const history = (await get(`/v1/admin/sign-ins?userId=${owner}`)).json<Page>();
    expect(history.data).toEqual([
      expect.objectContaining({
        type: 'LOGIN_ERROR',
        occurredAt: '2026-01-01T11:00:00.000Z',
        ipAddress: '198.51.100.7',
        error: 'invalid_user_credentials',
        clientId: 'pet-app',
      }),
      expect.objectContaining({
        type: 'LOGIN',
        occurredAt: '2026-01-01T10:00:00.000Z',
        ipAddress: '203.0.113.24',
        username: 'anna.keycloak@pets.example',
        clientId: 'pet-app',
      }),
    ]);
    const logins = (await get(`/v1/admin/sign-ins?type=login`)).json<Page>();
    expect(logins.data.map((e) => e.type)).toEqual(['LOGIN']);

    // The envelope it became: dated by Keycloak's time, from "keycloak", in the event log.
    const log = await database.pool.query<{ event_type: string; occurred: string }>(
      `SELECT envelope->>'event_type' AS event_type, envelope->>'timestamp' AS occurred
         FROM event_log WHERE envelope->'metadata'->>'source_service' = 'keycloak' ORDER BY 2`,
    );
    expect(log.rows).toEqual([
      { event_type: 'keycloak.event', occurred: '2026-01-01T10:00:00.000Z' },
      { event_type: 'keycloak.event', occurred: '2026-01-01T11:00:00.000Z' },
      { event_type: 'keycloak.admin_event', occurred: '2026-01-01T12:00:00.000Z' },
    ]);
  });

  it('refuses a Keycloak event it cannot date, naming why, and goes on with the rest', async () => {
    const { time: _time, ...undated } = keycloakLoginError;
    const response = await postRaw([
      { ...undated, id: uuid() },
      { ...keycloakLogin, time: 1_767_272_400_000 },
    ]);
    expect(response.statusCode).toBe(202);
    const outcome = response.json<{
      accepted: number;
      rejected: { index: number; detail: string }[];
    }>();
    expect(outcome.accepted).toBe(1);
    expect(outcome.rejected.map((r) => r.index)).toEqual([0]);
    expect(outcome.rejected[0]?.detail).toContain('timestamp');
  });

  it('masks personal data of the sign-in history for Staff (IP address, user name)', async () => {
    const response = await get(`/v1/admin/sign-ins?userId=${owner}`, staff);
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('203.0.113.24');
    expect(response.body).not.toContain('anna.keycloak');
    expect(response.json<Page>().data.at(-1)).toMatchObject({
      type: 'LOGIN',
      ipAddress: '***',
      username: 'a***@pets.example',
    });
    // Staff reads pets and payments too (its built-in grants).
    expect((await get('/v1/admin/pets', staff)).statusCode).toBe(200);
    expect((await get('/v1/admin/payments', staff)).statusCode).toBe(200);
  });

  it('adds its figures to the dashboard: disabled accounts, pets, payments, failed payments, failed sign-ins', async () => {
    const metrics = (await get('/v1/admin/dashboard/metrics')).json<{
      tiles: { key: string; label: string; value: number }[];
    }>();
    expect(metrics.tiles).toEqual([
      { key: 'users.disabled', label: 'Disabled accounts', value: 0 },
      { key: 'pets.total', label: 'Pets', value: 2 },
      { key: 'payments.total', label: 'Payments', value: 2 },
      { key: 'payments.failed', label: 'Failed payments', value: 1 },
      { key: 'identity.failed_sign_ins', label: 'Failed sign-ins (Keycloak)', value: 1 },
    ]);
  });

  it('serves only the pack’s resources and routes', async () => {
    const described = (await get('/v1/admin/resources')).json<{ data: { name: string }[] }>();
    expect(described.data.map((r) => r.name).sort()).toEqual(['payments', 'pets', 'sign-ins']);
    expect((await get('/v1/admin/transactions')).statusCode).toBe(404);
    expect((await get('/v1/admin/budgets')).statusCode).toBe(404);
    expect((await get('/v1/admin/users?limit=5')).statusCode).toBe(200);
    // Roles can grant what runs here: no permission of a pack that does not run.
    const catalogue = (await get('/v1/admin/permissions')).json<{ permission: string }[]>();
    const names = catalogue.map((p) => p.permission);
    expect(names).toEqual(expect.arrayContaining(['pets:read', 'payments:read', 'users:read']));
    expect(names).not.toContain('transactions:read');
    expect(names).not.toContain('budgets:read');
  });
});
