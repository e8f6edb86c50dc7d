import type {
  ActivityItem,
  AuditEntryDetailSchema,
  AuditEntrySchema,
  AuditQuerySchema,
  BudgetItemSchema,
  BulkResultSchema,
  CreateRoleSchema,
  DashboardHealthSchema,
  DashboardMetricsSchema,
  JobSchema,
  ServiceHealthSchema,
  TransactionDetailSchema,
  TransactionItemSchema,
  UpdateUserSchema,
  UserDetailSchema,
  UserListItemSchema,
  UserListQuerySchema,
  UserListResponseSchema,
  UserSessionSchema,
  USER_SORTS,
  VerifyResultSchema,
  CreateStaffSchema,
  DeadLetterQuerySchema,
  DeadLetterSchema,
  IngestionStatusSchema,
  LoginRequestSchema,
  LoginResponseSchema,
  MeResponseSchema,
  PermissionCatalogueSchema,
  PermissionMatrixSchema,
  ReplayResultSchema,
  RoleHistoryEntrySchema,
  RoleSchema,
  ScheduleSchema,
  SessionSchema,
  SourceStatusSchema,
  StaffListQuerySchema,
  StaffSchema,
  TotpEnrolmentSchema,
} from '@backoffice/contracts';

/** The type a zod schema of the contracts parses to (`z.infer`, without importing zod here). */
export type Infer<S extends { _zod: { output: unknown } }> = S['_zod']['output'];
/** The type a zod schema accepts (`z.input`): defaults may be left out. */
export type Input<S extends { _zod: { input: unknown } }> = S['_zod']['input'];

export type LoginRequest = Input<typeof LoginRequestSchema>;
export type LoginResponse = Infer<typeof LoginResponseSchema>;
export type Me = Infer<typeof MeResponseSchema>;
export type StaffSession = Infer<typeof SessionSchema>;
export type TotpEnrolment = Infer<typeof TotpEnrolmentSchema>;

export type Role = Infer<typeof RoleSchema>;
export type NewRole = Input<typeof CreateRoleSchema>;
export type PermissionMatrix = Infer<typeof PermissionMatrixSchema>;
export type PermissionCatalogue = Infer<typeof PermissionCatalogueSchema>;
export type RoleHistoryEntry = Infer<typeof RoleHistoryEntrySchema>;

export type Staff = Infer<typeof StaffSchema>;
export type StaffFilter = Infer<typeof StaffListQuerySchema>;
export type NewStaff = Input<typeof CreateStaffSchema>;

export type IngestionStatus = Infer<typeof IngestionStatusSchema>;
export type SourceStatus = Infer<typeof SourceStatusSchema>;
export type DeadLetter = Infer<typeof DeadLetterSchema>;
export type DeadLetterFilter = Infer<typeof DeadLetterQuerySchema>;
export type ReplayResult = Infer<typeof ReplayResultSchema>;

export type DashboardMetrics = Infer<typeof DashboardMetricsSchema>;
export type DashboardHealth = Infer<typeof DashboardHealthSchema>;
export type ServiceHealth = Infer<typeof ServiceHealthSchema>;
export type { ActivityItem };

export type UserListItem = Infer<typeof UserListItemSchema>;
export type UserList = Infer<typeof UserListResponseSchema>;
export type UserSort = (typeof USER_SORTS)[number];
/** The list's filters and sort as the API takes them (page, limit and cursor apart). */
export interface UserFilter {
  q?: string;
  state?: NonNullable<Infer<typeof UserListQuerySchema>['state']>;
  role?: NonNullable<Infer<typeof UserListQuerySchema>['role']>;
  registeredFrom?: string;
  registeredTo?: string;
  activeWithinDays?: number;
  hasActiveSession?: 'true' | 'false';
  sort?: UserSort;
}
export type UserDetail = Infer<typeof UserDetailSchema>;
export type UserSession = Infer<typeof UserSessionSchema>;
export type UserUpdate = Input<typeof UpdateUserSchema>;
export type BulkResult = Infer<typeof BulkResultSchema>;
export type TransactionItem = Infer<typeof TransactionItemSchema>;
export type TransactionDetail = Infer<typeof TransactionDetailSchema>;
export type BudgetItem = Infer<typeof BudgetItemSchema>;

export type AuditEntry = Infer<typeof AuditEntrySchema>;
export type AuditEntryDetail = Infer<typeof AuditEntryDetailSchema>;
export type AuditFilter = Input<typeof AuditQuerySchema>;
export type Job = Infer<typeof JobSchema>;
export type Schedule = Infer<typeof ScheduleSchema>;
export type VerifyResult = Infer<typeof VerifyResultSchema>;

export interface PageParams {
  page: number;
  limit: number;
}
