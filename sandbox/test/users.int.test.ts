import { ProblemSchema, UserSchema } from '@backoffice/contracts';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signServiceToken } from '@backoffice/contracts/service-token';
import { pageSchema } from '../src/platform/schemas.ts';
import {
  ForceLogoutResponse,
  LoginResponse,
  SessionResourceSchema,
  SessionUserResponse,
  StateChangeResponse,
  UserResourceSchema,
} from '../src/services/users/users.schemas.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { OutboxReader, ofType } from './helpers/events.ts';
import {
  buildTestServices,
  newUser,
  TEST_PASSWORD,
  type TestServices,
} from './helpers/services.ts';
import { bearer, expiredServiceToken, serviceToken, STAFF_ID } from './helpers/tokens.ts';

describe('User Service', () => {
  let database: TestDatabase;
  let sandbox: TestServices;
  let outbox: OutboxReader;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = await buildTestServices(database.db);
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

  async function login(email: string, password = TEST_PASSWORD, correlationId?: string) {
    return inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email, password },
      headers: correlationId === undefined ? {} : { 'x-correlation-id': correlationId },
    });
  }

  function expectProblem(response: LightMyRequestResponse, status: number) {
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = ProblemSchema.parse(response.json());
    expect(problem.status).toBe(status);
    return problem;
  }

  describe('POST /v1/users (sign-up)', () => {
    it('creates an active customer and emits user.created with the caller’s correlation id', async () => {
      const response = await inject({
        method: 'POST',
        url: '/v1/users',
        headers: { 'x-correlation-id': 'signup-1' },
        payload: { email: 'New.Person@Example.test', password: 'long-enough', name: 'New Person' },
      });
      expect(response.statusCode).toBe(201);
      const user = UserResourceSchema.parse(response.json());
      expect(user).toMatchObject({
        email: 'new.person@example.test',
        role: 'Customer',
        state: 'Active',
      });
      expect(UserSchema.safeParse(user).success).toBe(true);

      const [created, ...others] = await outbox.newEvents();
      expect(others).toEqual([]);
      expect(created).toMatchObject({
        event_type: 'user.created',
        version: '1.0',
        data: { user },
        metadata: { source_service: 'user-service', correlation_id: 'signup-1' },
      });
    });

    it('refuses an email already in use with 409, and invalid input with 400 per field', async () => {
      const user = await newUser(sandbox.services);
      expectProblem(
        await inject({
          method: 'POST',
          url: '/v1/users',
          payload: { email: user.email, password: 'long-enough' },
        }),
        409,
      );
      const invalid = expectProblem(
        await inject({
          method: 'POST',
          url: '/v1/users',
          payload: { email: 'nope', password: 'short' },
        }),
        400,
      );
      expect(invalid.errors?.map((e) => e.pointer)).toEqual(['/email', '/password']);
    });
  });

  describe('POST /v1/auth/login, GET /v1/auth/session, POST /v1/auth/logout', () => {
    it('signs in, answers the session’s user, and emits session.created', async () => {
      const user = await newUser(sandbox.services);
      await outbox.newEvents();
      const response = await login(user.email, TEST_PASSWORD, 'login-1');
      expect(response.statusCode).toBe(200);
      const { sessionId, userId } = LoginResponse.parse(response.json());
      expect(userId).toBe(user.id);

      const session = await inject({
        method: 'GET',
        url: '/v1/auth/session',
        headers: bearer(sessionId),
      });
      expect(session.statusCode).toBe(200);
      expect(SessionUserResponse.parse(session.json())).toMatchObject({
        id: user.id,
        email: user.email,
        role: 'Customer',
        state: 'Active',
        sessionId,
      });

      const [created] = ofType(await outbox.newEvents(), 'session.created');
      expect(created?.data).toMatchObject({
        session_id: sessionId,
        user_id: user.id,
        ip: '127.0.0.1',
      });
      expect(created?.metadata.correlation_id).toBe('login-1');
    });

    it('answers 401 to a wrong password or an unknown email, and emits nothing', async () => {
      const user = await newUser(sandbox.services);
      await outbox.newEvents();
      expectProblem(await login(user.email, 'wrong-password'), 401);
      expectProblem(await login('nobody@example.test'), 401);
      expect(await outbox.newEvents()).toEqual([]);
    });

    it('ends the session on logout (session.ended, reason logout); the session then answers 401', async () => {
      const user = await newUser(sandbox.services);
      const { sessionId } = LoginResponse.parse((await login(user.email)).json());
      await outbox.newEvents();
      const logout = await inject({
        method: 'POST',
        url: '/v1/auth/logout',
        headers: bearer(sessionId),
      });
      expect(logout.statusCode).toBe(204);
      const [ended] = ofType(await outbox.newEvents(), 'session.ended');
      expect(ended?.data).toMatchObject({
        session_id: sessionId,
        user_id: user.id,
        reason: 'logout',
      });

      expectProblem(
        await inject({ method: 'GET', url: '/v1/auth/session', headers: bearer(sessionId) }),
        401,
      );
      expectProblem(
        await inject({ method: 'POST', url: '/v1/auth/logout', headers: bearer(sessionId) }),
        401,
      );
    });

    it('answers 401 for a missing or unknown session', async () => {
      expectProblem(await inject({ method: 'GET', url: '/v1/auth/session' }), 401);
      expectProblem(
        await inject({ method: 'GET', url: '/v1/auth/session', headers: bearer(randomUUID()) }),
        401,
      );
    });

    it('lets sessions expire: 401 at once, and the sweep emits session.ended with reason expired', async () => {
      const shortLived = await buildTestServices(database.db, { sessionTtlMs: 50 });
      try {
        const user = await newUser(shortLived.services);
        const response = await shortLived.apps.users.inject({
          method: 'POST',
          url: '/v1/auth/login',
          payload: { email: user.email, password: TEST_PASSWORD },
        });
        const { sessionId } = LoginResponse.parse(response.json());
        await outbox.newEvents();
        await new Promise((resolve) => setTimeout(resolve, 80));
        expectProblem(
          await shortLived.apps.users.inject({
            method: 'GET',
            url: '/v1/auth/session',
            headers: bearer(sessionId),
          }),
          401,
        );
        expect(
          await shortLived.services.users.expireSessions({ correlationId: 'sweep-1' }),
        ).toBeGreaterThanOrEqual(1);
        const ended = ofType(await outbox.newEvents(), 'session.ended').find(
          (e) => e.data.session_id === sessionId,
        );
        expect(ended?.data.reason).toBe('expired');
        expect(ended?.metadata.correlation_id).toBe('sweep-1');
        expect(await shortLived.services.users.expireSessions({ correlationId: 'sweep-2' })).toBe(
          0,
        );
      } finally {
        await shortLived.close();
      }
    });
  });

  describe('service tokens on the admin endpoints', () => {
    const url = '/v1/users';

    it('answers 401 without a token', async () => {
      expectProblem(await inject({ method: 'GET', url }), 401);
    });

    it('answers 401 to a token for another service (audience)', async () => {
      const other = await serviceToken('transaction-service');
      const problem = expectProblem(
        await inject({ method: 'GET', url, headers: bearer(other) }),
        401,
      );
      expect(problem.detail).toContain('aud');
    });

    it('answers 401 to an expired token', async () => {
      const expired = await expiredServiceToken('user-service');
      const problem = expectProblem(
        await inject({ method: 'GET', url, headers: bearer(expired) }),
        401,
      );
      expect(problem.detail).toContain('exp');
    });

    it('answers 401 to a token signed with another secret', async () => {
      const forged = await serviceToken('user-service', { secret: 'not-the-shared-secret-at-all' });
      expectProblem(await inject({ method: 'GET', url, headers: bearer(forged) }), 401);
    });

    it('accepts Ed25519 tokens when configured with the public key', async () => {
      const { publicKey, privateKey } = generateKeyPairSync('ed25519');
      const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
      const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const ed = await buildTestServices(database.db, {
        tokenKey: { kind: 'ed25519', publicKeyPem },
      });
      try {
        const signed = await signServiceToken(
          { kind: 'ed25519', privateKeyPem },
          { audience: 'user-service', subject: STAFF_ID },
        );
        expect(
          (await ed.apps.users.inject({ method: 'GET', url, headers: bearer(signed) })).statusCode,
        ).toBe(200);
        expect(
          (await ed.apps.users.inject({ method: 'GET', url, headers: bearer(token) })).statusCode,
        ).toBe(401);
      } finally {
        await ed.close();
      }
    });
  });

  describe('GET /v1/users and GET /v1/users/{id}', () => {
    it('lists newest first with paging, filters by email and searches email, name and id', async () => {
      const marker = randomUUID().slice(0, 8);
      const ada = await newUser(sandbox.services, `Ada ${marker}`);
      const bob = await newUser(sandbox.services, `Bob ${marker}`);

      const list = async (query: string) => {
        const response = await inject({
          method: 'GET',
          url: `/v1/users?${query}`,
          headers: bearer(token),
        });
        expect(response.statusCode).toBe(200);
        return pageSchema(UserResourceSchema).parse(response.json());
      };
      const page = await list(`search=${marker.toUpperCase()}&limit=1`);
      expect(page).toMatchObject({ page: 1, limit: 1, total: 2 });
      expect(page.data.map((u) => u.id)).toEqual([bob.id]);
      expect((await list(`search=${marker}&limit=1&page=2`)).data.map((u) => u.id)).toEqual([
        ada.id,
      ]);
      expect((await list(`email=${ada.email.toUpperCase()}`)).data.map((u) => u.id)).toEqual([
        ada.id,
      ]);
      expect((await list(`search=${ada.id.slice(0, 13)}`)).data.map((u) => u.id)).toEqual([ada.id]);
      expect((await list(`search=${encodeURIComponent('%')}`)).total).toBe(0);
    });

    it('rejects a limit over 100 with 400', async () => {
      expectProblem(
        await inject({ method: 'GET', url: '/v1/users?limit=101', headers: bearer(token) }),
        400,
      );
    });

    it('answers a user, 404 for an unknown id and 400 for a malformed one', async () => {
      const user = await newUser(sandbox.services);
      const response = await inject({
        method: 'GET',
        url: `/v1/users/${user.id}`,
        headers: bearer(token),
      });
      expect(UserResourceSchema.parse(response.json())).toEqual(user);
      expectProblem(
        await inject({ method: 'GET', url: `/v1/users/${randomUUID()}`, headers: bearer(token) }),
        404,
      );
      expectProblem(
        await inject({ method: 'GET', url: '/v1/users/not-a-uuid', headers: bearer(token) }),
        400,
      );
    });
  });

  describe('PUT /v1/users/{id}', () => {
    it('changes the given fields and emits user.updated with old and new values and updated_by', async () => {
      const user = await newUser(sandbox.services, 'Before Name');
      await outbox.newEvents();
      const response = await inject({
        method: 'PUT',
        url: `/v1/users/${user.id}`,
        headers: { ...bearer(token), 'x-correlation-id': 'edit-1' },
        payload: { name: 'After Name', role: 'Staff' },
      });
      expect(response.statusCode).toBe(200);
      expect(UserResourceSchema.parse(response.json())).toMatchObject({
        name: 'After Name',
        role: 'Staff',
      });
      const [updated, ...others] = await outbox.newEvents();
      expect(others).toEqual([]);
      expect(updated).toMatchObject({
        event_type: 'user.updated',
        data: {
          user: { id: user.id, name: 'After Name', role: 'Staff' },
          old_values: { name: 'Before Name', role: 'Customer' },
          new_values: { name: 'After Name', role: 'Staff' },
          updated_by: STAFF_ID,
        },
        metadata: { correlation_id: 'edit-1' },
      });
    });

    it('changes and emits nothing when the values are already those', async () => {
      const user = await newUser(sandbox.services, 'Same Name');
      await outbox.newEvents();
      const response = await inject({
        method: 'PUT',
        url: `/v1/users/${user.id}`,
        headers: bearer(token),
        payload: { name: 'Same Name' },
      });
      expect(response.statusCode).toBe(200);
      expect(await outbox.newEvents()).toEqual([]);
    });

    it('answers 409 for an email in use, 400 for an empty body, 404 for an unknown user', async () => {
      const [a, b] = [await newUser(sandbox.services), await newUser(sandbox.services)];
      const put = (id: string, payload: object) =>
        inject({ method: 'PUT', url: `/v1/users/${id}`, headers: bearer(token), payload });
      expectProblem(await put(a.id, { email: b.email }), 409);
      expectProblem(await put(a.id, {}), 400);
      expectProblem(await put(randomUUID(), { name: 'x' }), 404);
    });
  });

  describe('POST /v1/users/{id}/block and /unblock', () => {
    it('blocks (user.blocked with blocked_by and reason), ends active sessions (forced) and refuses login with 403', async () => {
      const user = await newUser(sandbox.services);
      const { sessionId } = LoginResponse.parse((await login(user.email)).json());
      await outbox.newEvents();

      const response = await inject({
        method: 'POST',
        url: `/v1/users/${user.id}/block`,
        headers: { ...bearer(token), 'x-correlation-id': 'block-1' },
        payload: { reason: 'Chargeback fraud' },
      });
      expect(response.statusCode).toBe(200);
      expect(StateChangeResponse.parse(response.json())).toMatchObject({
        user: { id: user.id, state: 'Blocked' },
        changed: true,
      });
      const events = await outbox.newEvents();
      expect(events.map((e) => e.event_type)).toEqual(['user.blocked', 'session.ended']);
      expect(events[0]?.data).toEqual({
        user_id: user.id,
        blocked_by: STAFF_ID,
        reason: 'Chargeback fraud',
      });
      expect(events[1]?.data).toMatchObject({
        session_id: sessionId,
        reason: 'forced',
        ended_by: STAFF_ID,
      });
      expect(events.every((e) => e.metadata.correlation_id === 'block-1')).toBe(true);

      expectProblem(
        await inject({ method: 'GET', url: '/v1/auth/session', headers: bearer(sessionId) }),
        401,
      );
      expectProblem(await login(user.email), 403);
    });

    it('is idempotent: blocking a blocked user answers 200, changed false, and emits nothing', async () => {
      const user = await newUser(sandbox.services);
      const block = () =>
        inject({
          method: 'POST',
          url: `/v1/users/${user.id}/block`,
          headers: bearer(token),
          payload: { reason: 'Spam' },
        });
      await block();
      await outbox.newEvents();
      const again = await block();
      expect(again.statusCode).toBe(200);
      expect(StateChangeResponse.parse(again.json())).toMatchObject({
        user: { state: 'Blocked' },
        changed: false,
      });
      expect(await outbox.newEvents()).toEqual([]);
    });

    it('unblocks (user.unblocked with unblocked_by), once; the user can sign in again', async () => {
      const user = await newUser(sandbox.services);
      const call = (action: string) =>
        inject({
          method: 'POST',
          url: `/v1/users/${user.id}/${action}`,
          headers: bearer(token),
          payload: { reason: 'Resolved' },
        });
      await call('block');
      await outbox.newEvents();
      expect(StateChangeResponse.parse((await call('unblock')).json()).changed).toBe(true);
      const [unblocked] = await outbox.newEvents();
      expect(unblocked).toMatchObject({
        event_type: 'user.unblocked',
        data: { user_id: user.id, unblocked_by: STAFF_ID, reason: 'Resolved' },
      });
      expect(StateChangeResponse.parse((await call('unblock')).json()).changed).toBe(false);
      expect(await outbox.newEvents()).toEqual([]);
      expect((await login(user.email)).statusCode).toBe(200);
    });

    it('records a system actor (a sub that is not a staff id) as blocked_by null', async () => {
      const user = await newUser(sandbox.services);
      const system = await serviceToken('user-service', { subject: 'backoffice' });
      await outbox.newEvents();
      await inject({
        method: 'POST',
        url: `/v1/users/${user.id}/block`,
        headers: bearer(system),
        payload: { reason: 'Policy' },
      });
      const [blocked] = ofType(await outbox.newEvents(), 'user.blocked');
      expect(blocked?.data.blocked_by).toBeNull();
    });

    it('requires a reason (400) and a known user (404)', async () => {
      const user = await newUser(sandbox.services);
      expectProblem(
        await inject({
          method: 'POST',
          url: `/v1/users/${user.id}/block`,
          headers: bearer(token),
          payload: {},
        }),
        400,
      );
      expectProblem(
        await inject({
          method: 'POST',
          url: `/v1/users/${randomUUID()}/block`,
          headers: bearer(token),
          payload: { reason: 'x' },
        }),
        404,
      );
    });
  });

  describe('GET and DELETE /v1/users/{id}/sessions', () => {
    it('lists active sessions (all of them with ?all=true) and force-logs-out with session.ended reason forced', async () => {
      const user = await newUser(sandbox.services);
      const first = LoginResponse.parse((await login(user.email)).json()).sessionId;
      const second = LoginResponse.parse((await login(user.email)).json()).sessionId;
      await inject({ method: 'POST', url: '/v1/auth/logout', headers: bearer(first) });
      const third = LoginResponse.parse((await login(user.email)).json()).sessionId;
      await outbox.newEvents();

      const sessions = async (query = '') => {
        const response = await inject({
          method: 'GET',
          url: `/v1/users/${user.id}/sessions${query}`,
          headers: bearer(token),
        });
        expect(response.statusCode).toBe(200);
        return pageSchema(SessionResourceSchema).parse(response.json());
      };
      const active = await sessions();
      expect(active.data.map((s) => s.session_id).sort()).toEqual([second, third].sort());
      expect(active.data.every((s) => s.active)).toBe(true);
      const all = await sessions('?all=true');
      expect(all.total).toBe(3);
      expect(all.data.find((s) => s.session_id === first)).toMatchObject({
        active: false,
        end_reason: 'logout',
      });

      const forced = await inject({
        method: 'DELETE',
        url: `/v1/users/${user.id}/sessions`,
        headers: bearer(token),
      });
      expect(ForceLogoutResponse.parse(forced.json())).toEqual({ ended: 2 });
      const ended = ofType(await outbox.newEvents(), 'session.ended');
      expect(ended.map((e) => e.data.session_id).sort()).toEqual([second, third].sort());
      expect(ended.every((e) => e.data.reason === 'forced' && e.data.ended_by === STAFF_ID)).toBe(
        true,
      );
      expect((await sessions()).total).toBe(0);

      expect(
        ForceLogoutResponse.parse(
          (
            await inject({
              method: 'DELETE',
              url: `/v1/users/${user.id}/sessions`,
              headers: bearer(token),
            })
          ).json(),
        ),
      ).toEqual({ ended: 0 });
      expectProblem(
        await inject({
          method: 'GET',
          url: `/v1/users/${randomUUID()}/sessions`,
          headers: bearer(token),
        }),
        404,
      );
    });
  });

  it('answers GET /health with the service name, and unknown routes with a 404 problem', async () => {
    const health = await inject({ method: 'GET', url: '/health' });
    expect(health.json()).toEqual({ status: 'ok', service: 'user-service' });
    expectProblem(await inject({ method: 'GET', url: '/v1/nothing-here' }), 404);
  });
});
