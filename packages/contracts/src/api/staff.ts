import { z } from 'zod';
import { AUTH_PROVIDERS } from './auth.ts';
import { queryEnum, ReasonSchema, TextSchema } from './common.ts';

export const STAFF_STATUSES = ['active', 'disabled'] as const;

export const StaffSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string().nullable(),
    status: z.enum(STAFF_STATUSES),
    provider: z.enum(AUTH_PROVIDERS),
    roles: z.array(z.object({ id: z.uuid(), name: z.string() })),
    mfaEnrolled: z.boolean(),
    lastLoginAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Staff' });

export const StaffListQuerySchema = z.object({
  search: TextSchema.trim().max(200).optional(),
  status: queryEnum(STAFF_STATUSES).optional(),
  role: TextSchema.max(100).optional(),
});

export const CreateStaffSchema = z.object({
  email: z.email().max(320),
  name: TextSchema.trim().min(1).max(200),
  roleIds: z.array(z.uuid()).min(1).max(20),
  /** Omit to generate a temporary password, returned once, that must be changed at first sign-in. */
  password: TextSchema.min(12).max(1024).optional(),
});

export const CreatedStaffSchema = z.object({
  staff: StaffSchema,
  temporaryPassword: z.string().nullable(),
});

export const UpdateStaffSchema = z
  .object({
    name: TextSchema.trim().min(1).max(200).optional(),
    status: z.enum(STAFF_STATUSES).optional(),
    reason: ReasonSchema.optional(),
  })
  .refine(
    (v) => v.name !== undefined || v.status !== undefined,
    'change at least one of name, status',
  );

export const AssignRolesSchema = z.object({
  roleIds: z.array(z.uuid()).max(20),
  reason: ReasonSchema.optional(),
});
