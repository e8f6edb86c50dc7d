import type { PetSpecies } from '../db/schema.ts';
import { centsToDecimal } from '../domain/money.ts';
import { DAY_MS } from '../domain/periods.ts';
import {
  ADOPTED_SHARE,
  CURRENCY_SHARES,
  FAILURE_REASONS,
  METHOD_SHARES,
  PET_NAMES,
  REFUND_REASONS,
  SHOP_ITEMS,
  SPECIES_SHARES,
  pickWeighted,
  visit,
} from '../domain/virtual-pet.ts';
import {
  makeEnvelope,
  type EnvelopeType,
  type EventData,
  type OutboxEvent,
} from '../outbox/events.ts';
import {
  accountSwitchEvent,
  clientOf,
  keycloakEvent,
  type KeycloakClient,
  type KeycloakEventInput,
} from '../services/identity/keycloak.ts';
import type { PaymentResource } from '../services/payments/payments.schemas.ts';
import type { PetResource } from '../services/pets/pets.schemas.ts';
import { isoTimestamp as iso } from './iso.ts';
import { IP_PREFIXES } from './names.ts';
import { Sfc32, UuidFactory, type Traits } from './prng.ts';
import { ActionQueue, type DistributiveOmit } from './queue.ts';

/** What the Virtual Pet history needs of the world it is part of (generator.ts). */
export interface World {
  /** The end of the history: nothing happens at or after it. */
  readonly end: number;
  readonly traits: Traits;
  userId(u: number): string;
  email(u: number): string;
  registeredAt(u: number): number;
  /** How many users had registered before the day of `t` began (they are users 0 … n − 1). */
  registeredBy(t: number): number;
  /** When user `u` stops doing anything (blocked or disabled); Infinity for never. */
  blockedAt(u: number): number;
  /** A registered user not blocked before `until`, drawn with `rng`; rarely nobody. */
  pickActiveUser(population: number, until: number, rng: Sfc32): number | undefined;
  /** The time an event wanted at `t` gets: timestamps strictly increase across the whole history. */
  stamp(t: number): number;
  push(message: OutboxEvent): void;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const MAX_PETS = 3;
const MAX_PAYMENTS = 8;
/** Failed sign-ins (a wrong password) per returning sign-in of the day: about one in twenty of all. */
const LOGIN_ERROR_SHARE = 0.1;
/** Of the users the administrator stops, the share whose account is disabled rather than blocked. */
const DISABLED_SHARE = 0.5;
/** People who mostly use the mobile app (the others: the web app). */
const MOBILE_SHARE = 0.6;

/** Purposes of the stateless per-user draws (the Money Planner part uses 0–39). */
const P = {
  pets: 64,
  client: 65,
  currency: 66,
  payments: 67,
  paymentGap: 68,
  disabled: 69,
  /** Pet slot s uses purposes petBase + 8 s … + 5. */
  petBase: 80,
  /** Payment k = user × MAX_PAYMENTS + j uses purposes paymentBase … + 5. */
  paymentBase: 112,
} as const;

/** Kinds of derived ids, after the Money Planner part's (1–6). */
const ID = { pet: 7, payment: 8, keycloak: 9, event: 10, correlation: 11 } as const;

/** A pet's state: its stats wander with its owner's care, so they travel with its next action. */
interface Pet {
  id: string;
  owner: number;
  name: string;
  species: PetSpecies;
  level: number;
  health: number;
  happiness: number;
  createdAt: number;
  adoptedAt: number | null;
  fate: 'transfer' | 'delete' | null;
  fateAt: number;
}

type Action =
  | { kind: 'pet-create'; t: number; seq: number; owner: number; slot: number }
  | { kind: 'pet-life'; t: number; seq: number; pet: Pet }
  | { kind: 'payment'; t: number; seq: number; user: number; index: number }
  | { kind: 'payment-settle'; t: number; seq: number; user: number; index: number }
  | { kind: 'payment-refund'; t: number; seq: number; user: number; index: number }
  | { kind: 'failed-login'; t: number; seq: number };

/**
 * The Virtual Pet platform's history (seed 001), woven into the shared users' (generator.ts):
 *
 * - Keycloak's events for the User Service's work: REGISTER at each sign-up, LOGIN at each session,
 *   LOGOUT when one ends by a sign-out (an expiry is silent, as in Keycloak), and LOGIN_ERROR for
 *   wrong passwords, about one per twenty sign-ins; half of the users the administrator stops are
 *   disabled (user.disabled, with Keycloak's admin event) rather than blocked.
 * - About 60% of the users own 1–3 pets, created (or, a quarter of them, adopted from the shelter) in
 *   their first weeks; owners feed them, play with them and level them up every few weeks
 *   (pet.updated); about 6% are given to another user and 6% deleted.
 * - 0–8 in-game purchases per user, weeks apart: about 85% succeed, 10% fail (card declined,
 *   insufficient funds…), 5% succeed and are refunded within two weeks.
 *
 * Per-user traits are stateless draws (Traits) and the running draws come from a generator of its own,
 * so turning virtual-pet on leaves the Money Planner part's draws as they were. A pet's state and the
 * next step of each user's purchases are the only things kept, in the queue.
 */
export class VirtualPetHistory {
  private readonly rng: Sfc32;
  private readonly ids: Record<keyof typeof ID, UuidFactory>;
  private readonly queue = new ActionQueue<Action>();
  private seq = 0;
  private eventCount = 0;
  private keycloakCount = 0;
  private correlationCount = 0;

