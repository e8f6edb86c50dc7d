import {
  AssignRolesSchema,
  CreateStaffSchema,
  CreatedStaffSchema,
  IdParamsSchema,
  PageQuerySchema,
  ReasonSchema,
  SessionSchema,
  StaffListQuerySchema,
  StaffSchema,
  UpdateStaffSchema,
  pageOf,
} from '@backoffice/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AccountsRepository } from '../../platform/auth/accounts.repository.ts';
import { sessionView } from '../../platform/auth/sessions.repository.ts';
import { auditContext } from '../../platform/audit/writer.ts';
import { problemResponses } from '../../platform/http/openapi.ts';
import { RolesRepository } from './roles.repository.ts';
import { StaffRepository, type StaffRow } from './staff.repository.ts';
import { StaffService } from './staff.service.ts';

const tags = ['access'];
const permission = 'staff:manage' as const;

function toStaff(row: StaffRow) {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    status: row.status,
    provider: row.provider,
    roles: row.roles,
    mfaEnrolled: row.mfa_enrolled,
    lastLoginAt: row.last_login_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  };
}

/** Staff accounts and their sessions (`staff:manage`). */
export function staffRoutes(app: FastifyInstance): void {
  const service = new StaffService(
    new StaffRepository(app.db),
    new RolesRepository(app.db),
    new AccountsRepository(app.db),
    app.audit,
  );
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/v1/admin/staff',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'List staff accounts',
        querystring: StaffListQuerySchema.extend(PageQuerySchema.shape),
        response: { 200: pageOf(StaffSchema) },
      },
    },
    async (request) => {
      const { page, limit, ...filter } = request.query;
      const { rows, total } = await service.list(filter, page, limit);
      return { data: rows.map(toStaff), page, limit, total };
    },
  );

  routes.post(
    '/v1/admin/staff',
    {
      config: { permission },
      schema: {
        tags,
        summary:
          'Create a staff account (without a password: a temporary one, shown once, to change at first sign-in)',
        body: CreateStaffSchema,
        response: { 201: CreatedStaffSchema, ...problemResponses(400, 409) },
      },
    },
    async (request, reply) => {
      const { staff, temporaryPassword } = await service.create(
        auditContext(request),
        request.body,
      );
      return reply.code(201).send({ staff: toStaff(staff), temporaryPassword });
    },
  );

  routes.get(
    '/v1/admin/staff/:id',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'A staff account',
        params: IdParamsSchema,
        response: { 200: StaffSchema, ...problemResponses(404) },
      },
    },
    async (request) => toStaff(await service.get(request.params.id)),
  );

  routes.patch(
    '/v1/admin/staff/:id',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Rename, disable (ends their sessions) or re-enable a staff account',
        params: IdParamsSchema,
        body: UpdateStaffSchema,
        response: { 200: StaffSchema, ...problemResponses(400, 404, 409) },
      },
    },
    async (request) =>
      toStaff(await service.update(auditContext(request), request.params.id, request.body)),
  );

  routes.put(
    '/v1/admin/staff/:id/roles',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Set the roles of a staff account',
        params: IdParamsSchema,
        body: AssignRolesSchema,
        response: { 200: StaffSchema, ...problemResponses(400, 404, 409) },
      },
    },
    async (request) =>
      toStaff(
        await service.setRoles(
          auditContext(request),
          request.params.id,
          request.body.roleIds,
          request.body.reason,
        ),
      ),
  );

  routes.post(
    '/v1/admin/staff/:id/mfa/reset',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Reset a lost second factor (ends their sessions; they enrol again)',
        params: IdParamsSchema,
        body: z.object({ reason: ReasonSchema }),
        response: { 200: StaffSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) =>
      toStaff(
        await service.resetMfa(auditContext(request), request.params.id, request.body.reason),
      ),
  );

  routes.get(
    '/v1/admin/sessions',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Live staff sessions (all, or one person’s)',
        querystring: z.object({ staffId: z.uuid().optional() }),
        response: { 200: z.object({ data: z.array(SessionSchema) }) },
      },
    },
    async (request) => {
      const rows = await service.listSessions(request.query.staffId);
      return { data: rows.map((row) => sessionView(row, request.principal?.sessionId ?? '')) };
    },
  );

  routes.delete(
    '/v1/admin/sessions/:id',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'End a staff session',
        params: IdParamsSchema,
        querystring: z.object({ reason: ReasonSchema.optional() }),
        response: { 204: z.null(), ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      await service.revokeSession(auditContext(request), request.params.id, request.query.reason);
      return reply.code(204).send(null);
    },
  );
}
