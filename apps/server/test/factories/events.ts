import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@backoffice/contracts';

/**
 * Envelopes as the platform's services publish them. Each factory takes the entity's fields and an
 * optional `at` (event timestamp); ids are random unless given.
 */
let clock = Date.parse('2026-01-01T00:00:00Z');
/** Strictly increasing timestamps, so events made one after another are ordered. */
export function tick(ms = 1000): string {
  clock += ms;
  return new Date(clock).toISOString();
}

function envelope(
  eventType: string,
  data: Record<string, unknown>,
  source: string,
  at?: string,
): EventEnvelope {
  return {
    event_id: randomUUID(),
    event_type: eventType,
    timestamp: at ?? tick(),
    version: '1.0',
    data,
    metadata: { source_service: source, correlation_id: randomUUID() },
  };
}

export interface UserFields {
  id: string;
  email: string;
  name?: string | null;
  role?: 'Customer' | 'Staff' | 'Admin';
  state?: 'Active' | 'Blocked';
  created_at?: string;
}

function user(fields: UserFields) {
  return {
    role: 'Customer',
    state: 'Active',
    created_at: '2025-06-01T10:00:00Z',
    name: null,
    ...fields,
  };
}

export const events = {
  userCreated: (fields: UserFields, at?: string) =>
    envelope('user.created', { user: user(fields) }, 'user-service', at),
  userUpdated: (
    fields: UserFields,
    changes: { old: object; new: object } = { old: {}, new: {} },
    at?: string,
  ) =>
    envelope(
      'user.updated',
      { user: user(fields), old_values: changes.old, new_values: changes.new, updated_by: null },
      'user-service',
      at,
    ),
  userBlocked: (userId: string, by: string | null = null, reason = 'fraud', at?: string) =>
    envelope('user.blocked', { user_id: userId, blocked_by: by, reason }, 'user-service', at),
  userUnblocked: (userId: string, by: string | null = null, at?: string) =>
    envelope(
      'user.unblocked',
      { user_id: userId, unblocked_by: by, reason: 'resolved' },
      'user-service',
      at,
    ),
  sessionCreated: (sessionId: string, userId: string, createdAt: string, at?: string) =>
    envelope(
      'session.created',
      { session_id: sessionId, user_id: userId, created_at: createdAt, expires_at: null },
      'user-service',
      at,
    ),
  sessionEnded: (sessionId: string, userId: string, endedAt: string, at?: string) =>
    envelope(
      'session.ended',
      { session_id: sessionId, user_id: userId, ended_at: endedAt, reason: 'logout' },
      'user-service',
      at,
    ),
  transactionCreated: (tx: TransactionFields, at?: string) =>
    envelope('transaction.created', { transaction: transaction(tx) }, 'transaction-service', at),
  transactionUpdated: (tx: TransactionFields, at?: string) =>
    envelope('transaction.updated', { transaction: transaction(tx) }, 'transaction-service', at),
  transactionDeleted: (id: string, userId: string, at?: string) =>
    envelope(
      'transaction.deleted',
      { transaction_id: id, user_id: userId },
      'transaction-service',
      at,
    ),
  budgetCreated: (budget: BudgetFields, at?: string) =>
    envelope('budget.created', { budget: budgetOf(budget) }, 'budget-service', at),
  budgetUpdated: (budget: BudgetFields, at?: string) =>
    envelope('budget.updated', { budget: budgetOf(budget) }, 'budget-service', at),
  budgetDeleted: (id: string, userId: string, at?: string) =>
    envelope('budget.deleted', { budget_id: id, user_id: userId }, 'budget-service', at),
  petCreated: (pet: PetFields, at?: string) =>
    envelope('pet.created', { pet: petOf(pet) }, 'pet-service', at),
  petUpdated: (pet: PetFields, at?: string) =>
    envelope('pet.updated', { pet: petOf(pet) }, 'pet-service', at),
  petTransferred: (pet: PetFields, fromOwnerId: string, at?: string) =>
    envelope('pet.transferred', { pet: petOf(pet), from_owner_id: fromOwnerId }, 'pet-service', at),
  petDeleted: (id: string, ownerId: string, at?: string) =>
    envelope('pet.deleted', { pet_id: id, owner_id: ownerId }, 'pet-service', at),
  payment: (
    type: 'initiated' | 'succeeded' | 'failed' | 'refunded',
    payment: PaymentFields,
    at?: string,
  ) => envelope(`payment.${type}`, { payment: paymentOf(payment) }, 'payment-service', at),
};

export interface PetFields {
  id: string;
  owner_id: string;
  name?: string;
  species?: 'CAT' | 'DOG' | 'DRAGON' | 'BUNNY' | 'FOX' | 'OWL' | 'TURTLE';
  level?: number;
  health?: number;
  happiness?: number;
  status?: 'ACTIVE' | 'ADOPTED';
  created_at?: string;
}

function petOf(pet: PetFields) {
  return {
    name: 'Biscuit',
    species: 'DOG',
    level: 1,
    health: 100,
    happiness: 80,
    status: 'ACTIVE',
    created_at: '2025-06-01T10:00:00Z',
    ...pet,
  };
}

export interface PaymentFields {
  id: string;
  user_id: string;
  amount?: string;
  currency?: string;
  method?: 'CARD' | 'PAYPAL' | 'APPLE_PAY' | 'GOOGLE_PAY' | 'BANK_TRANSFER';
  status: 'INITIATED' | 'SUCCEEDED' | 'FAILED' | 'REFUNDED';
  failure_reason?: string | null;
  created_at?: string;
}

function paymentOf(payment: PaymentFields) {
  return {
    amount: '4.99',
    currency: 'EUR',
    method: 'CARD',
    description: 'Golden food bowl',
    failure_reason: null,
    created_at: '2025-06-01T10:00:00Z',
    ...payment,
  };
}

export interface TransactionFields {
  id: string;
  user_id: string;
  amount: string;
  date: string;
  transaction_type?: 'EXPENSE' | 'INCOME';
  description?: string;
  category_id?: string | null;
  category_name?: string | null;
}

function transaction(tx: TransactionFields) {
  return {
    transaction_type: 'EXPENSE',
    description: 'Whole Foods Market',
    category_id: null,
    category_name: null,
    ...tx,
  };
}

export interface BudgetFields {
  id: string;
  user_id: string;
  name?: string;
  amount?: string;
  period_type?: 'WEEKLY' | 'MONTHLY' | 'YEARLY';
  status?: 'DRAFT' | 'ACTIVE' | 'ARCHIVED';
  spent?: string | null;
  created_at?: string;
}

function budgetOf(budget: BudgetFields) {
  return {
    name: 'Monthly Essentials',
    amount: '1500.00',
    period_type: 'MONTHLY',
    status: 'ACTIVE',
    spent: null,
    created_at: '2025-06-01T10:00:00Z',
    ...budget,
  };
}

export { randomUUID as uuid };