  constructor(
    seed: number,
    private readonly world: World,
  ) {
    this.rng = new Sfc32(seed ^ 0x5eed_0001);
    this.ids = {
      pet: new UuidFactory(seed, ID.pet),
      payment: new UuidFactory(seed, ID.payment),
      keycloak: new UuidFactory(seed, ID.keycloak),
      event: new UuidFactory(seed, ID.event),
      correlation: new UuidFactory(seed, ID.correlation),
    };
  }

  get nextTime(): number {
    return this.queue.nextTime;
  }

  performNext(): void {
    const action = this.queue.pop();
    if (action !== undefined) this.perform(action);
  }

  // --- the User Service's side ------------------------------------------------------------------------

  /** User `u` signed up at `t`: Keycloak's REGISTER; their pets and purchases are planned. */
  registered(u: number, t: number): void {
    this.keycloak(
      {
        type: 'REGISTER',
        userId: this.world.userId(u),
        username: this.world.email(u),
        ipAddress: this.ip(),
        clientId: this.clientOf(u),
      },
      t,
    );
    for (let slot = 0; slot < this.petCount(u); slot++) {
      const createdAt =
        t +
        10 * MINUTE +
        Math.floor(this.unit(P.petBase + 8 * slot + 2, u) * (20 + 40 * slot) * DAY_MS);
      this.schedule({ kind: 'pet-create', t: createdAt, owner: u, slot });
    }
    if (this.paymentCount(u) > 0) {
      this.schedule({ kind: 'payment', t: this.paymentAt(u, 0), user: u, index: 0 });
    }
  }

  signedIn(
    u: number,
    sessionId: string,
    t: number,
    ipAddress: string,
    userAgent: string | null,
  ): void {
    this.keycloak(
      {
        type: 'LOGIN',
        userId: this.world.userId(u),
        username: this.world.email(u),
        sessionId,
        ipAddress,
        clientId: clientOf(userAgent),
      },
      t,
    );
  }

  signedOut(
    u: number,
    sessionId: string,
    t: number,
    ipAddress: string,
    userAgent: string | null,
  ): void {
    this.keycloak(
      {
        type: 'LOGOUT',
        userId: this.world.userId(u),
        username: this.world.email(u),
        sessionId,
        ipAddress,
        clientId: clientOf(userAgent),
      },
      t,
    );
  }

  /** Whether the administrator disables user `u`'s account rather than blocking them. */
  disablesInstead(u: number): boolean {
    return this.unit(P.disabled, u) < DISABLED_SHARE;
  }

  /** User `u`'s account was disabled at `t` by `adminId`: Keycloak's admin event. */
  disabled(u: number, t: number, adminId: string): void {
    const time = this.world.stamp(t);
    this.world.push(
      accountSwitchEvent({
        id: this.ids.keycloak.make(this.keycloakCount++),
        time,
        userId: this.world.userId(u),
        username: this.world.email(u),
        enabled: false,
        actorId: adminId,
        ipAddress: this.ip(),
      }),
    );
  }

  /** Plans the day's failed sign-ins: about one per twenty of its sign-ins. */
  startDay(dayStart: number, sessions: number): void {
    const count = Math.floor(sessions * LOGIN_ERROR_SHARE + this.rng.next());
    for (let j = 0; j < count; j++) {
      const t = dayStart + Math.floor(((j + this.rng.next()) / count) * DAY_MS);
      this.schedule({ kind: 'failed-login', t });
    }
  }

  // --- actions ----------------------------------------------------------------------------------------

