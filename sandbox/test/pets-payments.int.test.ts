import { PaymentSchema, PetSchema, ProblemSchema } from '@backoffice/contracts';
import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Settlement } from '../src/domain/virtual-pet.ts';
import { cursorPageSchema } from '../src/platform/schemas.ts';
import {
  PaymentResourceSchema,
  RefundResponse,
  type PaymentResource,
} from '../src/services/payments/payments.schemas.ts';
import { PetResourceSchema, type PetResource } from '../src/services/pets/pets.schemas.ts';
import { createTestDatabase, type TestDatabase } from './helpers/database.ts';
import { OutboxReader } from './helpers/events.ts';
import { buildTestServices, newUser, type TestServices } from './helpers/services.ts';
import { bearer, serviceToken } from './helpers/tokens.ts';

function expectProblem(response: LightMyRequestResponse, status: number) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  return ProblemSchema.parse(response.json());
}

describe('Pet Service', () => {
  let database: TestDatabase;
  let sandbox: TestServices;
  let outbox: OutboxReader;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = await buildTestServices(database.db, { packs: ['virtual-pet'] });
    outbox = new OutboxReader(database.db);
    token = await serviceToken('pet-service');
  });
  afterAll(async () => {
    await sandbox.close();
    await database.drop();
  });
  beforeEach(async () => {
    await outbox.newEvents();
  });

  const inject = (options: InjectOptions) =>
    sandbox.apps.pets.inject({ ...options, headers: { ...bearer(token), ...options.headers } });

  async function createPet(
    payload: object,
    correlationId: string = randomUUID(),
  ): Promise<PetResource> {
    const response = await inject({
      method: 'POST',
      url: '/v1/pets',
      headers: { 'x-correlation-id': correlationId },
      payload,
    });
    expect(response.statusCode).toBe(201);
    return PetResourceSchema.parse(response.json());
  }

  describe('POST /v1/pets', () => {
    it('creates a pet at level 1 in full health and emits pet.created with it', async () => {
      const owner = await newUser(sandbox.services);
      await outbox.newEvents();
      const pet = await createPet({ owner_id: owner.id, name: 'Biscuit', species: 'DOG' }, 'pet-1');
      expect(pet).toMatchObject({
        owner_id: owner.id,
        name: 'Biscuit',
        species: 'DOG',
        level: 1,
        health: 100,
        happiness: 100,
        status: 'ACTIVE',
        adopted_at: null,
      });
      const [created, ...others] = await outbox.newEvents();
      expect(others).toEqual([]);
      expect(created).toMatchObject({
        event_type: 'pet.created',
        data: { pet },
        metadata: { source_service: 'pet-service', correlation_id: 'pet-1' },
      });
      expect(PetSchema.safeParse(pet).success).toBe(true);
    });

    it('adopts a pet from the shelter: status ADOPTED, adopted_at, pet.adopted', async () => {
      const owner = await newUser(sandbox.services);
      await outbox.newEvents();
      const pet = await createPet({
        owner_id: owner.id,
        name: 'Ember',
        species: 'DRAGON',
        adopted: true,
        level: 4,
      });
      expect(pet).toMatchObject({ status: 'ADOPTED', level: 4, adopted_at: pet.created_at });
      const events = await outbox.newEvents();
      expect(events.map((e) => e.event_type)).toEqual(['pet.adopted']);
      expect(events[0]?.data).toEqual({ pet });
    });

    it('refuses an unknown owner and invalid stats with 400, and emits nothing', async () => {
      const unknown = expectProblem(
        await inject({
          method: 'POST',
          url: '/v1/pets',
          payload: { owner_id: randomUUID(), name: 'Ghost', species: 'CAT' },
        }),
        400,
      );
      expect(unknown.detail).toMatch(/^No user /);
      const invalid = expectProblem(
        await inject({
          method: 'POST',
          url: '/v1/pets',
          payload: { owner_id: randomUUID(), name: '', species: 'UNICORN', level: 0 },
        }),
        400,
      );
      expect(invalid.errors?.map((e) => e.pointer)).toEqual(['/name', '/species', '/level']);
      expect(await outbox.newEvents()).toEqual([]);
    });

    it('needs a Pet Service token', async () => {
      const other = await serviceToken('payment-service');
      expectProblem(
        await sandbox.apps.pets.inject({ method: 'GET', url: '/v1/pets', headers: bearer(other) }),
        401,
      );
    });
  });

  describe('PATCH /v1/pets/{id}', () => {
    it('changes stats and name; pet.updated says the old values of what changed', async () => {
      const owner = await newUser(sandbox.services);
      const pet = await createPet({ owner_id: owner.id, name: 'Mochi', species: 'CAT' });
      await outbox.newEvents();
      const response = await inject({
        method: 'PATCH',
        url: `/v1/pets/${pet.id}`,
        payload: { level: 2, health: 80, happiness: 100, name: 'Mochi' },
      });
      expect(response.statusCode).toBe(200);
      const updated = PetResourceSchema.parse(response.json());
      expect(updated).toMatchObject({ level: 2, health: 80, happiness: 100, name: 'Mochi' });
      const [event, ...others] = await outbox.newEvents();
      expect(others).toEqual([]);
      expect(event).toMatchObject({
        event_type: 'pet.updated',
        data: { pet: updated, old_values: { level: 1, health: 100 } },
      });
      expect(Object.keys((event?.data as { old_values: object }).old_values).sort()).toEqual([
        'health',
        'level',
      ]);
    });

    it('changes and emits nothing when the values are already those; 400 out of range', async () => {
      const owner = await newUser(sandbox.services);
      const pet = await createPet({ owner_id: owner.id, name: 'Tofu', species: 'BUNNY' });
      await outbox.newEvents();
      const same = await inject({
        method: 'PATCH',
        url: `/v1/pets/${pet.id}`,
        payload: { health: 100 },
      });
      expect(same.statusCode).toBe(200);
      expect(await outbox.newEvents()).toEqual([]);
      expectProblem(
        await inject({ method: 'PATCH', url: `/v1/pets/${pet.id}`, payload: { happiness: 101 } }),
        400,
      );
      expectProblem(await inject({ method: 'PATCH', url: `/v1/pets/${pet.id}`, payload: {} }), 400);
      expectProblem(
        await inject({ method: 'PATCH', url: `/v1/pets/${randomUUID()}`, payload: { level: 3 } }),
        404,
      );
    });
  });

  describe('POST /v1/pets/{id}/transfer', () => {
    it('gives the pet to another user: pet.transferred with the previous owner', async () => {
      const [from, to] = [await newUser(sandbox.services), await newUser(sandbox.services)];
      const pet = await createPet({ owner_id: from.id, name: 'Pickle', species: 'FOX' });
      await outbox.newEvents();
      const response = await inject({
        method: 'POST',
        url: `/v1/pets/${pet.id}/transfer`,
        payload: { to_owner_id: to.id },
      });
      expect(response.statusCode).toBe(200);
      const moved = PetResourceSchema.parse(response.json());
      expect(moved.owner_id).toBe(to.id);
      const events = await outbox.newEvents();
      expect(events).toMatchObject([
        { event_type: 'pet.transferred', data: { pet: moved, from_owner_id: from.id } },
      ]);
    });

    it('answers 409 to its own owner, 400 to an unknown user, and changes nothing', async () => {
      const owner = await newUser(sandbox.services);
      const pet = await createPet({ owner_id: owner.id, name: 'Luna', species: 'OWL' });
      await outbox.newEvents();
      const transfer = (to: string) =>
        inject({
          method: 'POST',
          url: `/v1/pets/${pet.id}/transfer`,
          payload: { to_owner_id: to },
        });
      expectProblem(await transfer(owner.id), 409);
      expectProblem(await transfer(randomUUID()), 400);
      expect(await outbox.newEvents()).toEqual([]);
    });
  });

  describe('DELETE /v1/pets/{id}', () => {
    it('deletes the pet (pet.deleted); it then answers 404 and leaves the lists', async () => {
      const owner = await newUser(sandbox.services);
      const pet = await createPet({ owner_id: owner.id, name: 'Pebble', species: 'TURTLE' });
      await outbox.newEvents();
      const response = await inject({ method: 'DELETE', url: `/v1/pets/${pet.id}` });
      expect(response.statusCode).toBe(204);
      const [deleted, ...others] = await outbox.newEvents();
      expect(others).toEqual([]);
      expect(deleted).toMatchObject({
        event_type: 'pet.deleted',
        data: { pet_id: pet.id, owner_id: owner.id },
      });
      expectProblem(await inject({ method: 'GET', url: `/v1/pets/${pet.id}` }), 404);
      expectProblem(await inject({ method: 'DELETE', url: `/v1/pets/${pet.id}` }), 404);
      const list = await inject({ method: 'GET', url: `/v1/pets?owner_id=${owner.id}` });
      expect(list.json()).toEqual({ data: [], next_cursor: null });
    });
  });

  describe('GET /v1/pets and GET /v1/pets/{id}', () => {
    it('lists an owner’s pets newest first, a page at a time by cursor', async () => {
      const owner = await newUser(sandbox.services);
      const pets: PetResource[] = [];
      for (const name of ['First', 'Second', 'Third']) {
        pets.push(await createPet({ owner_id: owner.id, name, species: 'CAT' }));
      }
      const page = async (query: string) => {
        const response = await inject({ method: 'GET', url: `/v1/pets?${query}` });
        expect(response.statusCode).toBe(200);
        return cursorPageSchema(PetResourceSchema).parse(response.json());
      };
      const first = await page(`owner_id=${owner.id}&limit=2`);
      expect(first.data.map((p) => p.name)).toEqual(['Third', 'Second']);
      expect(first.next_cursor).not.toBeNull();
      const second = await page(`owner_id=${owner.id}&limit=2&cursor=${first.next_cursor}`);
      expect(second).toEqual({ data: [pets[0]], next_cursor: null });
      expect((await page('limit=100')).data.length).toBeGreaterThanOrEqual(3);

      const one = await inject({ method: 'GET', url: `/v1/pets/${pets[1]?.id}` });
      expect(PetResourceSchema.parse(one.json())).toEqual(pets[1]);
      expectProblem(await inject({ method: 'GET', url: '/v1/pets?cursor=nonsense' }), 400);
      expectProblem(await inject({ method: 'GET', url: '/v1/pets?limit=101' }), 400);
    });
  });
});

