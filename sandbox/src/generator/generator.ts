import { DEFAULT_PACKS, type PackName } from '@backoffice/contracts';
import { KNOWN_ACCOUNTS, type UserRole } from '../domain/accounts.ts';
import {
  BUDGET_CATEGORIES,
  EXPENSE_CATEGORIES,
  INCOME_CATEGORIES,
  type Category,
} from '../domain/categories.ts';
import { centsToDecimal } from '../domain/money.ts';
import { DAY_MS, PERIOD_TYPES, periodStart, type PeriodType } from '../domain/periods.ts';
import {
  makeEnvelope,
  type Envelope,
  type EnvelopeType,
  type EventData,
  type OutboxEvent,
} from '../outbox/events.ts';
import type { BudgetStatus } from '../db/schema.ts';
import type { BudgetResource } from '../services/budgets/budgets.schemas.ts';
import type { TransactionResource } from '../services/transactions/transactions.schemas.ts';
import type { UserResource } from '../services/users/users.schemas.ts';
import {
  BLOCK_REASONS,
  DISABLE_REASONS,
  EMAIL_DOMAINS,
  FIRST_NAMES,
  IP_PREFIXES,
  LAST_NAMES,
  USER_AGENTS,
} from './names.ts';
import { isoTimestamp } from './iso.ts';
import { Sfc32, Traits, UuidFactory } from './prng.ts';
import { ActionQueue, type DistributiveOmit } from './queue.ts';
import { VirtualPetHistory, type World as WorldView } from './virtual-pet.ts';

export interface GenerateOptions {
  /** The platforms whose history is generated; default money-planner. Users are both platforms'. */
  packs?: readonly PackName[] | undefined;
  /** Users to generate, in addition to the three known accounts. */
  users: number;
  /** Transactions to generate (with money-planner). */
  transactions: number;
  seed: number;
  /** The end of the generated history: "now" in the generated world. */
  end: Date;
  /** Length of the history in months (of 30.4375 days). Default 18. */
  months?: number;
}

/**
 * The platform's history as events, deterministic from the seed and `end`: same options, same bytes.
 * Money Planner alone (the default) gives envelopes only; with virtual-pet, Keycloak's own messages
 * come in the stream too (see virtual-pet.ts).
 *
 * The simulation runs day by day. Each day has its sign-ups, transactions and logins, spread over the day
 * in time order, and a queue of actions scheduled earlier for that day (a session's end, a block, a
 * budget's creation, a correction of a transaction). Only that queue and one number pair per budget slot
 * (spent this period) are kept; everything about a user (name, role, budgets, whether and when they get
 * blocked) is a pure function of the seed and the user's index, recomputed when needed. Memory therefore
 * does not grow with the number of events.
 *
 * Invariants: timestamps strictly increase; a user's events come after their user.created; exactly
 * `users + 3` user.created and (with money-planner) `transactions` transaction.created events.
 *
 * Without `packs` the stream is Money Planner's, envelopes only (hence the first signature).
 */