  private perform(action: Action): void {
    switch (action.kind) {
      case 'pet-create':
        return this.createPet(action.owner, action.slot, action.t);
      case 'pet-life':
        return this.livePet(action.pet, action.t);
      case 'payment':
        return this.initiatePayment(action.user, action.index, action.t);
      case 'payment-settle':
        return this.settlePayment(action.user, action.index, action.t);
      case 'payment-refund': {
        const k = action.user * MAX_PAYMENTS + action.index;
        const payment = this.paymentResource(action.user, action.index, 'REFUNDED', action.t);
        this.emit(
          'payment.refunded',
          {
            payment,
            refunded_amount: payment.amount,
            reason: REFUND_REASONS[Math.floor(this.unit(P.paymentBase + 5, k) * 3)] ?? null,
          },
          action.t,
        );
        return;
      }
      case 'failed-login': {
        const u = this.world.pickActiveUser(this.world.registeredBy(action.t), action.t, this.rng);
        if (u === undefined) return;
        this.keycloak(
          {
            type: 'LOGIN_ERROR',
            userId: this.world.userId(u),
            username: this.world.email(u),
            ipAddress: this.ip(),
            clientId: this.clientOf(u),
            error: 'invalid_user_credentials',
          },
          action.t,
        );
        return;
      }
    }
  }

  // --- pets -------------------------------------------------------------------------------------------

  /** 0–3 pets: 40% of the users none, then fewer owners the more pets. */
  private petCount(u: number): number {
    const r = this.unit(P.pets, u);
    return r < 0.4 ? 0 : r < 0.76 ? 1 : r < 0.92 ? 2 : MAX_PETS;
  }

  private createPet(owner: number, slot: number, t: number): void {
    if (this.world.blockedAt(owner) <= t) return;
    const base = P.petBase + 8 * slot;
    const adopted = this.unit(base + 3, owner) < ADOPTED_SHARE;
    const fate = this.unit(base + 4, owner);
    const later = this.unit(base + 5, owner);
    const pet: Pet = {
      id: this.ids.pet.make(owner * MAX_PETS + slot),
      owner,
      name: this.world.traits.pick(PET_NAMES, base, owner),
      species: pickWeighted(SPECIES_SHARES, this.unit(base + 1, owner)),
      // A shelter pet has lived a little already.
      level: adopted ? 1 + this.rng.int(10) : 1,
      health: adopted ? 60 + this.rng.int(41) : 100,
      happiness: adopted ? 40 + this.rng.int(61) : 100,
      createdAt: t,
      adoptedAt: adopted ? t : null,
      fate: fate < 0.06 ? 'delete' : fate < 0.12 ? 'transfer' : null,
      fateAt:
        fate < 0.06
          ? t + 7 * DAY_MS + Math.floor(later * 233 * DAY_MS)
          : t + 3 * DAY_MS + Math.floor(later * 147 * DAY_MS),
    };
    this.emit(adopted ? 'pet.adopted' : 'pet.created', { pet: this.petResource(pet, t) }, t);
    this.scheduleLife(pet, t);
  }

  /** The pet's next event: its owner's next visit, or its fate if that comes first. */
  private scheduleLife(pet: Pet, t: number): void {
    const visit = t + 3 * DAY_MS + Math.floor(this.rng.next() * 40 * DAY_MS);
    const at = pet.fate !== null && pet.fateAt <= visit ? pet.fateAt : visit;
    this.schedule({ kind: 'pet-life', t: at, pet });
  }

  private livePet(pet: Pet, t: number): void {
    // A stopped owner's pets are left alone.
    if (this.world.blockedAt(pet.owner) <= t) return;
    if (pet.fate === 'delete' && t === pet.fateAt) {
      this.emit(
        'pet.deleted',
        { pet_id: pet.id, owner_id: this.world.userId(pet.owner), deleted_at: iso(t) },
        t,
      );
      return;
    }
    if (pet.fate === 'transfer' && t === pet.fateAt) {
      pet.fate = null;
      const to = this.world.pickActiveUser(this.world.registeredBy(t), t, this.rng);
      if (to !== undefined && to !== pet.owner) {
        const from = pet.owner;
        pet.owner = to;
        this.emit(
          'pet.transferred',
          { pet: this.petResource(pet, t), from_owner_id: this.world.userId(from) },
          t,
        );
      }
    } else {
      this.care(pet, t);
    }
    this.scheduleLife(pet, t);
  }

  /** The owner's visit (domain/virtual-pet.ts: visit): pet.updated with what changed. */
  private care(pet: Pet, t: number): void {
    const after = visit(pet, () => this.rng.next());
    const oldValues: Record<string, number> = {};
    for (const field of ['level', 'health', 'happiness'] as const) {
      if (after[field] !== pet[field]) oldValues[field] = pet[field];
      pet[field] = after[field];
    }
    this.emit('pet.updated', { pet: this.petResource(pet, t), old_values: oldValues }, t);
  }

  private petResource(pet: Pet, t: number): PetResource {
    return {
      id: pet.id,
      owner_id: this.world.userId(pet.owner),
      name: pet.name,
      species: pet.species,
      level: pet.level,
      health: pet.health,
      happiness: pet.happiness,
      status: pet.adoptedAt === null ? 'ACTIVE' : 'ADOPTED',
      adopted_at: pet.adoptedAt === null ? null : iso(pet.adoptedAt),
      created_at: iso(pet.createdAt),
      updated_at: iso(t),
    };
  }

