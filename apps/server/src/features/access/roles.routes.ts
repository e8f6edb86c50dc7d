import type { ROLE_HISTORY_ACTIONS } from '@backoffice/contracts';
import {
  CreateRoleSchema,
  IdParamsSchema,
  PERMISSIONS,
  PageQuerySchema,
  PermissionCatalogueSchema,
  PermissionMatrixSchema,
  ReasonSchema,
  RoleHistoryEntrySchema,
  RoleSchema,
  SetGrantsSchema,
  UpdateRoleSchema,
  pageOf,
  type Permission,
} from '@backoffice/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemResponses } from '../../platform/http/openapi.ts';
import { auditContext } from '../../platform/audit/writer.ts';
import { RolesRepository, type RoleRow } from './roles.repository.ts';
import { RolesService } from './roles.service.ts';

const tags = ['access'];
const permission = 'roles:manage' as const;

function toRole(row: RoleRow) {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    builtin: row.builtin,
    grants: row.grants,
    staffCount: row.staff_count,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Roles, the permission matrix, and the history of every change to them (`roles:manage`). */
export function rolesRoutes(
  app: FastifyInstance,
  options: { permissions: readonly Permission[] },
): void {
  const service = new RolesService(new RolesRepository(app.db), app.audit, options.permissions);
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/v1/admin/permissions',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'The permission catalogue (of the features this instance runs)',
        response: { 200: PermissionCatalogueSchema },
      },
    },
    () =>
      options.permissions.map((p) => {
        const [resource = '', action = ''] = p.split(':');
        return { permission: p, resource, action, description: PERMISSIONS[p] };
      }),
  );

  routes.get(
    '/v1/admin/roles',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'List roles',
        response: { 200: z.object({ data: z.array(RoleSchema) }) },
      },
    },
    async () => ({ data: (await service.list()).map(toRole) }),
  );

  routes.post(
    '/v1/admin/roles',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Create a custom role',
        body: CreateRoleSchema,
        response: { 201: RoleSchema, ...problemResponses(400, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(toRole(await service.create(auditContext(request), request.body))),
  );

  routes.get(
    '/v1/admin/roles/:id',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'A role',
        params: IdParamsSchema,
        response: { 200: RoleSchema, ...problemResponses(404) },
      },
    },
    async (request) => toRole(await service.get(request.params.id)),
  );

  routes.patch(
    '/v1/admin/roles/:id',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Rename or describe a role',
        params: IdParamsSchema,
        body: UpdateRoleSchema,
        response: { 200: RoleSchema, ...problemResponses(400, 404, 409) },
      },
    },
    async (request) =>
      toRole(await service.update(auditContext(request), request.params.id, request.body)),
  );

  routes.delete(
    '/v1/admin/roles/:id',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Delete a custom role that nobody holds',
        params: IdParamsSchema,
        querystring: z.object({ reason: ReasonSchema.optional() }),
        response: { 204: z.null(), ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => {
      await service.delete(auditContext(request), request.params.id, request.query.reason);
      return reply.code(204).send(null);
    },
  );

  routes.get(
    '/v1/admin/roles/:id/permissions',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'The role’s row of the permission matrix',
        params: IdParamsSchema,
        response: { 200: PermissionMatrixSchema, ...problemResponses(404) },
      },
    },
    (request) => service.matrix(request.params.id),
  );

  routes.put(
    '/v1/admin/roles/:id/permissions',
    {
      config: { permission },
      schema: {
        tags,
        summary:
          'Set the role’s grants (takes effect on the next request of everyone who holds it)',
        params: IdParamsSchema,
        body: SetGrantsSchema,
        response: { 200: PermissionMatrixSchema, ...problemResponses(400, 404, 409) },
      },
    },
    (request) =>
      service.setGrants(
        auditContext(request),
        request.params.id,
        request.body.grants,
        request.body.reason,
      ),
  );

  routes.get(
    '/v1/admin/roles/:id/history',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Every change to the role and its assignments, newest first (append-only)',
        params: IdParamsSchema,
        querystring: PageQuerySchema,
        response: { 200: pageOf(RoleHistoryEntrySchema), ...problemResponses(404) },
      },
    },
    async (request) => {
      const { page, limit } = request.query;
      const { rows, total } = await service.history(request.params.id, page, limit);
      return {
        data: rows.map((row) => ({
          id: row.id,
          at: row.at.toISOString(),
          action: row.action as (typeof ROLE_HISTORY_ACTIONS)[number],
          actor: { id: row.actor_id, email: row.actor_email },
          staff: row.staff_id === null ? null : { id: row.staff_id, email: row.staff_email },
          before: row.before,
          after: row.after,
          reason: row.reason,
        })),
        page,
        limit,
        total,
      };
    },
  );
}
