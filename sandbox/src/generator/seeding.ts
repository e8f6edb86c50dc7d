import type { Insertable, Kysely } from 'kysely';
import type {
  BudgetsTable,
  DB,
  PaymentsTable,
  PetsTable,
  SessionEndReason,
  SessionsTable,
  TransactionsTable,
  UsersTable,
  UserState,
} from '../db/schema.ts';
import { isEnvelope, type OutboxEvent } from '../outbox/events.ts';
import { appendToOutbox } from '../outbox/outbox.repository.ts';
import type { BudgetResource } from '../services/budgets/budgets.schemas.ts';
import type { PaymentResource } from '../services/payments/payments.schemas.ts';
import type { PetResource } from '../services/pets/pets.schemas.ts';
import type { TransactionResource } from '../services/transactions/transactions.schemas.ts';
import type { UserResource } from '../services/users/users.schemas.ts';
import { generateEvents, type GenerateOptions } from './generator.ts';
import { SeedingRepository } from './seeding.repository.ts';

/** Events folded per round of bulk statements. */
const EVENTS_PER_ROUND = 5_000;

export interface SeedResult {
  seeded: boolean;
  events: number;
}

/**
 * Fills an empty sandbox with the generated history (of the packs in `options`): the services' rows as
 * the events leave them, and the events themselves in the outbox (so the backoffice builds its read
 * model from them, as in production). It all happens in one transaction, and only when the database has no users: a sandbox
 * seeds on its first start only, and a crash half-way leaves it empty rather than half-seeded.
 *
 * Every seeded user gets `passwordHash` (the sandbox password, hashed once: hashing per user would take
 * minutes).
 */
export async function seedIfEmpty(
  db: Kysely<DB>,
  options: GenerateOptions & { passwordHash: string },
): Promise<SeedResult> {
  return db.transaction().execute(async (trx) => {
    const repository = new SeedingRepository(trx);
    await repository.lock();
    if (await repository.hasUsers()) return { seeded: false, events: 0 };
    let round = new Round(options.passwordHash);
    let events = 0;
    for (const event of generateEvents(options)) {
      round.add(event);
      events++;
      if (round.size >= EVENTS_PER_ROUND) {
        await round.write(trx);
        round = new Round(options.passwordHash);
      }
    }
    await round.write(trx);
    return { seeded: true, events };
  });
}

/**
 * One batch of events folded into row changes. An entity created in the batch is written once, in its
 * final state; one created earlier gets an upsert (full state) or a partial update (state changes).
 */
class Round {
  private readonly events: OutboxEvent[] = [];
  private readonly users = new Map<string, Insertable<UsersTable>>();
  private readonly userStates = new Map<string, { id: string; state: UserState; at: string }>();
  private readonly sessions = new Map<string, Insertable<SessionsTable>>();
  private readonly sessionEnds: { id: string; endedAt: string; reason: SessionEndReason }[] = [];
  private readonly transactions = new Map<string, Insertable<TransactionsTable>>();
  private readonly deletedTransactions: string[] = [];
  private readonly budgets = new Map<string, Insertable<BudgetsTable>>();
  private readonly deletedBudgets: string[] = [];
  private readonly pets = new Map<string, Insertable<PetsTable>>();
  private readonly deletedPets: { id: string; at: string }[] = [];
  private readonly payments = new Map<string, Insertable<PaymentsTable>>();

  constructor(private readonly passwordHash: string) {}

  get size(): number {
    return this.events.length;
  }

  add(event: OutboxEvent): void {
    this.events.push(event);
    // Keycloak's messages report what the User Service's events already say.
    if (!isEnvelope(event)) return;
    switch (event.event_type) {
      case 'user.created':
      case 'user.updated': {
        const user = event.data.user as UserResource;
        this.userStates.delete(user.id);
        this.users.set(user.id, { ...user, password_hash: this.passwordHash });
        return;
      }
      case 'user.blocked':
        return this.setUserState(event.data.user_id, 'Blocked', event.timestamp);
      case 'user.unblocked':
      case 'user.enabled':
        return this.setUserState(event.data.user_id, 'Active', event.timestamp);
      case 'user.disabled':
        return this.setUserState(event.data.user_id, 'Disabled', event.timestamp);
      case 'session.created': {
        const s = event.data;
        this.sessions.set(s.session_id, {
          id: s.session_id,
          user_id: s.user_id,
          created_at: s.created_at,
          expires_at: s.expires_at ?? s.created_at,
          ip: s.ip ?? null,
          user_agent: s.user_agent ?? null,
        });
        return;
      }
      case 'session.ended': {
        const { session_id: id, ended_at: endedAt, reason = 'logout' } = event.data;
        const created = this.sessions.get(id);
        if (created === undefined) this.sessionEnds.push({ id, endedAt, reason });
        else this.sessions.set(id, { ...created, ended_at: endedAt, end_reason: reason });
        return;
      }
      case 'transaction.created':
      case 'transaction.updated': {
        const tx = event.data.transaction as TransactionResource;
        this.transactions.set(tx.id, tx);
        return;
      }
      case 'transaction.deleted':
        this.transactions.delete(event.data.transaction_id);
        this.deletedTransactions.push(event.data.transaction_id);
        return;
      case 'budget.created':
      case 'budget.updated': {
        const { category_name: _, ...budget } = event.data.budget as BudgetResource;
        this.budgets.set(budget.id, budget);
        return;
      }
      case 'budget.deleted':
        this.budgets.delete(event.data.budget_id);
        this.deletedBudgets.push(event.data.budget_id);
        return;
      case 'pet.created':
      case 'pet.updated':
      case 'pet.adopted':
      case 'pet.transferred': {
        const pet = event.data.pet as PetResource;
        this.pets.set(pet.id, pet);
        return;
      }
      case 'pet.deleted': {
        const id = event.data.pet_id;
        const at = event.data.deleted_at ?? event.timestamp;
        const created = this.pets.get(id);
        if (created === undefined) this.deletedPets.push({ id, at });
        else this.pets.set(id, { ...created, deleted_at: at, updated_at: at });
        return;
      }
      case 'payment.initiated':
      case 'payment.succeeded':
      case 'payment.failed':
      case 'payment.refunded': {
        const payment = event.data.payment as PaymentResource;
        this.payments.set(payment.id, payment);
        return;
      }
    }
  }

  private setUserState(id: string, state: UserState, at: string): void {
    const created = this.users.get(id);
    if (created === undefined) this.userStates.set(id, { id, state, at });
    else this.users.set(id, { ...created, state, updated_at: at });
  }

  /** Rows first (in dependency order), then the events. */
  async write(db: Kysely<DB>): Promise<void> {
    const repository = new SeedingRepository(db);
    await repository.upsertUsers([...this.users.values()]);
    await repository.setUserStates([...this.userStates.values()]);
    await repository.insertSessions([...this.sessions.values()]);
    await repository.endSessions(this.sessionEnds);
    await repository.upsertTransactions([...this.transactions.values()]);
    await repository.deleteTransactions(this.deletedTransactions);
    await repository.upsertBudgets([...this.budgets.values()]);
    await repository.deleteBudgets(this.deletedBudgets);
    await repository.upsertPets([...this.pets.values()]);
    await repository.markPetsDeleted(this.deletedPets);
    await repository.upsertPayments([...this.payments.values()]);
    await appendToOutbox(db, this.events);
  }
}
