import { ProblemSchema, type KnownEvent } from '@backoffice/contracts';
import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboxRelay } from '../src/outbox/relay.ts';
import { KafkaPublisher, type KafkaProducerLike } from '../src/transports/kafka.ts';
import { WebhookPublisher } from '../src/transports/webhook.ts';
import { LoginResponse, StateChangeResponse } from '../src/services/users/users.schemas.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { OutboxReader, ofType } from './helpers/events.ts';
import {
  buildTestServices,
  newUser,
  silentLogger,
  TEST_PASSWORD,
  type TestServices,
} from './helpers/services.ts';
import { bearer, serviceToken, STAFF_ID } from './helpers/tokens.ts';
import { waitFor } from './helpers/wait.ts';
import { WebhookReceiver } from './helpers/webhook-receiver.ts';

const MOBILE_APP = 'VirtualPet/2.3 (iPhone; iOS 17.5)';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0';

function expectProblem(response: LightMyRequestResponse, status: number) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  return ProblemSchema.parse(response.json());
}

const keycloakData = (events: readonly KnownEvent[]) =>
  ofType(events, 'keycloak.event').map((e) => e.data);

/** The User Service with the virtual-pet pack: it also reports to the identity provider (Keycloak). */
describe('User Service with the Virtual Pet identity provider', () => {
  let database: TestDatabase;
  let sandbox: TestServices;
  let outbox: OutboxReader;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = await buildTestServices(database.db, { packs: ['virtual-pet'] });
    outbox = new OutboxReader(database.db);
    token = await serviceToken('user-service');
  });
  afterAll(async () => {
    await sandbox.close();
    await database.drop();
  });
  beforeEach(async () => {
    await outbox.newEvents();
  });

  const inject = (options: InjectOptions) => sandbox.apps.users.inject(options);
  const login = (email: string, password = TEST_PASSWORD, userAgent = MOBILE_APP) =>
    inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { 'user-agent': userAgent },
      payload: { email, password },
    });
  const admin = (id: string, action: string, correlationId: string = randomUUID()) =>
    inject({
      method: 'POST',
      url: `/v1/users/${id}/${action}`,
      headers: { ...bearer(token), 'x-correlation-id': correlationId },
      payload: { reason: `${action} for the test` },
    });

  describe('Keycloak events of the User Service’s work (identity.events)', () => {
    it('reports a registration (REGISTER) after user.created, from the app the request came from', async () => {
      const email = `new-${randomUUID()}@example.test`;
      const response = await inject({
        method: 'POST',
        url: '/v1/users',
        headers: { 'user-agent': BROWSER },
        payload: { email, password: 'long-enough', name: 'New Pet Owner' },
      });
      expect(response.statusCode).toBe(201);
      const { id } = response.json<{ id: string }>();
      const events = await outbox.newEvents();
      expect(events.map((e) => e.event_type)).toEqual(['user.created', 'keycloak.event']);
      const [register] = keycloakData(events);
      expect(register).toMatchObject({
        type: 'REGISTER',
        realmId: 'virtual-pet',
        realmName: 'virtual-pet',
        clientId: 'virtual-pet-web',
        userId: id,
        sessionId: null,
        ipAddress: '127.0.0.1',
        details: { username: email, email, auth_method: 'openid-connect', register_method: 'form' },
      });
      // Keycloak 22+ gives each event an id: the consumers de-duplicate by it.
      expect(register?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f-]{27}$/);
      expect(register?.time).toBe(Date.parse(events[0]?.timestamp ?? ''));
    });

    it('reports a sign-in (LOGIN, with the session and its address) and a sign-out (LOGOUT)', async () => {
      const user = await newUser(sandbox.services);
      await outbox.newEvents();
      const { sessionId } = LoginResponse.parse((await login(user.email)).json());
      const signedIn = await outbox.newEvents();
      expect(signedIn.map((e) => e.event_type)).toEqual(['session.created', 'keycloak.event']);
      const [created] = ofType(signedIn, 'session.created');
      expect(keycloakData(signedIn)).toMatchObject([
        {
          type: 'LOGIN',
          userId: user.id,
          sessionId,
          ipAddress: created?.data.ip,
          clientId: 'virtual-pet-mobile',
          details: { username: user.email, code_id: sessionId },
        },
      ]);
      expect(keycloakData(signedIn)[0]?.time).toBe(Date.parse(created?.timestamp ?? ''));

      await inject({ method: 'POST', url: '/v1/auth/logout', headers: bearer(sessionId) });
      const signedOut = await outbox.newEvents();
      expect(signedOut.map((e) => e.event_type)).toEqual(['session.ended', 'keycloak.event']);
      expect(keycloakData(signedOut)).toMatchObject([
        { type: 'LOGOUT', userId: user.id, sessionId, clientId: 'virtual-pet-mobile' },
      ]);
    });

    it('reports failed sign-ins (LOGIN_ERROR): a wrong password, an unknown email', async () => {
      const user = await newUser(sandbox.services);
      await outbox.newEvents();
      expectProblem(await login(user.email, 'wrong-password', BROWSER), 401);
      const unknown = `nobody-${randomUUID()}@example.test`;
      expectProblem(await login(unknown), 401);
      const events = await outbox.newEvents();
      expect(events.map((e) => e.event_type)).toEqual(['keycloak.event', 'keycloak.event']);
      expect(keycloakData(events)).toMatchObject([
        {
          type: 'LOGIN_ERROR',
          error: 'invalid_user_credentials',
          userId: user.id,
          sessionId: null,
          ipAddress: '127.0.0.1',
          clientId: 'virtual-pet-web',
          details: { username: user.email },
        },
        {
          type: 'LOGIN_ERROR',
          error: 'user_not_found',
          userId: null,
          details: { username: unknown },
        },
      ]);
    });

    it('reports a name or email change (UPDATE_PROFILE, before and after), not a role change', async () => {
      const user = await newUser(sandbox.services, 'Old Name');
      await outbox.newEvents();
      const email = `renamed-${randomUUID()}@example.test`;
      await inject({
        method: 'PUT',
        url: `/v1/users/${user.id}`,
        headers: bearer(token),
        payload: { email, name: 'New Name' },
      });
      const events = await outbox.newEvents();
      expect(events.map((e) => e.event_type)).toEqual(['user.updated', 'keycloak.event']);
      expect(keycloakData(events)[0]).toMatchObject({
        type: 'UPDATE_PROFILE',
        userId: user.id,
        details: {
          username: email,
          previous_email: user.email,
          updated_email: email,
          previous_name: 'Old Name',
          updated_name: 'New Name',
        },
      });

      await inject({
        method: 'PUT',
        url: `/v1/users/${user.id}`,
        headers: bearer(token),
        payload: { role: 'Staff' },
      });
      expect((await outbox.newEvents()).map((e) => e.event_type)).toEqual(['user.updated']);
    });

    it('stores Keycloak’s own JSON in the outbox, routed as keycloak.event on identity.events', async () => {
      const user = await newUser(sandbox.services);
      const [row] = await database.db
        .selectFrom('outbox')
        .select([
          'event_id',
          'event_type',
          'topic',
          'entity_key',
          sql<string>`payload::text`.as('json'),
        ])
        .where('event_type', '=', 'keycloak.event')
        .where('entity_key', '=', user.id)
        .execute();
      const message = JSON.parse(row?.json ?? '{}') as Record<string, unknown>;
      expect(message).not.toHaveProperty('event_type');
      expect(message).toMatchObject({ type: 'REGISTER', userId: user.id });
      expect(row).toMatchObject({
        event_id: message.id,
        topic: 'identity.events',
        entity_key: user.id,
      });
    });
  });

  describe('POST /v1/users/{id}/disable and /enable', () => {
    it('disables: user.disabled, sessions ended (forced), Keycloak’s admin event; sign-in refused with 403', async () => {
      const user = await newUser(sandbox.services);
      const { sessionId } = LoginResponse.parse((await login(user.email)).json());
      await outbox.newEvents();

      const response = await admin(user.id, 'disable', 'disable-1');
      expect(response.statusCode).toBe(200);
      expect(StateChangeResponse.parse(response.json())).toMatchObject({
        user: { id: user.id, state: 'Disabled' },
        changed: true,
      });
      const events = await outbox.newEvents();
      expect(events.map((e) => e.event_type)).toEqual([
        'user.disabled',
        'session.ended',
        'keycloak.admin_event',
      ]);
      expect(events[0]).toMatchObject({
        data: { user_id: user.id, disabled_by: STAFF_ID, reason: 'disable for the test' },
        metadata: { source_service: 'user-service', correlation_id: 'disable-1' },
      });
      expect(events[1]).toMatchObject({
        data: { session_id: sessionId, reason: 'forced', ended_by: STAFF_ID },
        metadata: { correlation_id: 'disable-1' },
      });
      const [adminEvent] = ofType(events, 'keycloak.admin_event');
      expect(adminEvent?.data).toMatchObject({
        realmId: 'virtual-pet',
        operationType: 'UPDATE',
        resourceType: 'USER',
        resourcePath: `users/${user.id}`,
        authDetails: { realmId: 'virtual-pet', userId: STAFF_ID, ipAddress: '127.0.0.1' },
      });
      expect(JSON.parse(adminEvent?.data.representation ?? '{}')).toEqual({
        id: user.id,
        username: user.email,
        enabled: false,
      });

      expectProblem(
        await inject({ method: 'GET', url: '/v1/auth/session', headers: bearer(sessionId) }),
        401,
      );
      const refused = expectProblem(await login(user.email), 403);
      expect(refused.detail).toBe('This account is disabled');
      expect(keycloakData(await outbox.newEvents())).toMatchObject([
        { type: 'LOGIN_ERROR', error: 'user_disabled', userId: user.id },
      ]);
    });

    it('is idempotent: disabling a disabled user answers 200, changed false, and emits nothing', async () => {
      const user = await newUser(sandbox.services);
      await admin(user.id, 'disable');
      await outbox.newEvents();
      const again = await admin(user.id, 'disable');
      expect(again.statusCode).toBe(200);
      expect(StateChangeResponse.parse(again.json())).toMatchObject({
        user: { state: 'Disabled' },
        changed: false,
      });
      expect(await outbox.newEvents()).toEqual([]);
    });

    it('enables (user.enabled with enabled_by, admin event enabled true), once; the user signs in again', async () => {
      const user = await newUser(sandbox.services);
      await admin(user.id, 'disable');
      await outbox.newEvents();
      const enabled = StateChangeResponse.parse((await admin(user.id, 'enable')).json());
      expect(enabled).toMatchObject({ user: { state: 'Active' }, changed: true });
      const events = await outbox.newEvents();
      expect(events.map((e) => e.event_type)).toEqual(['user.enabled', 'keycloak.admin_event']);
      expect(events[0]?.data).toEqual({
        user_id: user.id,
        enabled_by: STAFF_ID,
        reason: 'enable for the test',
      });
      const [switched] = ofType(events, 'keycloak.admin_event');
      expect(JSON.parse(switched?.data.representation ?? '{}')).toMatchObject({ enabled: true });

      expect(StateChangeResponse.parse((await admin(user.id, 'enable')).json()).changed).toBe(
        false,
      );
      expect(await outbox.newEvents()).toEqual([]);
      expect((await login(user.email)).statusCode).toBe(200);
    });

    it('keeps a block and a disable apart: one is lifted before the other is put (409)', async () => {
      const [blocked, disabled] = [
        await newUser(sandbox.services),
        await newUser(sandbox.services),
      ];
      await admin(blocked.id, 'block');
      await admin(disabled.id, 'disable');
      await outbox.newEvents();
      expectProblem(await admin(blocked.id, 'disable'), 409);
      expectProblem(await admin(disabled.id, 'block'), 409);
      // Lifting what is not there changes nothing.
      expect(StateChangeResponse.parse((await admin(blocked.id, 'enable')).json())).toMatchObject({
        user: { state: 'Blocked' },
        changed: false,
      });
      expect(StateChangeResponse.parse((await admin(disabled.id, 'unblock')).json())).toMatchObject(
        { user: { state: 'Disabled' }, changed: false },
      );
      expect(await outbox.newEvents()).toEqual([]);
    });

    it('needs a service token, a reason and a known user', async () => {
      const user = await newUser(sandbox.services);
      expectProblem(
        await inject({
          method: 'POST',
          url: `/v1/users/${user.id}/disable`,
          payload: { reason: 'x' },
        }),
        401,
      );
      expectProblem(
        await inject({
          method: 'POST',
          url: `/v1/users/${user.id}/disable`,
          headers: bearer(token),
          payload: { reason: ' ' },
        }),
        400,
      );
      expectProblem(await admin(randomUUID(), 'enable'), 404);
    });
  });

  describe('delivery of Keycloak’s messages', () => {
    it('sends them as they are, beside the envelopes: webhook batches and Kafka (keyed by user)', async () => {
      await sql`TRUNCATE outbox`.execute(database.db);
      const user = await newUser(sandbox.services);
      await login(user.email);
      const receiver = new WebhookReceiver();
      await receiver.start();
      const sent: { topic: string; key: string; value: string; headers: Record<string, string> }[] =
        [];
      const producer: KafkaProducerLike = {
        send(options) {
          sent.push(...options.messages);
          return Promise.resolve({});
        },
        close: () => Promise.resolve(),
      };
      const relays = [
        new WebhookPublisher({ url: receiver.url, secret: receiver.secret, logger: silentLogger }),
        new KafkaPublisher({ brokers: ['unused:9092'], producer }),
      ].map(
        (publisher) =>
          new OutboxRelay({
            db: database.db,
            publisher,
            batchSize: 10,
            logger: silentLogger,
            pollIntervalMs: 20,
          }),
      );
      const [webhook, kafka] = relays as [OutboxRelay, OutboxRelay];
      try {
        webhook.start();
        await waitFor(async () => (await webhook.status()).pending === 0, 'webhook delivery');
        const received = receiver.events as unknown as Record<string, unknown>[];
        expect(received.map((e) => e.event_type ?? e.type)).toEqual([
          'user.created',
          'REGISTER',
          'session.created',
          'LOGIN',
        ]);
        expect(receiver.signatureFailures).toBe(0);

        await sql`UPDATE outbox SET delivered_at = NULL`.execute(database.db);
        kafka.start();
        await waitFor(async () => (await kafka.status()).pending === 0, 'Kafka delivery');
        expect(sent.map((m) => [m.topic, m.key, m.headers['event-type']])).toEqual([
          ['users.events', user.id, 'user.created'],
          ['identity.events', user.id, 'keycloak.event'],
          ['users.events', user.id, 'session.created'],
          ['identity.events', user.id, 'keycloak.event'],
        ]);
        const signIn = JSON.parse(sent[3]?.value ?? '{}') as { id: string; type: string };
        expect(signIn.type).toBe('LOGIN');
        expect(sent[3]?.headers['event-id']).toBe(signIn.id);
      } finally {
        await Promise.all(relays.map((relay) => relay.stop()));
        await receiver.stop();
      }
    });
  });
});

