import { DEFAULT_PACKS, type PackName } from '@backoffice/contracts';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../db/schema.ts';
import {
  BUDGET_CATEGORIES,
  CATEGORIES,
  EXPENSE_CATEGORIES,
  INCOME_CATEGORIES,
  type Category,
} from '../domain/categories.ts';
import { centsToDecimal, decimalToCents } from '../domain/money.ts';
import type { PeriodType } from '../domain/periods.ts';
import {
  ADOPTED_SHARE,
  CURRENCY_SHARES,
  METHOD_SHARES,
  PET_NAMES,
  REFUND_REASONS,
  SHOP_ITEMS,
  SPECIES_SHARES,
  pickWeighted,
  visit,
} from '../domain/virtual-pet.ts';
import { person } from '../generator/generator.ts';
import { IP_PREFIXES, USER_AGENTS } from '../generator/names.ts';
import { Traits } from '../generator/prng.ts';
import type { ClientInfo } from '../platform/context.ts';
import { AppError, UnauthorizedError } from '../platform/errors.ts';
import type { Services } from '../services/index.ts';
import { Rhythm, ratesFromHistory, runsWith, type Action } from './rhythm.ts';
import { TrafficRepository } from './traffic.repository.ts';

/** At a fixed rate (`--rate <n>`): what live users do, with relative weights (of the packs running). */
const WEIGHTS: readonly (readonly [Action, number])[] = [
  ['transaction', 55],
  ['login', 10],
  ['logout', 8],
  ['sign-up', 5],
  ['transaction-correction', 5],
  ['transaction-deletion', 2],
  ['budget-change', 8],
  ['budget-creation', 3],
  ['budget-deletion', 1],
  ['failed-login', 1],
  ['pet-creation', 3],
  ['pet-care', 15],
  ['pet-transfer', 1],
  ['pet-deletion', 1],
  ['payment', 8],
  ['payment-refund', 1],
];

/** How much recent history the live rhythm is taken from. */
const HISTORY_DAYS = 7;

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}

function pickAction(weights: readonly (readonly [Action, number])[], total: number): Action {
  let x = Math.random() * total;
  for (const [action, weight] of weights) {
    x -= weight;
    if (x < 0) return action;
  }
  return (weights.at(-1) as readonly [Action, number])[0];
}

/** Where a live user signs in from. */
function someClient(): ClientInfo {
  return {
    ip: `${pick(IP_PREFIXES)}.${1 + Math.floor(Math.random() * 254)}`,
    userAgent: pick(USER_AGENTS),
  };
}

function amountFor(category: Category): string {
  const cents = Math.exp(
    Math.log(category.minCents) +
      Math.random() * (Math.log(category.maxCents) - Math.log(category.minCents)),
  );
  return centsToDecimal(Math.round(cents));
}

/**
 * Live traffic (sign-ups, logins, logouts, transactions, corrections, budget changes; with virtual-pet,
 * failed sign-ins, pets created, cared for, given away and deleted, payments and refunds), performed
 * through the same service methods as the HTTP routes, so their events reach the outbox the normal way.
 * Each action emits one event or more (an expense usually also updates a budget); payments settle a
 * little later, in the sweep (PaymentsService.settleDue).
 *
 * With `rate: 'history'` it goes on as the generated history left off: as many actions of each kind
 * per hour of the day as an average day of the last week of history had, so "today" on a dashboard
 * reads like any other day. A number is a fixed rate in actions per second (tests, benchmarks).
 * Randomness here is Math.random: live traffic need not repeat.
 */
export class Traffic {
  private readonly picks: TrafficRepository;
  private readonly traits: Traits;
  private readonly packs: readonly PackName[];
  private readonly weights: readonly (readonly [Action, number])[];
  private readonly totalWeight: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private performed = 0;

  constructor(
    private readonly options: {
      db: Kysely<DB>;
      services: Services;
      rate: number | 'history';
      /** The generated history's seed: live sign-ups are more of its people. */
      seed: number;
      password: string;
      logger: Logger;
      /** The platforms played; default money-planner. */
      packs?: readonly PackName[];
    },
  ) {
    this.picks = new TrafficRepository(options.db);
    this.traits = new Traits(options.seed);
    this.packs = options.packs ?? DEFAULT_PACKS;
    this.weights = WEIGHTS.filter(([action]) => runsWith(action, this.packs));
    this.totalWeight = this.weights.reduce((sum, [, weight]) => sum + weight, 0);
  }

