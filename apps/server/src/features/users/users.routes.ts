import {
  BlockRequestSchema,
  BulkRequestSchema,
  BulkResultSchema,
  ForceLogoutResultSchema,
  IdParamsSchema,
  RevealRequestSchema,
  RevealResultSchema,
  ReasonSchema,
  UpdateUserSchema,
  UserExportQuerySchema,
  UserActionResultSchema,
  UserDetailSchema,
  UserListItemSchema,
  UserListQuerySchema,
  UserListResponseSchema,
  UserSessionSchema,
} from '@backoffice/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import { auditContext } from '../../platform/audit/writer.ts';
import { sendExport } from '../../platform/http/export.ts';
import { problemResponses } from '../../platform/http/openapi.ts';
import { AuditRepository } from '../audit/audit.repository.ts';
import { UsersRepository } from './users.repository.ts';
import { UsersService } from './users.service.ts';

const tags = ['users'];
const upstreamFailures = problemResponses(400, 404, 409, 502, 503);

/** The users service as the routes of this feature (and of features that act on users) use it. */
export const usersService = (app: FastifyInstance, config: Config) =>
  new UsersService(
    app.db,
    new UsersRepository(app.db),
    new AuditRepository(app.db, app.upstream.nameOf),
    app.audit,
    app.upstream,
    app.piiReveals,
    config.auth.piiRevealMinutes,
  );

/** Users and support operations (main spec paths under /v1/admin/users). */
export function usersRoutes(app: FastifyInstance, options: { config: Config }): void {
  const service = usersService(app, options.config);
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/v1/admin/users',
    {
      config: { permission: 'users:read' },
      schema: {
        tags,
        summary: 'Search users (email, name or id), filter, sort, page or cursor',
        querystring: UserListQuerySchema,
        response: { 200: UserListResponseSchema, ...problemResponses(400) },
      },
    },
    (request) => {
      const { sort, page, limit, cursor, ...filter } = request.query;
      return service.list(filter, sort, page, limit, cursor);
    },
  );

  routes.get(
    '/v1/admin/users/export',
    {
      config: { permission: 'users:read' },
      schema: {
        tags,
        summary: 'Export the users of a filter (CSV or NDJSON), streamed',
        description:
          'Every user matching the filters, in the sort order, read a thousand at a time. Personal ' +
          'data is masked for callers without users:read_pii. CSV cells a spreadsheet would run as a ' +
          'formula are prefixed with an apostrophe. The export is itself audited (resources.export).',
        querystring: UserExportQuerySchema,
        response: { ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      const { format, sort, ...filter } = request.query;
      const lines = await service.export(
        auditContext(request),
        request.principal ?? null,
        filter,
        sort,
        format,
      );
      return sendExport(reply, 'users', format, lines);
    },
  );

  routes.get(
    '/v1/admin/users/:id',
    {
      config: { permission: 'users:read' },
      schema: {
        tags,
        summary:
          'The 360° view: profile, state, sessions, totals, recent transactions, budgets, audit',
        params: IdParamsSchema,
        response: { 200: UserDetailSchema, ...problemResponses(404) },
      },
    },
    (request) => service.detail(request.params.id, request.principal?.staffId ?? null),
  );

  routes.post(
    '/v1/admin/users/:id/reveal',
    {
      config: { permission: 'users:reveal_pii' },
      schema: {
        tags,
        summary: 'See one user’s personal data for a while, giving a justification (audited)',
        description:
          'For callers without users:read_pii: this user’s email, name and addresses show unmasked to you, ' +
          'in every API response, until `revealedUntil` (PII_REVEAL_MINUTES). The reveal and its reason are ' +
          'an audit entry (users.pii_revealed) on the user. Exports and live feeds stay masked.',
        params: IdParamsSchema,
        body: RevealRequestSchema,
        response: { 200: RevealResultSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const result = await service.reveal(
        auditContext(request),
        request.params.id,
        request.body.reason,
      );
      // This answer is masked with the reveal it just granted (the principal was read before it).
      if (request.principal !== null) {
        const reveals = new Map(request.principal.reveals);
        reveals.set(request.params.id, new Date(result.revealedUntil));
        request.principal = { ...request.principal, reveals };
      }
      return result;
    },
  );

  routes.get(
    '/v1/admin/users/:id/sessions',
    {
      config: { permission: 'users:read' },
      schema: {
        tags,
        summary: 'The user’s active sessions',
        params: IdParamsSchema,
        response: { 200: z.object({ data: z.array(UserSessionSchema) }), ...problemResponses(404) },
      },
    },
    async (request) => ({ data: await service.sessions(request.params.id) }),
  );

  for (const action of ['block', 'unblock'] as const) {
    routes.post(
      `/v1/admin/users/:id/${action}`,
      {
        config: { permission: 'users:block' },
        schema: {
          tags,
          summary: `${action === 'block' ? 'Block' : 'Unblock'} a user (through the User Service), with a reason`,
          description: `Idempotent: a user already ${action === 'block' ? 'blocked' : 'active'} answers 200 with changed: false.`,
          params: IdParamsSchema,
          body: BlockRequestSchema,
          response: { 200: UserActionResultSchema, ...upstreamFailures },
        },
      },
      (request) =>
        service.changeState(auditContext(request), request.params.id, action, request.body.reason),
    );
  }

  routes.put(
    '/v1/admin/users/:id',
    {
      config: {
        permission: 'users:write',
        // A role is a privilege: handing one out (Admin above all) is a sensitive action.
        sensitive: {
          what: 'Changing a user’s role',
          when: (request) => (request.body as { role?: string }).role !== undefined,
          permission: 'users:role',
          stepUp: true,
        },
      },
      schema: {
        tags,
        summary: 'Change a user’s name, email or role (through the User Service)',
        description:
          'Changing `role` also needs `users:role` and a recent second factor, and is refused on your own account.',
        params: IdParamsSchema,
        body: UpdateUserSchema,
        response: { 200: UserListItemSchema, ...upstreamFailures },
      },
    },
    (request) => service.update(auditContext(request), request.params.id, request.body),
  );

  routes.post(
    '/v1/admin/users/:id/force-logout',
    {
      config: { permission: 'users:sessions', stepUp: true },
      schema: {
        tags,
        summary: 'End all the user’s sessions (needs a recent second-factor proof)',
        params: IdParamsSchema,
        body: z.object({ reason: ReasonSchema.optional() }).optional(),
        response: { 200: ForceLogoutResultSchema, ...problemResponses(403, 404, 502, 503) },
      },
    },
    (request) =>
      service.forceLogout(auditContext(request), request.params.id, request.body?.reason ?? null),
  );

  for (const action of ['block', 'unblock', 'force-logout'] as const) {
    routes.post(
      `/v1/admin/users/bulk/${action}`,
      {
        config: {
          permission: action === 'force-logout' ? 'users:sessions' : 'users:block',
          stepUp: true,
        },
        schema: {
          tags,
          summary: `${action} up to 500 users at once, with per-user results (needs a recent second-factor proof)`,
          body: BulkRequestSchema,
          response: { 200: BulkResultSchema, ...problemResponses(400, 403) },
        },
      },
      (request) =>
        service.bulk(auditContext(request), action, request.body.userIds, request.body.reason),
    );
  }
}