describe('User Service without the Virtual Pet pack', () => {
  let database: TestDatabase;
  let sandbox: TestServices;
  let outbox: OutboxReader;

  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = await buildTestServices(database.db);
    outbox = new OutboxReader(database.db);
  });
  afterAll(async () => {
    await sandbox.close();
    await database.drop();
  });

  it('disables and enables all the same, and reports nothing to an identity provider', async () => {
    const user = await newUser(sandbox.services);
    const context = { correlationId: randomUUID(), actor: STAFF_ID };
    await sandbox.services.users.login(
      { email: user.email, password: TEST_PASSWORD },
      { ip: '198.51.100.7', userAgent: MOBILE_APP },
      context,
    );
    await expect(
      sandbox.services.users.login(
        { email: user.email, password: 'nope' },
        {
          ip: null,
          userAgent: null,
        },
        context,
      ),
    ).rejects.toThrow('Invalid email or password');
    await sandbox.services.users.disable(user.id, 'Closure requested', context);
    await sandbox.services.users.enable(user.id, 'Reopened', context);
    const types = (await outbox.newEvents()).map((e: KnownEvent) => e.event_type);
    expect(types).toEqual([
      'user.created',
      'session.created',
      'user.disabled',
      'session.ended',
      'user.enabled',
    ]);
  });
});
