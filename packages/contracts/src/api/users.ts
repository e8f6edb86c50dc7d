import { z } from 'zod';
import { pii, piiSubject } from '../pii.ts';
import { AuditActorSchema, AuditEntrySchema } from './audit.ts';
import { USER_STATES } from '../events/payloads.ts';
import {
  BooleanQuerySchema,
  DateTimeSchema,
  queryEnum,
  ReasonSchema,
  TextSchema,
} from './common.ts';

/**
 * The state changes staff ask the User Service for, and the state each leads to: block/unblock (Money
 * Planner's words), disable/enable (an account switch: Virtual Pet's, Keycloak's `enabled`).
 */
export const USER_STATE_TARGETS = {
  block: 'Blocked',
  unblock: 'Active',
  disable: 'Disabled',
  enable: 'Active',
} as const satisfies Record<string, (typeof USER_STATES)[number]>;
export type UserStateAction = keyof typeof USER_STATE_TARGETS;

export const USER_SORTS = [
  'createdAt',
  '-createdAt',
  'email',
  '-email',
  'lastLoginAt',
  '-lastLoginAt',
] as const;

export const UserListQuerySchema = z.object({
  q: TextSchema.trim()
    .min(1)
    .max(320)
    .optional()
    .describe(
      'Any case. A user id finds that user; a complete email address (one @, a dot in the domain) ' +
        'finds that address only; the start of an address up to its @ or beyond (`anna.k@exa`) ' +
        'finds the addresses that begin so; anything else finds the users whose email or name ' +
        'contains it.',
    ),
  state: queryEnum(USER_STATES).optional(),
  role: queryEnum(['Customer', 'Staff', 'Admin']).optional(),
  registeredFrom: DateTimeSchema.optional(),
  registeredTo: DateTimeSchema.optional(),
  activeWithinDays: z.coerce.number().int().min(1).max(3650).optional(),
  hasActiveSession: BooleanQuerySchema.optional(),
  sort: queryEnum(USER_SORTS).default('-createdAt'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: TextSchema.max(500)
    .optional()
    .describe('nextCursor of the previous page (then `page` is ignored)'),
});

/** The users export: the list's filters and sort, and the file's format. */
export const UserExportQuerySchema = UserListQuerySchema.omit({
  page: true,
  limit: true,
  cursor: true,
}).extend({ format: queryEnum(['csv', 'ndjson']).default('csv') });

const UserListItemShape = z
  .object({
    id: z.uuid(),
    email: pii(z.string(), 'email'),
    name: pii(z.string(), 'name').nullable(),
    role: z.string(),
    state: z
      .string()
      .describe('The pending state while a staff action awaits the User Service’s confirmation'),
    pending: z.boolean(),
    pendingSince: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime().nullable(),
    lastLoginAt: z.iso.datetime().nullable(),
    lastActivityAt: z.iso.datetime().nullable(),
    activeSessions: z.number().int(),
    totalTransactions: z.number().int(),
    totalBudgets: z.number().int(),
  })
  .meta({ id: 'UserListItem' });

export const UserListItemSchema = piiSubject(UserListItemShape, (user) => user.id);

export const UserListResponseSchema = z
  .object({
    data: z.array(UserListItemSchema),
    page: z.number().int(),
    limit: z.number().int(),
    total: z
      .number()
      .int()
      .describe('How many users match: exact, or see `totalIsEstimate` and `totalIsLowerBound`'),
    totalIsEstimate: z
      .boolean()
      .describe(
        'true when `total` is not exact: the planner’s estimate for a filter matching more than ' +
          '1,000 users, or a lower bound (`totalIsLowerBound`)',
      ),
    totalIsLowerBound: z
      .boolean()
      .describe(
        'true when more than `total` users match: a search (`q`) counts no further than 1,000, ' +
          'and then answers `total: 1000`. Pages go on while `nextCursor` is not null.',
      ),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'UserList' });

export const UserSessionSchema = z.object({
  sessionId: z.string(),
  createdAt: z.iso.datetime().nullable(),
  expiresAt: z.iso.datetime().nullable(),
  ip: pii(z.string(), 'ip').nullable(),
  userAgent: z.string().nullable(),
});

export const TransactionItemSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid(),
    amount: z.string().describe('Decimal string'),
    description: z.string().nullable(),
    transactionType: z.enum(['EXPENSE', 'INCOME']),
    categoryId: z.string().nullable(),
    categoryName: z.string().nullable(),
    date: z.iso.datetime(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'TransactionItem' });

