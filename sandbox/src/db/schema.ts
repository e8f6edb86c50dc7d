import type {
  PAYMENT_METHODS,
  PAYMENT_STATUSES,
  PET_SPECIES,
  PET_STATUSES,
} from '@backoffice/contracts';
import type { ColumnType, Generated } from 'kysely';
import type { UserRole } from '../domain/accounts.ts';
import type { TransactionType } from '../domain/categories.ts';
import type { PeriodType } from '../domain/periods.ts';

/** Timestamps are read as Date and may be written as Date or ISO string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
/** numeric(14,2): pg returns the exact decimal string ("89.90"). */
export type Numeric = ColumnType<string, string, string>;

export type UserState = 'Active' | 'Blocked' | 'Disabled';
export type SessionEndReason = 'logout' | 'expired' | 'forced';
export type BudgetStatus = 'DRAFT' | 'ACTIVE' | 'ARCHIVED';

export interface UsersTable {
  id: string;
  /** Stored lower-case; unique. */
  email: string;
  name: string | null;
  role: UserRole;
  state: UserState;
  password_hash: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  ended_at: NullableTimestamp;
  end_reason: SessionEndReason | null;
  ip: string | null;
  user_agent: string | null;
}

export interface TransactionsTable {
  id: string;
  user_id: string;
  amount: Numeric;
  description: string | null;
  date: Timestamp;
  transaction_type: TransactionType;
  category_id: string | null;
  category_name: string | null;
  reviewed_at: NullableTimestamp;
  reviewed_by: string | null;
  review_note: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface BudgetsTable {
  id: string;
  user_id: string;
  name: string;
  amount: Numeric;
  period_type: PeriodType;
  status: BudgetStatus;
  category_id: string | null;
  spent: Numeric;
  /** Start of the period `spent` covers; older than the current period's start means a roll-over is due. */
  period_start: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type PetSpecies = (typeof PET_SPECIES)[number];
export type PetStatus = (typeof PET_STATUSES)[number];
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface PetsTable {
  id: string;
  owner_id: string;
  name: string;
  species: PetSpecies;
  /** 1–100. */
  level: number;
  /** 0–100. */
  health: number;
  /** 0–100. */
  happiness: number;
  /** ADOPTED: came from the shelter (pet.adopted) rather than being created by its owner. */
  status: PetStatus;
  adopted_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Deleted pets are kept (the Pet Service answers 404 for them). */
  deleted_at: NullableTimestamp;
}

export interface PaymentsTable {
  id: string;
  user_id: string;
  amount: Numeric;
  /** ISO 4217, e.g. EUR. */
  currency: string;
  method: PaymentMethod;
  status: PaymentStatus;
  description: string | null;
  failure_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OutboxTable {
  /** Delivery order. */
  id: ColumnType<string, never, never>;
  /** The envelope's event_id; a Keycloak message's `id`. */
  event_id: string;
  /** The envelope's event_type; `keycloak.event` or `keycloak.admin_event` for Keycloak's messages. */
  event_type: string;
  topic: string;
  /** The entity the event is about: the Kafka message key. */
  entity_key: string;
  /**
   * The message as JSON text (`json`, not `jsonb`: key order and bytes are kept): an envelope, or
   * Keycloak's own JSON on identity.events.
   */
  payload: ColumnType<unknown, string, never>;
  created_at: Generated<Timestamp>;
  delivered_at: NullableTimestamp;
}

export interface DB {
  users: UsersTable;
  sessions: SessionsTable;
  transactions: TransactionsTable;
  budgets: BudgetsTable;
  pets: PetsTable;
  payments: PaymentsTable;
  outbox: OutboxTable;
}
