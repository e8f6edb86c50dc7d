import { z } from 'zod';
import { ReasonSchema, TextSchema } from './common.ts';

export const GrantSchema = z
  .string()
  .regex(
    /^(\*|[a-z_]+:(\*|[a-z_]+))$/,
    'a permission like users:read, a wildcard like users:*, or *',
  );

export const RoleSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string(),
    builtin: z.boolean(),
    grants: z.array(z.string()),
    staffCount: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Role' });

export const CreateRoleSchema = z.object({
  name: TextSchema.trim()
    .min(2)
    .max(60)
    .regex(/^[A-Za-z][A-Za-z0-9 _-]*$/, 'letters, digits, space, _ and -'),
  description: TextSchema.trim().max(500).default(''),
  grants: z.array(GrantSchema).max(200).default([]),
});

export const UpdateRoleSchema = z
  .object({
    name: CreateRoleSchema.shape.name.optional(),
    description: TextSchema.trim().max(500).optional(),
  })
  .refine(
    (v) => v.name !== undefined || v.description !== undefined,
    'change at least one of name, description',
  );

export const PermissionMatrixSchema = z
  .object({
    roleId: z.uuid(),
    grants: z.array(z.string()),
    editable: z.boolean(),
    permissions: z.array(
      z.object({
        permission: z.string(),
        description: z.string(),
        granted: z.boolean(),
        /** Granted by a wildcard rather than by name. */
        viaWildcard: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'PermissionMatrix' });

export const SetGrantsSchema = z.object({
  grants: z.array(GrantSchema).max(200),
  reason: ReasonSchema.optional(),
});

export const ROLE_HISTORY_ACTIONS = [
  'role.created',
  'role.updated',
  'role.deleted',
  'role.grants_changed',
  'role.assigned',
  'role.unassigned',
] as const;

export const RoleHistoryEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.iso.datetime(),
    action: z.enum(ROLE_HISTORY_ACTIONS),
    actor: z.object({ id: z.uuid().nullable(), email: z.string().nullable() }),
    staff: z.object({ id: z.uuid(), email: z.string().nullable() }).nullable(),
    before: z.unknown(),
    after: z.unknown(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'RoleHistoryEntry' });

export const PermissionCatalogueSchema = z.array(
  z.object({
    permission: z.string(),
    resource: z.string(),
    action: z.string(),
    description: z.string(),
  }),
);