  async start(): Promise<void> {
    const { rate } = this.options;
    if (rate === 'history') {
      const rhythm = new Rhythm(
        ratesFromHistory(await this.picks.history(HISTORY_DAYS), HISTORY_DAYS, this.packs),
        Math.random,
      );
      this.options.logger.info(
        { actionsPerDay: Math.round(rhythm.perDay) },
        'live traffic follows the history’s daily rhythm',
      );
      this.followRhythm(rhythm);
    } else if (rate > 0) this.next(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  get actionsPerformed(): number {
    return this.performed;
  }

  private next(delayMs: number): void {
    if (this.stopped || this.options.rate === 'history') return;
    const rate = this.options.rate;
    this.timer = setTimeout(() => {
      const started = performance.now();
      this.running = this.perform(pickAction(this.weights, this.totalWeight)).then(() => {
        this.next(Math.max(0, 1000 / rate - (performance.now() - started)));
      });
    }, delayMs);
  }

  private followRhythm(rhythm: Rhythm): void {
    if (this.stopped) return;
    const next = rhythm.next(Date.now());
    if (next === undefined) return;
    this.timer = setTimeout(
      () => {
        this.running = this.perform(next.action).then(() => this.followRhythm(rhythm));
      },
      Math.max(0, next.at - Date.now()),
    );
  }

  /** One action; failures are logged and skipped (the traffic never stops on them). */
  async perform(action: Action): Promise<void> {
    const context = { correlationId: randomUUID() };
    try {
      await this.act(action, context);
      this.performed++;
    } catch (error) {
      // Expected refusals (a user signed up with their own password, a race with a deletion…) are noise.
      const level = error instanceof AppError ? 'debug' : 'warn';
      this.options.logger[level]({ err: error, action }, 'traffic action skipped');
    }
  }

  private async act(action: Action, context: { correlationId: string }): Promise<void> {
    const { users, transactions, budgets, pets, payments } = this.options.services;
    switch (action) {
      case 'transaction': {
        const user = await this.picks.activeUser();
        if (user === undefined) return;
        const category = Math.random() < 0.1 ? pick(INCOME_CATEGORIES) : pick(EXPENSE_CATEGORIES);
        await transactions.create(
          {
            userId: user.id,
            categoryId: category.id,
            amount: amountFor(category),
            description: pick(category.merchants),
          },
          context,
        );
        return;
      }
      case 'login': {
        const user = await this.picks.activeUser();
        if (user === undefined) return;
        await users.login(
          { email: user.email, password: this.options.password },
          someClient(),
          context,
        );
        return;
      }
      case 'failed-login': {
        const user = await this.picks.activeUser();
        if (user === undefined) return;
        try {
          await users.login(
            { email: user.email, password: `${this.options.password}!` },
            someClient(),
            context,
          );
        } catch (error) {
          // The refusal is the point (the identity provider's LOGIN_ERROR).
          if (!(error instanceof UnauthorizedError)) throw error;
        }
        return;
      }
      case 'logout': {
        const session = await this.picks.activeSession();
        if (session !== undefined) await users.logout(session.id, context);
        return;
      }
      case 'sign-up': {
        // The next person of the seeded world: same names, email styles and domains as the history.
        const { email, name } = person(this.traits, await this.picks.userCount());
        await users.signUp(
          { email, password: this.options.password, name },
          { ...context, client: someClient() },
        );
        return;
      }
      case 'transaction-correction': {
        const transaction = await this.picks.transaction();
        if (transaction === undefined) return;
        const siblings = CATEGORIES.filter((c) => c.type === transaction.transaction_type);
        // Moving a transaction to the category it has would correct nothing.
        const others = siblings.filter((c) => c.id !== transaction.category_id);
        await transactions.update(
          transaction.id,
          Math.random() < 0.7
            ? { amount: amountFor(pick(siblings)) }
            : { categoryId: pick(others).id },
          context,
        );
        return;
      }
      case 'transaction-deletion': {
        const transaction = await this.picks.transaction();
        if (transaction !== undefined) await transactions.delete(transaction.id, context);
        return;
      }
      case 'budget-change': {
        const budget = await this.picks.budget();
        if (budget === undefined) return;
        const nextStatus = { DRAFT: 'ACTIVE', ACTIVE: 'ARCHIVED', ARCHIVED: 'ACTIVE' } as const;
        const cents = decimalToCents(budget.amount);
        const rounded = Math.max(
          1_000,
          Math.round((cents * (0.8 + Math.random() * 0.4)) / 1_000) * 1_000,
        );
        // Rounding often lands on the amount the budget has, and an update to it changes nothing
        // and emits nothing: move one step instead.
        const amount = centsToDecimal(rounded === cents ? cents + 1_000 : rounded);
        await budgets.update(
          budget.id,
          Math.random() < 0.6 ? { amount } : { status: nextStatus[budget.status] },
          context,
        );
        return;
      }
      case 'budget-creation': {
        const user = await this.picks.activeUser();
        if (user === undefined || (await this.picks.budgetCount(user.id)) >= 3) return;
        const category = Math.random() < 0.3 ? null : pick(BUDGET_CATEGORIES);
        const periodType: PeriodType = pick(['MONTHLY', 'MONTHLY', 'MONTHLY', 'WEEKLY', 'YEARLY']);
        const [low, high] = category?.monthlyBudget ?? [1_500, 4_000];
        const monthly = low + Math.random() * (high - low);
        const scale = periodType === 'WEEKLY' ? 0.25 : periodType === 'YEARLY' ? 12 : 1;
        await budgets.create(
          {
            userId: user.id,
            name: `${periodType.charAt(0)}${periodType.slice(1).toLowerCase()} ${category?.name ?? 'Essentials'}`,
            amount: centsToDecimal(Math.max(1, Math.round((monthly * scale) / 10)) * 1_000),
            periodType,
            categoryId: category?.id ?? null,
            status: Math.random() < 0.8 ? 'ACTIVE' : 'DRAFT',
          },
          context,
        );
        return;
      }
      case 'budget-deletion': {
        const budget = await this.picks.budget();
        if (budget !== undefined) await budgets.delete(budget.id, context);
        return;
      }
      case 'pet-creation': {
        const user = await this.picks.activeUser();
        if (user === undefined || (await this.picks.petCount(user.id)) >= 3) return;
        await pets.create(
          {
            owner_id: user.id,
            name: pick(PET_NAMES),
            species: pickWeighted(SPECIES_SHARES, Math.random()),
            adopted: Math.random() < ADOPTED_SHARE,
            level: 1,
            health: 100,
            happiness: 100,
          },
          context,
        );
        return;
      }
      case 'pet-care': {
        const pet = await this.picks.pet();
        if (pet !== undefined) await pets.update(pet.id, visit(pet, Math.random), context);
        return;
      }
      case 'pet-transfer': {
        const pet = await this.picks.pet();
        const to = pet === undefined ? undefined : await this.picks.activeUser(pet.owner_id);
        if (pet !== undefined && to !== undefined) await pets.transfer(pet.id, to.id, context);
        return;
      }
      case 'pet-deletion': {
        const pet = await this.picks.pet();
        if (pet !== undefined) await pets.delete(pet.id, context);
        return;
      }
      case 'payment': {
        const user = await this.picks.activeUser();
        if (user === undefined) return;
        const item = pickWeighted(SHOP_ITEMS, Math.random());
        await payments.initiate(
          {
            user_id: user.id,
            amount: centsToDecimal(item.cents),
            currency: pickWeighted(CURRENCY_SHARES, Math.random()),
            method: pickWeighted(METHOD_SHARES, Math.random()),
            description: item.description,
          },
          context,
        );
        return;
      }
      case 'payment-refund': {
        const payment = await this.picks.succeededPayment();
        if (payment !== undefined) await payments.refund(payment.id, pick(REFUND_REASONS), context);
        return;
      }
    }
  }
}
