import type { KnownEvent } from '@backoffice/contracts';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validMessage } from '../../test/helpers/events.ts';
import { isEnvelope, type KeycloakMessage } from '../outbox/events.ts';
import { generateEvents, type GenerateOptions } from './generator.ts';

const END = new Date('2026-03-15T09:30:00.000Z');
const BOTH: GenerateOptions = {
  packs: ['money-planner', 'virtual-pet'],
  users: 1_500,
  transactions: 5_000,
  seed: 7,
  end: END,
};

/** The user an event is about (for a transfer: the new owner). */
function userOf(event: KnownEvent): string | null | undefined {
  switch (event.event_type) {
    case 'user.created':
    case 'user.updated':
      return event.data.user.id;
    case 'transaction.created':
    case 'transaction.updated':
      return event.data.transaction.user_id;
    case 'budget.created':
    case 'budget.updated':
      return event.data.budget.user_id;
    case 'pet.created':
    case 'pet.updated':
    case 'pet.adopted':
    case 'pet.transferred':
      return event.data.pet.owner_id;
    case 'pet.deleted':
      return event.data.owner_id;
    case 'payment.initiated':
    case 'payment.succeeded':
    case 'payment.failed':
    case 'payment.refunded':
      return event.data.payment.user_id;
    case 'keycloak.event':
      return event.data.userId;
    case 'keycloak.admin_event':
      return event.data.resourcePath?.replace(/^users\//, '');
    default:
      return event.data.user_id;
  }
}

describe('generateEvents with virtual-pet', () => {
  const raw = [...generateEvents(BOTH)];
  const events = raw.map(validMessage);
  const ofType = <T extends KnownEvent['event_type']>(type: T) =>
    events.filter((e): e is Extract<KnownEvent, { event_type: T }> => e.event_type === type);
  const count = (type: KnownEvent['event_type']) => ofType(type).length;

  it('is deterministic, and its Keycloak messages are Keycloak’s own JSON with unique ids', () => {
    const hash = (options: GenerateOptions) =>
      createHash('sha256')
        .update([...generateEvents(options)].map((e) => JSON.stringify(e)).join('\n'))
        .digest('hex');
    const small = { ...BOTH, users: 200, transactions: 500 };
    expect(hash(small)).toBe(hash(small));
    const keycloak = raw.filter((m): m is KeycloakMessage => !isEnvelope(m));
    expect(keycloak.length).toBeGreaterThan(0);
    expect(keycloak.every((m) => !('event_type' in m))).toBe(true);
    expect(new Set(keycloak.map((m) => m.id)).size).toBe(keycloak.length);
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
  });

  it('produces every Virtual Pet event type besides Money Planner’s', () => {
    for (const type of [
      'user.created',
      'user.blocked',
      'user.disabled',
      'session.created',
      'session.ended',
      'transaction.created',
      'budget.created',
      'pet.created',
      'pet.adopted',
      'pet.updated',
      'pet.transferred',
      'pet.deleted',
      'payment.initiated',
      'payment.succeeded',
      'payment.failed',
      'payment.refunded',
      'keycloak.event',
      'keycloak.admin_event',
    ] as const) {
      expect([type, count(type)]).not.toEqual([type, 0]);
    }
    expect(count('transaction.created')).toBe(BOTH.transactions);
    expect(count('keycloak.admin_event')).toBe(count('user.disabled'));
  });

  it('reports the User Service’s work as Keycloak does: REGISTER per sign-up, LOGIN per session, LOGOUT per sign-out', () => {
    const keycloak = ofType('keycloak.event').map((e) => e.data);
    const of = (type: string) => keycloak.filter((k) => k.type === type);
    expect(of('REGISTER')).toHaveLength(count('user.created'));
    expect(of('LOGIN')).toHaveLength(count('session.created'));
    expect(of('LOGOUT')).toHaveLength(
      ofType('session.ended').filter((e) => e.data.reason === 'logout').length,
    );
    const errors = of('LOGIN_ERROR');
    expect(errors.length / of('LOGIN').length).toBeGreaterThan(0.02);
    expect(errors.length / of('LOGIN').length).toBeLessThan(0.1);
    expect(errors.every((e) => e.error === 'invalid_user_credentials')).toBe(true);

    // A LOGIN carries its session's id and address.
    const sessions = new Map(ofType('session.created').map((e) => [e.data.session_id, e.data]));
    for (const login of of('LOGIN')) {
      const session = sessions.get(login.sessionId ?? '');
      expect(session?.ip).toBe(login.ipAddress);
      expect(login.details?.username).toMatch(/@/);
      expect(['virtual-pet-web', 'virtual-pet-mobile']).toContain(login.clientId);
    }
  });

  it('gives about 60% of the users 1–3 pets, and each user 0–8 purchases that mostly succeed', () => {
    const users = count('user.created');
    const pets = [...ofType('pet.created'), ...ofType('pet.adopted')];
    const perOwner = new Map<string, number>();
    for (const e of pets)
      perOwner.set(e.data.pet.owner_id, (perOwner.get(e.data.pet.owner_id) ?? 0) + 1);
    expect(perOwner.size / users).toBeGreaterThan(0.5);
    expect(perOwner.size / users).toBeLessThan(0.65);
    expect(Math.max(...perOwner.values())).toBeLessThanOrEqual(3);
    expect(ofType('pet.adopted').length / pets.length).toBeCloseTo(0.25, 1);

    const perUser = new Map<string, number>();
    for (const e of ofType('payment.initiated')) {
      perUser.set(e.data.payment.user_id, (perUser.get(e.data.payment.user_id) ?? 0) + 1);
    }
    expect(Math.max(...perUser.values())).toBeLessThanOrEqual(8);
    const initiated = count('payment.initiated');
    expect(count('payment.failed') / initiated).toBeCloseTo(0.1, 1);
    expect(count('payment.refunded') / initiated).toBeCloseTo(0.05, 1);
    for (const e of ofType('payment.initiated')) {
      expect(['EUR', 'USD', 'GBP']).toContain(e.data.payment.currency);
      expect(Number(e.data.payment.amount)).toBeGreaterThanOrEqual(0.99);
      expect(Number(e.data.payment.amount)).toBeLessThanOrEqual(49.99);
    }
    expect(ofType('payment.failed').every((e) => e.data.payment.failure_reason)).toBe(true);
  });

  it('keeps every event in the history window, in time order, after its user’s user.created', () => {
    const registered = new Set<string>();
    const violations: string[] = [];
    let previous = '';
    for (const event of events) {
      if (event.timestamp <= previous) violations.push(`${event.event_id} at ${event.timestamp}`);
      previous = event.timestamp;
      if (Date.parse(event.timestamp) >= END.getTime()) violations.push(`${event.event_id} late`);
      if (event.event_type === 'user.created') registered.add(event.data.user.id);
      else {
        const user = userOf(event);
        if (user != null && !registered.has(user))
          violations.push(`${event.event_type} before user.created`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('has a blocked or disabled user neither sign in, care for pets nor buy afterwards', () => {
    const stoppedAt = new Map(
      [...ofType('user.blocked'), ...ofType('user.disabled')].map((e) => [
        e.data.user_id,
        e.timestamp,
      ]),
    );
    const after = events.filter(
      (e) =>
        [
          'session.created',
          'pet.created',
          'pet.adopted',
          'pet.updated',
          'payment.initiated',
        ].includes(e.event_type) && (stoppedAt.get(userOf(e) ?? '') ?? '9999') < e.timestamp,
    );
    expect(after).toEqual([]);
  });

  it('is Money Planner’s history alone by default, and has no transaction or budget without it', () => {
    const types = (options: GenerateOptions) =>
      new Set([...generateEvents(options)].map((e) => validMessage(e).event_type));
    const moneyPlanner = types({ ...BOTH, packs: undefined, users: 200 });
    expect([...moneyPlanner].filter((t) => /^(pet|payment|keycloak)\./.test(t))).toEqual([]);
    expect(moneyPlanner.has('user.disabled')).toBe(false);
    const virtualPet = types({ ...BOTH, packs: ['virtual-pet'], users: 200 });
    expect([...virtualPet].filter((t) => /^(transaction|budget)\./.test(t))).toEqual([]);
    expect(virtualPet.has('pet.created')).toBe(true);
  });
});