  // --- payments ---------------------------------------------------------------------------------------

  private paymentCount(u: number): number {
    return Math.floor(this.unit(P.payments, u) * (MAX_PAYMENTS + 1));
  }

  /** When user `u` makes purchase `j`: weeks apart (each user their own pace), in order. */
  private paymentAt(u: number, j: number): number {
    const gap = (15 + 75 * this.unit(P.paymentGap, u)) * DAY_MS;
    const k = u * MAX_PAYMENTS + j;
    return this.world.registeredAt(u) + HOUR + Math.floor((j + this.unit(P.paymentBase, k)) * gap);
  }

  /** How purchase `k` ends: about 85% succeed, 10% fail, 5% succeed and are refunded. */
  private outcome(k: number): 'SUCCEEDED' | 'FAILED' | 'REFUNDED' {
    const r = this.unit(P.paymentBase + 3, k);
    return r < 0.85 ? 'SUCCEEDED' : r < 0.95 ? 'FAILED' : 'REFUNDED';
  }

  private initiatePayment(u: number, j: number, t: number): void {
    if (this.world.blockedAt(u) <= t) return;
    this.emit('payment.initiated', { payment: this.paymentResource(u, j, 'INITIATED', t) }, t);
    const settleAt = t + 2_000 + this.rng.int(38_000);
    this.schedule({ kind: 'payment-settle', t: settleAt, user: u, index: j });
    if (j + 1 < this.paymentCount(u)) {
      this.schedule({ kind: 'payment', t: this.paymentAt(u, j + 1), user: u, index: j + 1 });
    }
  }

  private settlePayment(u: number, j: number, t: number): void {
    const outcome = this.outcome(u * MAX_PAYMENTS + j);
    if (outcome === 'FAILED') {
      this.emit('payment.failed', { payment: this.paymentResource(u, j, 'FAILED', t) }, t);
      return;
    }
    this.emit('payment.succeeded', { payment: this.paymentResource(u, j, 'SUCCEEDED', t) }, t);
    if (outcome === 'REFUNDED') {
      const at = t + DAY_MS + Math.floor(this.rng.next() * 13 * DAY_MS);
      this.schedule({ kind: 'payment-refund', t: at, user: u, index: j });
    }
  }

  /** Purchase `j` of user `u` in `status` at `t`; everything else is a pure function of (u, j). */
  private paymentResource(
    u: number,
    j: number,
    status: PaymentResource['status'],
    t: number,
  ): PaymentResource {
    const k = u * MAX_PAYMENTS + j;
    const item = pickWeighted(SHOP_ITEMS, this.unit(P.paymentBase + 1, k));
    return {
      id: this.ids.payment.make(k),
      user_id: this.world.userId(u),
      amount: centsToDecimal(item.cents),
      currency: pickWeighted(CURRENCY_SHARES, this.unit(P.currency, u)),
      method: pickWeighted(METHOD_SHARES, this.unit(P.paymentBase + 2, k)),
      status,
      description: item.description,
      failure_reason:
        status === 'FAILED' ? pickWeighted(FAILURE_REASONS, this.unit(P.paymentBase + 4, k)) : null,
      created_at: iso(this.paymentAt(u, j)),
      updated_at: iso(t),
    };
  }

  // --- emission ---------------------------------------------------------------------------------------

  private emit<K extends EnvelopeType>(type: K, data: EventData<K>, t: number): void {
    const timestamp = this.world.stamp(t);
    this.world.push(
      makeEnvelope(type, data, {
        eventId: this.ids.event.make(this.eventCount++),
        timestamp: iso(timestamp),
        correlationId: this.ids.correlation.make(this.correlationCount++),
      }),
    );
  }

  private keycloak(input: Omit<KeycloakEventInput, 'id' | 'time'>, t: number): void {
    const time = this.world.stamp(t);
    this.world.push(
      keycloakEvent({ ...input, id: this.ids.keycloak.make(this.keycloakCount++), time }),
    );
  }

  private schedule(action: DistributiveOmit<Action, 'seq'>): void {
    if (action.t >= this.world.end) return;
    this.queue.push({ ...action, seq: this.seq++ });
  }

  private unit(purpose: number, index: number): number {
    return this.world.traits.unit(purpose, index);
  }

  private clientOf(u: number): KeycloakClient {
    return this.unit(P.client, u) < MOBILE_SHARE ? 'virtual-pet-mobile' : 'virtual-pet-web';
  }

  private ip(): string {
    return `${IP_PREFIXES[this.rng.int(IP_PREFIXES.length)] ?? ''}.${1 + this.rng.int(254)}`;
  }
}
