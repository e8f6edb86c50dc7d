import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from '../../platform/http.ts';
import { UnauthorizedError } from '../../platform/errors.ts';
import { IdParams, PageQuery, pageSchema } from '../../platform/schemas.ts';
import {
  ForceLogoutResponse,
  LoginBody,
  LoginResponse,
  ReasonBody,
  SessionResourceSchema,
  SessionUserResponse,
  SessionsQuery,
  SignUpBody,
  StateChangeResponse,
  UpdateUserBody,
  UserListQuery,
  UserResourceSchema,
} from './users.schemas.ts';
import type { UsersService } from './users.service.ts';

function bearer(authorization: string | undefined): string {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (token === undefined)
    throw new UnauthorizedError('Send the session id: Authorization: Bearer <sessionId>');
  return token;
}

/**
 * The User Service's API (main spec, "Prerequisites" and "Authentication Flow"; disable and enable from
 * Virtual Pet's seed 001). Sign-up and the session endpoints are public (sessions authenticate
 * themselves); the rest needs a service token.
 */
export function usersRoutes(server: FastifyInstance, users: UsersService): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  app.post(
    '/v1/auth/login',
    { config: { public: true }, schema: { body: LoginBody, response: { 200: LoginResponse } } },
    (request) =>
      users.login(
        request.body,
        { ip: request.ip, userAgent: request.headers['user-agent'] ?? null },
        contextOf(request),
      ),
  );

  app.get(
    '/v1/auth/session',
    { config: { public: true }, schema: { response: { 200: SessionUserResponse } } },
    (request) => users.currentSession(bearer(request.headers.authorization)),
  );

  app.post(
    '/v1/auth/logout',
    { config: { public: true }, schema: { response: { 204: z.null() } } },
    async (request, reply) => {
      await users.logout(bearer(request.headers.authorization), contextOf(request));
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/users',
    {
      config: { public: true },
      schema: { body: SignUpBody, response: { 201: UserResourceSchema } },
    },
    async (request, reply) =>
      reply.code(201).send(await users.signUp(request.body, contextOf(request))),
  );

  app.get(
    '/v1/users',
    {
      schema: {
        querystring: UserListQuery.extend(PageQuery.shape),
        response: { 200: pageSchema(UserResourceSchema) },
      },
    },
    (request) => {
      const { page, limit, ...filter } = request.query;
      return users.list(filter, { page, limit });
    },
  );

  app.get(
    '/v1/users/:id',
    { schema: { params: IdParams, response: { 200: UserResourceSchema } } },
    (request) => users.get(request.params.id),
  );

  app.put(
    '/v1/users/:id',
    { schema: { params: IdParams, body: UpdateUserBody, response: { 200: UserResourceSchema } } },
    (request) => users.update(request.params.id, request.body, contextOf(request)),
  );

  app.post(
    '/v1/users/:id/block',
    { schema: { params: IdParams, body: ReasonBody, response: { 200: StateChangeResponse } } },
    (request) => users.block(request.params.id, request.body.reason, contextOf(request)),
  );

  app.post(
    '/v1/users/:id/unblock',
    { schema: { params: IdParams, body: ReasonBody, response: { 200: StateChangeResponse } } },
    (request) => users.unblock(request.params.id, request.body.reason, contextOf(request)),
  );

  app.post(
    '/v1/users/:id/disable',
    { schema: { params: IdParams, body: ReasonBody, response: { 200: StateChangeResponse } } },
    (request) => users.disable(request.params.id, request.body.reason, contextOf(request)),
  );

  app.post(
    '/v1/users/:id/enable',
    { schema: { params: IdParams, body: ReasonBody, response: { 200: StateChangeResponse } } },
    (request) => users.enable(request.params.id, request.body.reason, contextOf(request)),
  );

  app.get(
    '/v1/users/:id/sessions',
    {
      schema: {
        params: IdParams,
        querystring: SessionsQuery.extend(PageQuery.shape),
        response: { 200: pageSchema(SessionResourceSchema) },
      },
    },
    (request) => users.sessions(request.params.id, request.query),
  );

  app.delete(
    '/v1/users/:id/sessions',
    { schema: { params: IdParams, response: { 200: ForceLogoutResponse } } },
    (request) => users.forceLogout(request.params.id, contextOf(request)),
  );
}
