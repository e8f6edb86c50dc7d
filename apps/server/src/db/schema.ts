import type { ColumnType, Generated } from 'kysely';

/**
 * The database as Kysely sees it; one entry per table, added with the migration that creates it.
 * Conventions of the pg driver as configured in platform/db/database.ts: timestamptz → Date,
 * date → 'YYYY-MM-DD' string, bigint → number (all our bigints stay below 2^53), numeric → string
 * (exact decimals).
 */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamp the database fills by default (Kysely's Generated does not unwrap a ColumnType). */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Nullable<T> = T | null;
type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
/** A numeric column: read as an exact decimal string; written as string or number. */
type Decimal = ColumnType<string, string | number, string | number>;

export interface InstanceSettingsTable {
  key: string;
  value: unknown;
  updated_at: DefaultedTimestamp;
}

export interface ProcessedEventsTable {
  event_id: string;
  event_type: string;
  source: string;
  topic: Nullable<string>;
  partition: Nullable<number>;
  offset: Nullable<number>;
  processed_at: DefaultedTimestamp;
}

export interface EventLogTable {
  seq: Generated<number>;
  received_at: DefaultedTimestamp;
  event_id: string;
  event_type: string;
  event_time: Timestamp;
  source: string;
  topic: Nullable<string>;
  partition: Nullable<number>;
  offset: Nullable<number>;
  envelope: unknown;
}

export type DeadLetterStatus = 'pending' | 'replayed' | 'discarded';
/** How dead_letters.raw holds the message's bytes: as text, or base64 when they are not storable text. */
export type RawEncoding = 'utf8' | 'base64';

export interface DeadLettersTable {
  id: Generated<number>;
  received_at: DefaultedTimestamp;
  source: string;
  topic: Nullable<string>;
  partition: Nullable<number>;
  offset: Nullable<number>;
  event_id: Nullable<string>;
  event_type: Nullable<string>;
  reason: string;
  detail: string;
  payload: unknown;
  raw: Nullable<string>;
  raw_encoding: Generated<RawEncoding>;
  status: Generated<DeadLetterStatus>;
  attempts: Generated<number>;
  last_attempt_at: DefaultedTimestamp;
  resolved_at: NullableTimestamp;
  resolved_by: Nullable<string>;
  resolution: Nullable<string>;
}

export interface IngestionSourceStatsTable {
  source: string;
  processed: Generated<number>;
  duplicates: Generated<number>;
  dead_letters: Generated<number>;
  unknown_types: Generated<number>;
  last_event_at: NullableTimestamp;
  last_batch_at: NullableTimestamp;
}

export interface UserSummariesTable {
  id: string;
  email: Nullable<string>;
  name: Nullable<string>;
  role: Nullable<string>;
  state: Nullable<string>;
  created_at: NullableTimestamp;
  updated_at: NullableTimestamp;
  blocked_at: NullableTimestamp;
  blocked_by: Nullable<string>;
  block_reason: Nullable<string>;
  last_login_at: NullableTimestamp;
  last_activity_at: NullableTimestamp;
  total_transactions: Generated<number>;
  total_budgets: Generated<number>;
  active_sessions: Generated<number>;
  profile_version_at: NullableTimestamp;
  profile_version_id: Nullable<string>;
  state_version_at: NullableTimestamp;
  state_version_id: Nullable<string>;
  pending_state: Nullable<string>;
  pending_since: NullableTimestamp;
  pending_correlation_id: Nullable<string>;
}

export interface UserSessionsTable {
  session_id: string;
  user_id: string;
  created_at: NullableTimestamp;
  expires_at: NullableTimestamp;
  ended_at: NullableTimestamp;
  end_reason: Nullable<string>;
  ip: Nullable<string>;
  user_agent: Nullable<string>;
}

export interface TransactionSummariesTable {
  id: string;
  user_id: string;
  description: Nullable<string>;
  amount: Decimal;
  transaction_type: string;
  category_id: Nullable<string>;
  category_name: Nullable<string>;
  date: Timestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  version_at: Timestamp;
  version_id: string;
}

export interface BudgetSummariesTable {
  id: string;
  user_id: string;
  name: string;
  amount: Decimal;
  period_type: string;
  status: string;
  spent: Decimal;
  category_id: Nullable<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version_at: Timestamp;
  version_id: string;
}

/** A pet, as the Pet Service reported it (Virtual Pet pack). */
export interface PetsTable {
  id: string;
  owner_id: string;
  name: string;
  species: string;
  level: number;
  health: number;
  happiness: number;
  status: string;
  adopted_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  version_at: Timestamp;
  version_id: string;
}

/** A payment, as the Payment Service reported it (Virtual Pet pack). */
export interface PaymentsTable {
  id: string;
  user_id: string;
  amount: Decimal;
  currency: string;
  method: string;
  status: string;
  description: Nullable<string>;
  failure_reason: Nullable<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version_at: Timestamp;
  version_id: string;
}

/** A Keycloak user event: a sign-in, a failed one, a sign-out, a registration… (Virtual Pet pack). */
export interface IdentityEventsTable {
  id: string;
  user_id: Nullable<string>;
  type: string;
  realm_id: Nullable<string>;
  client_id: Nullable<string>;
  session_id: Nullable<string>;
  ip_address: Nullable<string>;
  username: Nullable<string>;
  error: Nullable<string>;
  details: ColumnType<Record<string, string>, string | undefined, string>;
  occurred_at: Timestamp;
}

export interface EntityTombstonesTable {
  entity_type: string;
  entity_id: string;
  deleted_at: Timestamp;
  event_id: string;
}

export interface DailyTransactionMetricsTable {
  date: string;
  total_transactions: Generated<number>;
  total_amount: Decimal;
  income_amount: Decimal;
  expense_amount: Decimal;
  total_users: Generated<number>;
  updated_at: DefaultedTimestamp;
}

export interface DailyTransactionUsersTable {
  date: string;
  user_id: string;
  transactions: number;
}

export interface DailyUserMetricsTable {
  date: string;
  registrations: Generated<number>;
}

export interface ReadModelCountersTable {
  name: string;
  value: Generated<number>;
}

export type StaffStatus = 'active' | 'disabled';
export type ProviderName = 'builtin' | 'upstream-session' | 'oidc';

export interface StaffUsersTable {
  id: Generated<string>;
  email: string;
  name: Nullable<string>;
  password_hash: Nullable<string>;
  status: Generated<StaffStatus>;
  provider: Generated<ProviderName>;
  external_subject: Nullable<string>;
  must_change_password: Generated<boolean>;
  totp_secret: Nullable<string>;
  totp_pending_secret: Nullable<string>;
  totp_enabled_at: NullableTimestamp;
  totp_last_step: Nullable<number>;
  last_login_at: NullableTimestamp;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
  created_by: Nullable<string>;
}

export interface StaffRecoveryCodesTable {
  id: Generated<number>;
  staff_id: string;
  code_hash: string;
  created_at: DefaultedTimestamp;
  used_at: NullableTimestamp;
}

export interface StaffSessionsTable {
  id: Generated<string>;
  token_hash: Buffer;
  staff_id: string;
  provider: ProviderName;
  created_at: DefaultedTimestamp;
  last_seen_at: DefaultedTimestamp;
  expires_at: Timestamp;
  mfa_verified_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  revoked_by: Nullable<string>;
  revoke_reason: Nullable<string>;
  ip: Nullable<string>;
  user_agent: Nullable<string>;
  asserted_roles: ColumnType<string[], string[] | undefined, string[]>;
}

export interface RolesTable {
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  builtin: Generated<boolean>;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface RoleGrantsTable {
  role_id: string;
  grant: string;
}

export interface StaffRoleAssignmentsTable {
  staff_id: string;
  role_id: string;
  assigned_at: DefaultedTimestamp;
  assigned_by: Nullable<string>;
}

export interface RoleHistoryTable {
  id: Generated<number>;
  at: DefaultedTimestamp;
  action: string;
  actor_id: Nullable<string>;
  actor_email: Nullable<string>;
  role_id: string;
  role_name: string;
  staff_id: Nullable<string>;
  staff_email: Nullable<string>;
  before: unknown;
  after: unknown;
  reason: Nullable<string>;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  last_failure_at: Timestamp;
  locked_until: NullableTimestamp;
}

export interface RealtimeTicketsTable {
  ticket_hash: Buffer;
  session_id: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface PiiRevealsTable {
  id: Generated<string>;
  staff_id: string;
  subject_id: string;
  reason: string;
  created_at: DefaultedTimestamp;
  expires_at: Timestamp;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobsTable {
  id: Generated<string>;
  type: string;
  status: Generated<JobStatus>;
  params: ColumnType<unknown, string | undefined, string>;
  progress: ColumnType<{ done: number; total: number | null } | null, string | null, string | null>;
  result: ColumnType<unknown, string | null, string | null>;
  error: Nullable<string>;
  attempts: Generated<number>;
  created_by: Nullable<string>;
  created_at: DefaultedTimestamp;
  started_at: NullableTimestamp;
  heartbeat_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  locked_by: Nullable<string>;
}

export type ScheduleOutcome = 'succeeded' | 'failed';

export interface SchedulesTable {
  name: string;
  every_ms: number;
  next_run_at: Timestamp;
  last_started_at: NullableTimestamp;
  last_finished_at: NullableTimestamp;
  last_outcome: Nullable<ScheduleOutcome>;
  last_error: Nullable<string>;
  last_duration_ms: Nullable<number>;
  last_instance: Nullable<string>;
  runs: Generated<number>;
  failures: Generated<number>;
}

export type AuditOutcome = 'success' | 'denied' | 'failed';

export interface AuditLogsTable {
  seq: number;
  id: string;
  /** Recorded at. */
  at: Timestamp;
  /** Happened at; NULL on entries written before it was stored (then: `at`). */
  occurred_at: NullableTimestamp;
  actor_type: string;
  actor_id: Nullable<string>;
  actor_email: Nullable<string>;
  action: string;
  resource_type: string;
  resource_id: Nullable<string>;
  outcome: AuditOutcome;
  reason: Nullable<string>;
  before: ColumnType<unknown, string | null, never>;
  after: ColumnType<unknown, string | null, never>;
  ip: Nullable<string>;
  user_agent: Nullable<string>;
  correlation_id: Nullable<string>;
  event_id: Nullable<string>;
  metadata: ColumnType<unknown, string | null, never>;
  prev_hash: string;
  hash: string;
  search_text: ColumnType<string, never, never>;
}

export interface AuditChainHeadTable {
  id: Generated<boolean>;
  seq: number;
  hash: string;
}

export interface AuditEventLinksTable {
  event_id: string;
  correlation_id: string;
  event_type: string;
  resource_id: Nullable<string>;
  linked_at: DefaultedTimestamp;
}

export interface AuditCheckpointsTable {
  seq: number;
  hash: string;
  signed_at: DefaultedTimestamp;
  key_id: string;
  signature: string;
}

export interface DashboardSnapshotsTable {
  name: string;
  value: ColumnType<unknown, string, string>;
  computed_at: DefaultedTimestamp;
}

export interface DB {
  instance_settings: InstanceSettingsTable;
  processed_events: ProcessedEventsTable;
  event_log: EventLogTable;
  dead_letters: DeadLettersTable;
  ingestion_source_stats: IngestionSourceStatsTable;
  user_summaries: UserSummariesTable;
  user_sessions: UserSessionsTable;
  transaction_summaries: TransactionSummariesTable;
  budget_summaries: BudgetSummariesTable;
  pets: PetsTable;
  payments: PaymentsTable;
  identity_events: IdentityEventsTable;
  entity_tombstones: EntityTombstonesTable;
  daily_transaction_metrics: DailyTransactionMetricsTable;
  daily_transaction_users: DailyTransactionUsersTable;
  daily_user_metrics: DailyUserMetricsTable;
  read_model_counters: ReadModelCountersTable;
  staff_users: StaffUsersTable;
  staff_recovery_codes: StaffRecoveryCodesTable;
  staff_sessions: StaffSessionsTable;
  roles: RolesTable;
  role_grants: RoleGrantsTable;
  staff_role_assignments: StaffRoleAssignmentsTable;
  role_history: RoleHistoryTable;
  login_throttle: LoginThrottleTable;
  realtime_tickets: RealtimeTicketsTable;
  pii_reveals: PiiRevealsTable;
  jobs: JobsTable;
  schedules: SchedulesTable;
  audit_logs: AuditLogsTable;
  audit_chain_head: AuditChainHeadTable;
  audit_event_links: AuditEventLinksTable;
  audit_checkpoints: AuditCheckpointsTable;
  dashboard_snapshots: DashboardSnapshotsTable;
}