describe('Payment Service', () => {
  let database: TestDatabase;
  let sandbox: TestServices;
  let outbox: OutboxReader;
  let token: string;
  /** What the simulated payment provider answers next. */
  let nextSettlement: Settlement = { status: 'SUCCEEDED' };

  beforeAll(async () => {
    database = await createTestDatabase();
    sandbox = await buildTestServices(database.db, {
      packs: ['virtual-pet'],
      settlement: () => nextSettlement,
    });
    outbox = new OutboxReader(database.db);
    token = await serviceToken('payment-service');
  });
  afterAll(async () => {
    await sandbox.close();
    await database.drop();
  });
  beforeEach(async () => {
    // Each test starts with no payment waiting for the provider.
    await settleAll({ status: 'SUCCEEDED' });
    await outbox.newEvents();
  });

  const inject = (options: InjectOptions) =>
    sandbox.apps.payments.inject({ ...options, headers: { ...bearer(token), ...options.headers } });

  async function initiate(payload: object): Promise<PaymentResource> {
    const response = await inject({ method: 'POST', url: '/v1/payments', payload });
    expect(response.statusCode).toBe(201);
    return PaymentResourceSchema.parse(response.json());
  }

  /**
   * Settles every payment waiting for the provider, as the sweep does, with the answer given: as if a
   * minute had passed, rather than waiting for the provider's processing time.
   */
  function settleAll(settlement: Settlement): Promise<number> {
    nextSettlement = settlement;
    const later = new Date(Date.now() + 60_000);
    return sandbox.services.payments.settleDue({ correlationId: randomUUID() }, later);
  }

  const purchase = (userId: string) => ({
    user_id: userId,
    amount: '4.99',
    currency: 'EUR',
    method: 'CARD',
    description: 'Gem pack ×500',
  });

  it('initiates a payment (payment.initiated, amounts as decimal strings)', async () => {
    const user = await newUser(sandbox.services);
    await outbox.newEvents();
    const payment = await initiate(purchase(user.id));
    expect(payment).toMatchObject({
      user_id: user.id,
      amount: '4.99',
      currency: 'EUR',
      method: 'CARD',
      status: 'INITIATED',
      failure_reason: null,
    });
    expect(PaymentSchema.safeParse(payment).success).toBe(true);
    expect(await outbox.newEvents()).toMatchObject([
      {
        event_type: 'payment.initiated',
        data: { payment },
        metadata: { source_service: 'payment-service' },
      },
    ]);
  });

  it('refuses an unknown user, a zero amount and a malformed currency with 400', async () => {
    const user = await newUser(sandbox.services);
    await outbox.newEvents();
    const post = (payload: object) => inject({ method: 'POST', url: '/v1/payments', payload });
    expect(expectProblem(await post(purchase(randomUUID())), 400).detail).toMatch(/^No user /);
    const invalid = expectProblem(
      await post({ ...purchase(user.id), amount: '0.00', currency: 'euro', method: 'CASH' }),
      400,
    );
    expect(invalid.errors?.map((e) => e.pointer)).toEqual(['/amount', '/currency', '/method']);
    expect(await outbox.newEvents()).toEqual([]);
  });

  it('settles what waits for the provider: payment.succeeded, or payment.failed with a reason', async () => {
    const user = await newUser(sandbox.services);
    const paid = await initiate(purchase(user.id));
    await outbox.newEvents();
    expect(await settleAll({ status: 'SUCCEEDED' })).toBe(1);
    const [succeeded] = await outbox.newEvents();
    expect(succeeded).toMatchObject({
      event_type: 'payment.succeeded',
      data: { payment: { id: paid.id, status: 'SUCCEEDED', failure_reason: null } },
    });

    const declined = await initiate(purchase(user.id));
    await outbox.newEvents();
    expect(await settleAll({ status: 'FAILED', failureReason: 'card_declined' })).toBe(1);
    const [failed] = await outbox.newEvents();
    expect(failed).toMatchObject({
      event_type: 'payment.failed',
      data: { payment: { id: declined.id, status: 'FAILED', failure_reason: 'card_declined' } },
    });
    expect(await settleAll({ status: 'SUCCEEDED' })).toBe(0);
    await expect(
      sandbox.services.payments.settle(paid.id, { status: 'SUCCEEDED' }, { correlationId: 'x' }),
    ).rejects.toThrow('already SUCCEEDED');
  });

  it('leaves a payment initiated less than the provider’s processing time ago waiting', async () => {
    const user = await newUser(sandbox.services);
    const waiting = await initiate(purchase(user.id));
    expect(await sandbox.services.payments.settleDue({ correlationId: randomUUID() })).toBe(0);
    expect((await sandbox.services.payments.get(waiting.id)).status).toBe('INITIATED');
  });

  it('refunds a succeeded payment once (payment.refunded); 409 for one that did not succeed', async () => {
    const user = await newUser(sandbox.services);
    const paid = await initiate(purchase(user.id));
    await settleAll({ status: 'SUCCEEDED' });
    const declined = await initiate(purchase(user.id));
    await settleAll({ status: 'FAILED', failureReason: 'insufficient_funds' });
    await outbox.newEvents();

    const refund = () =>
      inject({
        method: 'POST',
        url: `/v1/payments/${paid.id}/refund`,
        headers: { 'x-correlation-id': 'refund-1' },
        payload: { reason: 'accidental_purchase' },
      });
    const first = RefundResponse.parse((await refund()).json());
    expect(first).toMatchObject({ payment: { status: 'REFUNDED' }, changed: true });
    expect(await outbox.newEvents()).toMatchObject([
      {
        event_type: 'payment.refunded',
        data: {
          payment: first.payment,
          refunded_amount: '4.99',
          reason: 'accidental_purchase',
        },
        metadata: { correlation_id: 'refund-1' },
      },
    ]);
    expect(RefundResponse.parse((await refund()).json()).changed).toBe(false);
    expect(await outbox.newEvents()).toEqual([]);

    expectProblem(await inject({ method: 'POST', url: `/v1/payments/${declined.id}/refund` }), 409);
    expectProblem(
      await inject({ method: 'POST', url: `/v1/payments/${randomUUID()}/refund` }),
      404,
    );
  });

  it('lists a user’s payments newest first by cursor, and by status', async () => {
    const user = await newUser(sandbox.services);
    const first = await initiate(purchase(user.id));
    await settleAll({ status: 'FAILED', failureReason: 'expired_card' });
    const second = await initiate({ ...purchase(user.id), amount: '0.99', currency: 'GBP' });
    const list = async (query: string) => {
      const response = await inject({ method: 'GET', url: `/v1/payments?${query}` });
      expect(response.statusCode).toBe(200);
      return cursorPageSchema(PaymentResourceSchema).parse(response.json());
    };
    const page = await list(`user_id=${user.id}&limit=1`);
    expect(page.data.map((p) => p.id)).toEqual([second.id]);
    const next = await list(`user_id=${user.id}&limit=1&cursor=${page.next_cursor}`);
    expect(next).toMatchObject({ data: [{ id: first.id, status: 'FAILED' }], next_cursor: null });
    expect((await list(`user_id=${user.id}&status=FAILED`)).data.map((p) => p.id)).toEqual([
      first.id,
    ]);
    const one = await inject({ method: 'GET', url: `/v1/payments/${second.id}` });
    expect(PaymentResourceSchema.parse(one.json())).toEqual(second);
    expectProblem(await inject({ method: 'GET', url: `/v1/payments/${randomUUID()}` }), 404);
  });
});