export const BudgetItemSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    amount: z.string(),
    spent: z.string(),
    periodType: z.string(),
    status: z.string(),
    categoryId: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'BudgetItem' });

export const UserDetailSchema = piiSubject(
  UserListItemShape.extend({
    updatedAt: z.iso.datetime().nullable(),
    blockedAt: z.iso.datetime().nullable(),
    blockedBy: z.string().nullable(),
    /** Who blocked the user: one of our staff, or the platform service (and its account, when known). */
    blockedByActor: AuditActorSchema.nullable(),
    blockReason: z.string().nullable(),
    sessions: z.array(UserSessionSchema),
    recentTransactions: z.array(TransactionItemSchema),
    budgets: z.array(BudgetItemSchema),
    recentAudit: z.array(AuditEntrySchema),
    piiRevealedUntil: z.iso
      .datetime()
      .nullable()
      .describe('Until when your reveal of this user’s personal data lasts (POST …/reveal)'),
  }).meta({ id: 'UserDetail' }),
  (user) => user.id,
);

export const RevealRequestSchema = z.object({
  reason: TextSchema.trim()
    .min(10)
    .max(1000)
    .describe('Why you need to see this person’s data: recorded in the audit trail'),
});

export const RevealResultSchema = z
  .object({
    user: UserDetailSchema,
    revealedUntil: z.iso.datetime(),
  })
  .meta({ id: 'RevealResult' });

export const UserTransactionsQuerySchema = z.object({
  from: DateTimeSchema.optional(),
  to: DateTimeSchema.optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const TransactionDetailSchema = TransactionItemSchema.extend({
  /** Where the data came from: the Transaction Service, or our read model when the service is down. */
  source: z.enum(['transaction-service', 'read-model']),
  stale: z.boolean(),
  reviewedAt: z.string().nullable(),
  reviewedBy: z.string().nullable(),
}).meta({ id: 'TransactionDetail' });

export const BlockRequestSchema = z.object({ reason: ReasonSchema });

export const UserActionResultSchema = z
  .object({
    user: UserListItemSchema,
    /** false when the user was already in that state: nothing was done. */
    changed: z.boolean(),
  })
  .meta({ id: 'UserActionResult' });

export const UpdateUserSchema = z
  .object({
    name: TextSchema.trim().min(1).max(200).optional(),
    email: z.email().max(320).optional(),
    role: z.enum(['Customer', 'Staff', 'Admin']).optional(),
    reason: ReasonSchema.optional(),
  })
  .refine(
    (v) => v.name !== undefined || v.email !== undefined || v.role !== undefined,
    'change at least one of name, email, role',
  );

export const ForceLogoutResultSchema = z.object({ ended: z.number().int() });

export const BULK_ACTIONS = ['block', 'unblock', 'force-logout'] as const;
export const BULK_LIMIT = 500;

export const BulkRequestSchema = z.object({
  userIds: z.array(z.uuid()).min(1).max(BULK_LIMIT),
  reason: ReasonSchema,
});

export const BulkResultSchema = z
  .object({
    succeeded: z.number().int(),
    failed: z.number().int(),
    results: z.array(
      z.object({
        userId: z.uuid(),
        ok: z.boolean(),
        status: z.number().int().describe('HTTP status this user’s action alone would have had'),
        changed: z.boolean().nullable(),
        error: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'BulkResult' });