export function generateEvents(
  options: GenerateOptions & { packs?: undefined },
): Iterable<Envelope>;
export function generateEvents(options: GenerateOptions): Iterable<OutboxEvent>;
export function generateEvents(options: GenerateOptions): Iterable<OutboxEvent> {
  return new World(options).events();
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SESSION_TTL = DAY_MS;
/** The last day of the history sees this many times the sign-ups of the first. */
const GROWTH = 5;
const INCOME_SHARE = 0.1;
const BLOCKED_SHARE = 0.02;
const ACTIVE_SESSION_SHARE = 0.1;
const UPDATED_SHARE = 0.02;
const DELETED_SHARE = 0.01;
const SLOTS = 3;
const KNOWN = KNOWN_ACCOUNTS.length;
const KNOWN_CUSTOMER = 2;
const ADMIN_ID = (KNOWN_ACCOUNTS[0] as { id: string }).id;

/** Purposes of the stateless per-entity draws (see Traits). */
const P = {
  jitter: 0,
  role: 1,
  first: 2,
  last: 3,
  domain: 4,
  emailStyle: 5,
  blocked: 6,
  blockedAt: 7,
  blockReason: 8,
  budgets: 9,
  active: 10,
  activeAt: 11,
  /** Budget slot s uses purposes budgetBase + 8 s … + 7. */
  budgetBase: 16,
} as const;

/** Kinds of derived ids (see UuidFactory). */
const ID = { user: 1, transaction: 2, session: 3, budget: 4, event: 5, correlation: 6 } as const;

/** A budget's traits; its id and name are derived when an event needs them (see budgetResource). */
interface BudgetSpec {
  slot: number;
  userIndex: number;
  period: PeriodType;
  category: Category | null;
  amountCents: number;
  createdAt: number;
  initialStatus: BudgetStatus;
  activatedAt: number;
  archivedAt: number;
  deletedAt: number;
}

interface TransactionState {
  id: string;
  userIndex: number;
  cents: number;
  category: Category;
  description: string;
  date: number;
}

type Action =
  | { kind: 'session'; t: number; seq: number; user: number; active: boolean }
  | {
      kind: 'session-end';
      t: number;
      seq: number;
      user: number;
      sessionId: string;
      reason: 'logout' | 'expired';
      ip: string;
      userAgent: string | null;
    }
  | { kind: 'block'; t: number; seq: number; user: number }
  | { kind: 'budget-create'; t: number; seq: number; spec: BudgetSpec }
  | { kind: 'budget-status'; t: number; seq: number; spec: BudgetSpec }
  | { kind: 'budget-delete'; t: number; seq: number; spec: BudgetSpec }
  | { kind: 'transaction-update'; t: number; seq: number; tx: TransactionState }
  | { kind: 'transaction-delete'; t: number; seq: number; tx: TransactionState }
  | {
      kind: 'period-reset';
      t: number;
      seq: number;
      period: PeriodType;
      fromUser: number;
      correlationId: string;
    };

/** Splits `total` over slots in proportion to `weights`, exactly (cumulative rounding). */
function allocate(total: number, weights: Float64Array): Int32Array {
  const sum = weights.reduce((a, b) => a + b, 0);
  const counts = new Int32Array(weights.length);
  let cumulative = 0;
  let assigned = 0;
  for (let i = 0; i < weights.length; i++) {
    cumulative += weights[i] as number;
    const upTo = i === weights.length - 1 ? total : Math.floor((total * cumulative) / sum);
    counts[i] = upTo - assigned;
    assigned = upTo;
  }
  return counts;
}

function weightedPick(categories: readonly Category[], r: number): Category {
  const total = categories.reduce((sum, c) => sum + c.weight, 0);
  let x = r * total;
  for (const c of categories) {
    x -= c.weight;
    if (x < 0) return c;
  }
  return categories[categories.length - 1] as Category;
}

const iso = isoTimestamp;

/**
 * The name and email of the user with index `u` under a seed's traits. Live sign-ups use it with
 * indexes past the seeded ones, so that they look like the people of the history.
 */
export function person(traits: Traits, u: number): { email: string; name: string } {
  const first = traits.pick(FIRST_NAMES, P.first, u);
  const last = traits.pick(LAST_NAMES, P.last, u);
  const domain = traits.pick(EMAIL_DOMAINS, P.domain, u);
  const styles = [
    `${first}.${last}${u}`,
    `${first}${last.charAt(0)}${u}`,
    `${first.charAt(0)}${last}${u}`,
    `${first}_${last}${u}`,
  ];
  const local = traits.pick(styles, P.emailStyle, u).toLowerCase();
  return { email: `${local}@${domain}`, name: `${first} ${last}` };
}

class World implements WorldView {
  private readonly rng: Sfc32;
  readonly traits: Traits;
  private readonly ids: Record<keyof typeof ID, UuidFactory>;
  readonly end: number;
  private readonly start: number;
  private readonly days: number;
  private readonly totalUsers: number;
  /** firstSignup[k]: index of the first user registered on day k (known accounts: day 0). */
  private readonly firstSignup: Int32Array;
  private readonly transactionsPerDay: Int32Array;
  private readonly sessionsPerDay: Int32Array;
  /** Per budget slot: spent in cents in the period starting at spentPeriod (ms). */
  private readonly spentCents: Float64Array;
  private readonly spentPeriod: Float64Array;
  private readonly queue = new ActionQueue<Action>();
  private readonly out: OutboxEvent[] = [];
  private readonly moneyPlanner: boolean;
  /** The Virtual Pet platform's part of the history, when its pack is on. */
  private readonly virtualPet: VirtualPetHistory | undefined;
  private lastTimestamp = -Infinity;
  private seq = 0;
  private eventCount = 0;
  private correlationCount = 0;
  private transactionCount = 0;
  private sessionCount = 0;

  constructor(options: GenerateOptions) {
    const { users, transactions, seed } = options;
    for (const [name, value] of Object.entries({ users, transactions, seed })) {
      if (!Number.isSafeInteger(value) || value < 0)
        throw new RangeError(`${name} must be a non-negative integer`);
    }
    const packs = options.packs ?? DEFAULT_PACKS;
    this.moneyPlanner = packs.includes('money-planner');
    const months = options.months ?? 18;
    this.end = options.end.getTime();
    if (!Number.isFinite(this.end)) throw new RangeError('end must be a valid date');
    this.days = Math.max(1, Math.round(months * 30.4375));
    this.start = this.end - this.days * DAY_MS;
    this.rng = new Sfc32(seed);
    this.traits = new Traits(seed);
    this.ids = {
      user: new UuidFactory(seed, ID.user),
      transaction: new UuidFactory(seed, ID.transaction),
      session: new UuidFactory(seed, ID.session),
      budget: new UuidFactory(seed, ID.budget),
      event: new UuidFactory(seed, ID.event),
      correlation: new UuidFactory(seed, ID.correlation),
    };
    this.totalUsers = users + KNOWN;

    const growth = new Float64Array(this.days);
    for (let k = 0; k < this.days; k++)
      growth[k] = Math.exp((Math.log(GROWTH) * k) / Math.max(1, this.days - 1));
    const signups = allocate(users, growth);
    this.firstSignup = new Int32Array(this.days + 1);
    this.firstSignup[0] = 0;
    let next = KNOWN;
    for (let k = 0; k < this.days; k++) {
      this.firstSignup[k + 1] = next + (signups[k] as number);
      next = this.firstSignup[k + 1] as number;
    }
    // Activity grows with the user base: a day's transactions and logins are proportional to the
    // number of users registered before it.
    const population = new Float64Array(this.days);
    for (let k = 0; k < this.days; k++) population[k] = this.registeredBefore(k);
    this.transactionsPerDay = allocate(this.moneyPlanner ? transactions : 0, population);
    this.sessionsPerDay = allocate(this.totalUsers, population);

    this.spentCents = new Float64Array(this.totalUsers * SLOTS);
    this.spentPeriod = new Float64Array(this.totalUsers * SLOTS);
    this.virtualPet = packs.includes('virtual-pet') ? new VirtualPetHistory(seed, this) : undefined;
  }

  // --- the simulation loop ----------------------------------------------------------------------------

  *events(): Generator<OutboxEvent> {
    // Spent figures restart at each period's start. Emitting that reset for every past period would
    // add a budget.updated per budget per month of history; the current periods' resets are the ones
    // that make today's figures right.
    for (const period of PERIOD_TYPES) {
      const t = periodStart(period, this.end);
      if (this.moneyPlanner && t > this.start && t < this.end) {
        this.schedule({
          kind: 'period-reset',
          t,
          period,
          fromUser: 0,
          correlationId: this.correlation(),
        });
      }
    }

    for (let day = 0; day < this.days; day++) {
      const dayStart = this.start + day * DAY_MS;
      const dayEnd = dayStart + DAY_MS;
      if (day === this.days - 1) this.scheduleActiveSessions(dayStart);

      const population = this.registeredBefore(day);
      let signup = day === 0 ? 0 : (this.firstSignup[day] as number);
      const signupEnd = this.firstSignup[day + 1] as number;
      const transactionTotal = this.transactionsPerDay[day] as number;
      const sessionTotal = this.sessionsPerDay[day] as number;
      let transaction = 0;
      let session = 0;
      let signupAt = signup < signupEnd ? this.registeredAt(signup) : Infinity;
      let transactionAt =
        transactionTotal > 0 ? this.stratified(dayStart, 0, transactionTotal) : Infinity;
      let sessionAt = sessionTotal > 0 ? this.stratified(dayStart, 0, sessionTotal) : Infinity;
      this.virtualPet?.startDay(dayStart, sessionTotal);

      for (;;) {
        const queued = this.queue.nextTime;
        const virtualPetAt = this.virtualPet?.nextTime ?? Infinity;
        const t = Math.min(signupAt, queued, virtualPetAt, sessionAt, transactionAt);
        if (t >= dayEnd) break;
        if (t === signupAt) {
          this.signUp(signup, t);
          signup++;
          signupAt = signup < signupEnd ? this.registeredAt(signup) : Infinity;
        } else if (t === queued) {
          this.perform(this.queue.pop() as Action);
        } else if (t === virtualPetAt) {
          this.virtualPet?.performNext();
        } else if (t === sessionAt) {
          const user = this.pickUser(population, t + SESSION_TTL);
          if (user !== undefined) this.startSession(user, t, false);
          session++;
          sessionAt =
            session < sessionTotal ? this.stratified(dayStart, session, sessionTotal) : Infinity;
        } else {
          this.createTransaction(population, t);
          transaction++;
          transactionAt =
            transaction < transactionTotal
              ? this.stratified(dayStart, transaction, transactionTotal)
              : Infinity;
        }
        if (this.out.length > 0) {
          yield* this.out;
          this.out.length = 0;
        }
      }
    }
  }

  /** The j-th of n times in the day (each in its own n-th of the day): they come out sorted. */
  private stratified(dayStart: number, j: number, n: number): number {
    return dayStart + Math.floor(((j + this.rng.next()) / n) * DAY_MS);
  }

  /** Queues an action for later; actions at or after the end of the history never happen. */
  private schedule(action: DistributiveOmit<Action, 'seq'>): void {
    if (action.t >= this.end) return;
    this.queue.push({ ...action, seq: this.seq++ });
  }

  private perform(action: Action): void {
    switch (action.kind) {
      case 'session':
        return this.startSession(action.user, action.t, action.active);
      case 'session-end': {
        const at = this.emit(
          'session.ended',
          {
            session_id: action.sessionId,
            user_id: this.userId(action.user),
            ended_at: iso(action.t),
            reason: action.reason,
          },
          action.t,
          this.correlation(),
        );
        if (action.reason === 'logout') {
          this.virtualPet?.signedOut(
            action.user,
            action.sessionId,
            at,
            action.ip,
            action.userAgent,
          );
        }
        return;
      }
      case 'block':
        if (this.virtualPet?.disablesInstead(action.user) === true) {
          return this.disable(action.user, action.t);
        }
        this.emit(
          'user.blocked',
          {
            user_id: this.userId(action.user),
            blocked_by: ADMIN_ID,
            reason: this.traits.pick(BLOCK_REASONS, P.blockReason, action.user),
          },
          action.t,
          this.correlation(),
        );
        return;
      case 'budget-create':
        return this.createBudget(action.spec, action.t);
      case 'budget-status': {
        const { spec, t } = action;
        const before = this.statusAt(spec, t - 1);
        this.emit(
          'budget.updated',
          { budget: this.budgetResource(spec, t), old_values: { status: before } },
          t,
          this.correlation(),
        );
        return;
      }
      case 'budget-delete':
        this.emit(
          'budget.deleted',
          {
            budget_id: this.budgetId(action.spec),
            user_id: this.userId(action.spec.userIndex),
            deleted_at: iso(action.t),
          },
          action.t,
          this.correlation(),
        );
        return;
      case 'transaction-update':
        return this.updateTransaction(action.tx, action.t);
      case 'transaction-delete':
        return this.deleteTransaction(action.tx, action.t);
      case 'period-reset':
        return this.resetPeriod(action);
    }
  }

  /** Emits an envelope at `t` (or just after the previous event); returns the time it got. */
  private emit<K extends EnvelopeType>(
    type: K,
    data: EventData<K>,
    t: number,
    correlationId: string,
  ): number {
    const timestamp = this.stamp(t);
    this.push(
      makeEnvelope(type, data, {
        eventId: this.ids.event.make(this.eventCount++),
        timestamp: iso(timestamp),
        correlationId,
      }),
    );
    return timestamp;
  }

  /** The time of the next event, wanted at `t`: timestamps strictly increase (consumers order by them). */
  stamp(t: number): number {
    const timestamp = t > this.lastTimestamp ? t : this.lastTimestamp + 1;
    this.lastTimestamp = timestamp;
    return timestamp;
  }

  push(message: OutboxEvent): void {
    this.out.push(message);
  }

  private correlation(): string {
    return this.ids.correlation.make(this.correlationCount++);
  }

  // --- users ----------------------------------------------------------------------------------------------

  private registeredBefore(day: number): number {
    return day === 0 ? KNOWN : (this.firstSignup[day] as number);
  }

  /** How many users had registered before the day of `t` began. */
  registeredBy(t: number): number {
    return this.registeredBefore(Math.min(this.days - 1, Math.floor((t - this.start) / DAY_MS)));
  }

  /** Registration time of user `u`: the known accounts at the start, the others stratified in their day. */
  registeredAt(u: number): number {
    if (u < KNOWN) return this.start;
    let low = 0;
    let high = this.days - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.firstSignup[mid] as number) <= u) low = mid;
      else high = mid - 1;
    }
    const first = Math.max(KNOWN, this.firstSignup[low] as number);
    const count = (this.firstSignup[low + 1] as number) - first;
    const position = (u - first + this.traits.unit(P.jitter, u)) / count;
    return this.start + low * DAY_MS + Math.floor(position * DAY_MS);
  }

  userId(u: number): string {
    return u < KNOWN ? (KNOWN_ACCOUNTS[u] as { id: string }).id : this.ids.user.make(u);
  }

  email(u: number): string {
    return u < KNOWN
      ? (KNOWN_ACCOUNTS[u] as { email: string }).email
      : person(this.traits, u).email;
  }

  /**
   * When user `u` gets blocked (or, with virtual-pet, for some of them, disabled): from then on they
   * do nothing. Infinity for never (within the history).
   */
  blockedAt(u: number): number {
    if (u < KNOWN || this.traits.unit(P.blocked, u) >= BLOCKED_SHARE) return Infinity;
    const at =
      this.registeredAt(u) +
      2 * DAY_MS +
      Math.floor(this.traits.unit(P.blockedAt, u) * 58 * DAY_MS);
    return at < this.end ? at : Infinity;
  }

  /** A registered user not blocked before `until` (or, rarely, nobody: the caller skips the action). */
  private pickUser(population: number, until: number): number | undefined {
    return this.pickActiveUser(population, until, this.rng);
  }

  pickActiveUser(population: number, until: number, rng: Sfc32): number | undefined {
    for (let attempt = 0; attempt < 8; attempt++) {
      const u = rng.int(population);
      if (this.blockedAt(u) > until) return u;
    }
    return undefined;
  }

  private userResource(u: number, t: number): UserResource {
    const at = iso(t);
    if (u < KNOWN) {
      const account = KNOWN_ACCOUNTS[u] as (typeof KNOWN_ACCOUNTS)[number];
      return { ...account, state: 'Active', created_at: at, updated_at: at };
    }
    const { email, name } = person(this.traits, u);
    const r = this.traits.unit(P.role, u);
    const role: UserRole = r < 0.001 ? 'Admin' : r < 0.006 ? 'Staff' : 'Customer';
    return {
      id: this.userId(u),
      email,
      name,
      role,
      state: 'Active',
      created_at: at,
      updated_at: at,
    };
  }

  private signUp(u: number, t: number): void {
    const at = this.emit('user.created', { user: this.userResource(u, t) }, t, this.correlation());
    this.virtualPet?.registered(u, at);
    // People log in right after signing up.
    this.schedule({
      kind: 'session',
      t: t + 5_000 + Math.floor(this.rng.next() * 10 * MINUTE),
      user: u,
      active: false,
    });
    const blockedAt = this.blockedAt(u);
    if (blockedAt < this.end) this.schedule({ kind: 'block', t: blockedAt, user: u });
    for (const spec of this.budgetSpecs(u)) {
      this.schedule({ kind: 'budget-create', t: spec.createdAt, spec });
    }
  }

  // --- sessions --------------------------------------------------------------------------------------------

  private startSession(u: number, t: number, active: boolean): void {
    const sessionId = this.ids.session.make(this.sessionCount++);
    const ip = `${IP_PREFIXES[this.rng.int(IP_PREFIXES.length)] ?? ''}.${1 + this.rng.int(254)}`;
    const userAgent = USER_AGENTS[this.rng.int(USER_AGENTS.length)] ?? null;
    const at = this.emit(
      'session.created',
      {
        session_id: sessionId,
        user_id: this.userId(u),
        created_at: iso(t),
        expires_at: iso(t + SESSION_TTL),
        ip,
        user_agent: userAgent,
      },
      t,
      this.correlation(),
    );
    this.virtualPet?.signedIn(u, sessionId, at, ip, userAgent);
    if (active) return;
    const logsOut = this.rng.next() < 0.85;
    this.schedule({
      kind: 'session-end',
      t: logsOut ? t + 2 * MINUTE + Math.floor(this.rng.next() * 3 * HOUR) : t + SESSION_TTL,
      user: u,
      sessionId,
      reason: logsOut ? 'logout' : 'expired',
      ip,
      userAgent,
    });
  }

  /** With virtual-pet, some of the users the admin stops are disabled rather than blocked. */
  private disable(u: number, t: number): void {
    const at = this.emit(
      'user.disabled',
      {
        user_id: this.userId(u),
        disabled_by: ADMIN_ID,
        reason: this.traits.pick(DISABLE_REASONS, P.blockReason, u),
      },
      t,
      this.correlation(),
    );
    this.virtualPet?.disabled(u, at, ADMIN_ID);
  }

  /** About a tenth of the users (never blocked ones) have a session opened in the last day, still open. */
  private scheduleActiveSessions(lastDayStart: number): void {
    for (let u = 0; u < this.totalUsers; u++) {
      if (this.traits.unit(P.active, u) >= ACTIVE_SESSION_SHARE) continue;
      if (this.blockedAt(u) !== Infinity) continue;
      const from = Math.max(this.registeredAt(u) + MINUTE, lastDayStart);
      const t = from + Math.floor(this.traits.unit(P.activeAt, u) * (this.end - from));
      if (t < this.end) this.schedule({ kind: 'session', t, user: u, active: true });
    }
  }

  // --- transactions ----------------------------------------------------------------------------------------

  private transactionResource(tx: TransactionState, t: number): TransactionResource {
    return {
      id: tx.id,
      user_id: this.userId(tx.userIndex),
      amount: centsToDecimal(tx.cents),
      description: tx.description,
      date: iso(tx.date),
      transaction_type: tx.category.type,
      category_id: tx.category.id,
      category_name: tx.category.name,
      reviewed_at: null,
      reviewed_by: null,
      review_note: null,
      created_at: iso(tx.date),
      updated_at: iso(t),
    };
  }

  private amountFor(category: Category): number {
    // Log-uniform: small amounts are more common than large ones.
    const { minCents, maxCents } = category;
    return Math.round(Math.exp(this.rng.between(Math.log(minCents), Math.log(maxCents))));
  }

  private createTransaction(population: number, t: number): void {
    // A blocked user cannot transact; if the draws keep hitting blocked users, the oldest customer does.
    const user = this.pickUser(population, t) ?? KNOWN_CUSTOMER;
    const category =
      this.rng.next() < INCOME_SHARE
        ? weightedPick(INCOME_CATEGORIES, this.rng.next())
        : weightedPick(EXPENSE_CATEGORIES, this.rng.next());
    const tx: TransactionState = {
      id: this.ids.transaction.make(this.transactionCount++),
      userIndex: user,
      cents: this.amountFor(category),
      category,
      description: category.merchants[this.rng.int(category.merchants.length)] ?? category.name,
      date: t,
    };
    const correlationId = this.correlation();
    this.emit(
      'transaction.created',
      { transaction: this.transactionResource(tx, t) },
      t,
      correlationId,
    );
    this.changeSpent(tx.userIndex, [{ category, date: t, cents: tx.cents }], t, correlationId);

    const fate = this.rng.next();
    if (fate < UPDATED_SHARE + DELETED_SHARE) {
      const at = t + HOUR + Math.floor(this.rng.next() * 7 * DAY_MS);
      this.schedule({
        kind: fate < UPDATED_SHARE ? 'transaction-update' : 'transaction-delete',
        t: at,
        tx,
      });
    }
  }

  private updateTransaction(before: TransactionState, t: number): void {
    const after = { ...before };
    const old: Record<string, unknown> = {};
    const change = this.rng.next();
    if (change < 0.5) {
      after.cents = Math.max(1, Math.round(before.cents * this.rng.between(0.5, 1.5)));
      old.amount = centsToDecimal(before.cents);
    } else if (change < 0.8) {
      const merchants = before.category.merchants;
      after.description = `${merchants[this.rng.int(merchants.length)] ?? before.description} (corrected)`;
      old.description = before.description;
    } else {
      const siblings = (
        before.category.type === 'INCOME' ? INCOME_CATEGORIES : EXPENSE_CATEGORIES
      ).filter((c) => c !== before.category);
      after.category = siblings[this.rng.int(siblings.length)] ?? before.category;
      old.category_id = before.category.id;
      old.category_name = before.category.name;
    }
    const correlationId = this.correlation();
    this.emit(
      'transaction.updated',
      { transaction: this.transactionResource(after, t), old_values: old },
      t,
      correlationId,
    );
    this.changeSpent(
      before.userIndex,
      [
        { category: before.category, date: before.date, cents: -before.cents },
        { category: after.category, date: after.date, cents: after.cents },
      ],
      t,
      correlationId,
    );
  }

  private deleteTransaction(tx: TransactionState, t: number): void {
    const correlationId = this.correlation();
    this.emit(
      'transaction.deleted',
      { transaction_id: tx.id, user_id: this.userId(tx.userIndex), deleted_at: iso(t) },
      t,
      correlationId,
    );
    this.changeSpent(
      tx.userIndex,
      [{ category: tx.category, date: tx.date, cents: -tx.cents }],
      t,
      correlationId,
    );
  }

  // --- budgets ---------------------------------------------------------------------------------------------

  /** User `u`'s budgets (0–3; none without money-planner), a pure function of the seed and `u`. */
  private budgetSpecs(u: number): BudgetSpec[] {
    if (!this.moneyPlanner) return [];
    const r = this.traits.unit(P.budgets, u);
    const count = r < 0.3 ? 0 : r < 0.65 ? 1 : r < 0.9 ? 2 : 3;
    if (count === 0) return [];
    const registeredAt = this.registeredAt(u);
    const firstCategory = Math.floor(this.traits.unit(P.budgetBase, u) * BUDGET_CATEGORIES.length);
    const specs: BudgetSpec[] = [];
    for (let slot = 0; slot < count; slot++) {
      const base = P.budgetBase + slot * 8;
      const rp = this.traits.unit(base + 1, u);
      const period: PeriodType = rp < 0.75 ? 'MONTHLY' : rp < 0.9 ? 'WEEKLY' : 'YEARLY';
      // Slots 0, 1, 2 take categories 3 apart in the list: never the same one twice.
      const category =
        this.traits.unit(base + 2, u) < 0.3
          ? null
          : (BUDGET_CATEGORIES[(firstCategory + slot * 3) % BUDGET_CATEGORIES.length] as Category);
      const [low, high] = category?.monthlyBudget ?? [1_500, 4_000];
      const monthly = low + this.traits.unit(base + 3, u) * (high - low);
      const scaled =
        period === 'WEEKLY' ? monthly / 4 : period === 'YEARLY' ? monthly * 12 : monthly;
      const createdAt =
        registeredAt + MINUTE + Math.floor(this.traits.unit(base + 4, u) * 21 * DAY_MS);
      const draft = this.traits.unit(base + 5, u) < 0.2;
      const fate = this.traits.unit(base + 6, u);
      const later = this.traits.unit(base + 7, u);
      specs.push({
        slot,
        userIndex: u,
        period,
        category,
        amountCents: Math.max(1, Math.round(scaled / 10)) * 1_000,
        createdAt,
        initialStatus: draft ? 'DRAFT' : 'ACTIVE',
        activatedAt:
          draft && later < 0.6 ? createdAt + DAY_MS + Math.floor(later * 9 * DAY_MS) : Infinity,
        deletedAt:
          fate < 0.04 ? createdAt + 7 * DAY_MS + Math.floor(later * 113 * DAY_MS) : Infinity,
        archivedAt:
          fate >= 0.04 && fate < 0.16
            ? createdAt + 30 * DAY_MS + Math.floor(later * 150 * DAY_MS)
            : Infinity,
      });
    }
    return specs;
  }

  private statusAt(spec: BudgetSpec, t: number): BudgetStatus {
    if (t >= spec.archivedAt) return 'ARCHIVED';
    if (t >= spec.activatedAt) return 'ACTIVE';
    return spec.initialStatus;
  }

  private exists(spec: BudgetSpec, t: number): boolean {
    return spec.createdAt <= t && t < spec.deletedAt;
  }

  private budgetId(spec: BudgetSpec): string {
    return this.ids.budget.make(spec.userIndex * SLOTS + spec.slot);
  }

  private budgetResource(spec: BudgetSpec, t: number): BudgetResource {
    const slot = spec.userIndex * SLOTS + spec.slot;
    const label =
      spec.period === 'WEEKLY' ? 'Weekly' : spec.period === 'YEARLY' ? 'Yearly' : 'Monthly';
    return {
      id: this.budgetId(spec),
      user_id: this.userId(spec.userIndex),
      name: `${label} ${spec.category?.name ?? 'Essentials'}`,
      amount: centsToDecimal(spec.amountCents),
      period_type: spec.period,
      status: this.statusAt(spec, t),
      spent: centsToDecimal(this.spentCents[slot] as number),
      category_id: spec.category?.id ?? null,
      category_name: spec.category?.name ?? null,
      period_start: iso(this.spentPeriod[slot] as number),
      created_at: iso(spec.createdAt),
      updated_at: iso(t),
    };
  }

  private createBudget(spec: BudgetSpec, t: number): void {
    // The slot has tracked the user's matching expenses all along; a new period means nothing yet.
    const slot = spec.userIndex * SLOTS + spec.slot;
    const current = periodStart(spec.period, t);
    if (this.spentPeriod[slot] !== current) {
      this.spentPeriod[slot] = current;
      this.spentCents[slot] = 0;
    }
    this.emit('budget.created', { budget: this.budgetResource(spec, t) }, t, this.correlation());
    for (const [kind, at] of [
      ['budget-status', spec.activatedAt],
      ['budget-status', spec.archivedAt],
      ['budget-delete', spec.deletedAt],
    ] as const) {
      if (at < spec.deletedAt || kind === 'budget-delete') this.schedule({ kind, t: at, spec });
    }
  }

  /**
   * Applies expense changes (signed cents) to the user's budgets, as the Budget Service does: only
   * EXPENSEs dated in a budget's current period count; each budget whose figure changes gets one
   * budget.updated.
   */
  private changeSpent(
    u: number,
    changes: readonly { category: Category; date: number; cents: number }[],
    t: number,
    correlationId: string,
  ): void {
    // All versions share one type (corrections never change it): incomes touch no budget.
    if (changes[0]?.category.type !== 'EXPENSE') return;
    for (const spec of this.budgetSpecs(u)) {
      const current = periodStart(spec.period, t);
      let delta = 0;
      for (const change of changes) {
        if (spec.category !== null && spec.category !== change.category) continue;
        if (periodStart(spec.period, change.date) !== current) continue;
        delta += change.cents;
      }
      if (delta === 0) continue;
      const slot = u * SLOTS + spec.slot;
      const before = this.spentCents[slot] as number;
      if (this.spentPeriod[slot] !== current) {
        this.spentPeriod[slot] = current;
        this.spentCents[slot] = 0;
      }
      this.spentCents[slot] = (this.spentCents[slot] as number) + delta;
      if (this.exists(spec, t)) {
        this.emit(
          'budget.updated',
          { budget: this.budgetResource(spec, t), old_values: { spent: centsToDecimal(before) } },
          t,
          correlationId,
        );
      }
    }
  }

  /**
   * A new period of `period` starts at `t`: budgets still showing last period's figure go back to 0.
   * Users are visited a thousand at a time, the rest in a continuation at the same instant, so the
   * events of one reset (up to one per budget) are yielded as they come rather than piling up.
   */
  private resetPeriod(action: Extract<Action, { kind: 'period-reset' }>): void {
    const { period, t, correlationId } = action;
    let u = action.fromUser;
    for (const last = u + 1_000; u < last && u < this.totalUsers && this.registeredAt(u) < t; u++) {
      for (const spec of this.budgetSpecs(u)) {
        if (spec.period !== period || !this.exists(spec, t)) continue;
        const slot = u * SLOTS + spec.slot;
        if (this.spentPeriod[slot] === t) continue;
        const before = this.spentCents[slot] as number;
        this.spentPeriod[slot] = t;
        this.spentCents[slot] = 0;
        if (before !== 0) {
          this.emit(
            'budget.updated',
            { budget: this.budgetResource(spec, t), old_values: { spent: centsToDecimal(before) } },
            t,
            correlationId,
          );
        }
      }
    }
    if (u < this.totalUsers && this.registeredAt(u) < t) {
      this.schedule({ ...action, fromUser: u });
    }
  }
}
