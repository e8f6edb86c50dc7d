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
};

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
