import { z } from 'zod';

/**
 * Payloads of the events the main spec names, version 1.x. Field names are the producers' (snake_case).
 * Every object tolerates extra fields. Amounts are decimal strings, as the services send them.
 */

export const USER_ROLES = ['Customer', 'Staff', 'Admin'] as const;
export const USER_STATES = ['Active', 'Blocked', 'Disabled'] as const;
export const TRANSACTION_TYPES = ['EXPENSE', 'INCOME'] as const;
export const BUDGET_STATUSES = ['DRAFT', 'ACTIVE', 'ARCHIVED'] as const;
export const BUDGET_PERIODS = ['WEEKLY', 'MONTHLY', 'YEARLY'] as const;
export const SESSION_END_REASONS = ['logout', 'expired', 'forced'] as const;

export const UserRoleSchema = z.enum(USER_ROLES);
export const UserStateSchema = z.enum(USER_STATES);
export type UserState = (typeof USER_STATES)[number];

const timestamp = z.iso.datetime({ offset: true });
/** Up to 12 integer digits and 2 decimals, optionally negative: what numeric(14,2) holds. */
export const DecimalStringSchema = z
  .string()
  .regex(/^-?\d{1,12}(\.\d{1,2})?$/, 'must be a decimal string like "89.99"');

// users.events -------------------------------------------------------------------------------------

export const UserSchema = z.looseObject({
  id: z.uuid(),
  email: z.string().min(3).max(320),
  name: z.string().max(200).nullish(),
  role: UserRoleSchema,
  state: UserStateSchema,
  created_at: timestamp,
});

export const UserCreatedSchema = z.looseObject({ user: UserSchema });

/** The user as it is after the change, and the changed fields' old and new values (for the audit trail). */
export const UserUpdatedSchema = z.looseObject({
  user: UserSchema,
  old_values: z.record(z.string(), z.unknown()).default({}),
  new_values: z.record(z.string(), z.unknown()).default({}),
  updated_by: z.uuid().nullish(),
});

export const UserBlockedSchema = z.looseObject({
  user_id: z.uuid(),
  blocked_by: z.uuid().nullish(),
  reason: z.string().max(2000).nullish(),
});

export const UserUnblockedSchema = z.looseObject({
  user_id: z.uuid(),
  unblocked_by: z.uuid().nullish(),
  reason: z.string().max(2000).nullish(),
});

/**
 * Disabled / enabled (Virtual Pet's User Service, seed 001 US12; Keycloak's `enabled` flag): like a
 * block, the person can no longer sign in and their sessions end, but it is the account's own switch
 * (an administrator's decision on the account), not a block for misuse.
 */
export const UserDisabledSchema = z.looseObject({
  user_id: z.uuid(),
  disabled_by: z.uuid().nullish(),
  reason: z.string().max(2000).nullish(),
});

export const UserEnabledSchema = z.looseObject({
  user_id: z.uuid(),
  enabled_by: z.uuid().nullish(),
  reason: z.string().max(2000).nullish(),
});

export const SessionCreatedSchema = z.looseObject({
  session_id: z.string().min(1).max(200),
  user_id: z.uuid(),
  created_at: timestamp,
  expires_at: timestamp.nullish(),
  ip: z.string().max(100).nullish(),
  user_agent: z.string().max(1000).nullish(),
});

export const SessionEndedSchema = z.looseObject({
  session_id: z.string().min(1).max(200),
  user_id: z.uuid(),
  ended_at: timestamp,
  reason: z.enum(SESSION_END_REASONS).default('logout'),
  ended_by: z.uuid().nullish(),
});

// transactions.events / int.transaction-update.event ---------------------------------------------------

export const TransactionSchema = z.looseObject({
  id: z.uuid(),
  user_id: z.uuid(),
  amount: DecimalStringSchema,
  description: z.string().max(2000).nullish(),
  date: timestamp,
  transaction_type: z.enum(TRANSACTION_TYPES),
  category_id: z.uuid().nullish(),
  category_name: z.string().max(255).nullish(),
});

export const TransactionCreatedSchema = z.looseObject({ transaction: TransactionSchema });
export const TransactionUpdatedSchema = z.looseObject({
  transaction: TransactionSchema,
  old_values: z.record(z.string(), z.unknown()).optional(),
});
export const TransactionDeletedSchema = z.looseObject({
  transaction_id: z.uuid(),
  user_id: z.uuid(),
  deleted_at: timestamp.nullish(),
});

// budgets.events ---------------------------------------------------------------------------------------

/**
 * `spent` is the Budget Service's own figure for the current period (the backoffice does no financial
 * calculation: docs/decisions/0003-read-model.md); absent means not reported yet.
 */
export const BudgetSchema = z.looseObject({
  id: z.uuid(),
  user_id: z.uuid(),
  name: z.string().min(1).max(255),
  amount: DecimalStringSchema,
  period_type: z.enum(BUDGET_PERIODS),
  status: z.enum(BUDGET_STATUSES).default('ACTIVE'),
  spent: DecimalStringSchema.nullish(),
  category_id: z.uuid().nullish(),
  created_at: timestamp,
});

export const BudgetCreatedSchema = z.looseObject({ budget: BudgetSchema });
export const BudgetUpdatedSchema = z.looseObject({
  budget: BudgetSchema,
  old_values: z.record(z.string(), z.unknown()).optional(),
});
export const BudgetDeletedSchema = z.looseObject({
  budget_id: z.uuid(),
  user_id: z.uuid(),
  deleted_at: timestamp.nullish(),
});

export type User = z.infer<typeof UserSchema>;
export type Transaction = z.infer<typeof TransactionSchema>;
export type Budget = z.infer<typeof BudgetSchema>;
