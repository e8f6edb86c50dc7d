import {
  IdParamsSchema,
  LoginRequestSchema,
  LoginResponseSchema,
  MeResponseSchema,
  PasswordChangeSchema,
  RealtimeTicketSchema,
  RecoveryCodesSchema,
  SessionSchema,
  TotpCodeSchema,
  TotpEnrolmentSchema,
  expandGrants,
} from '@backoffice/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FeatureContext } from '../../platform/modules/feature-module.ts';
import type { Principal } from '../../platform/auth/principal.ts';
import { sessionView } from '../../platform/auth/sessions.repository.ts';
import { auditContext } from '../../platform/audit/writer.ts';
import { problemResponses } from '../../platform/http/openapi.ts';
import { AuthService } from './auth.service.ts';
import { ThrottleRepository } from './throttle.repository.ts';

const tags = ['auth'];
const me = (request: FastifyRequest): Principal => {
  if (request.principal === null) throw new Error('route requires authentication');
  return request.principal;
};

function identity(principal: Principal) {
  return {
    id: principal.staffId,
    email: principal.email,
    name: principal.name,
    roles: principal.roles,
    permissions: expandGrants(principal.grants),
  };
}

function mfaStatus(principal: Principal) {
  return {
    enrolled: principal.mfaEnrolled,
    required: principal.mfaRequired,
    verifiedAt: principal.mfaVerifiedAt?.toISOString() ?? null,
  };
}

/** Sign-in, sign-out, the signed-in person's own account, sessions and second factor. */
export function authRoutes(app: FastifyInstance, options: FeatureContext): void {
  const service = new AuthService(
    app.db,
    new ThrottleRepository(app.db),
    app.authenticator,
    app.secretBox,
    app.audit,
    options.config.auth,
    app.identityProvider,
  );
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const self = { authenticated: true, allowIncompleteAccount: true } as const;

  routes.post(
    '/v1/admin/auth/login',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Sign in',
        description:
          'With email and password, plus `totp` (a code or a recovery code) when the account has two-factor ' +
          'authentication: a 401 with `mfaRequired: true` asks for it. Repeated failures lock the account ' +
          'and the client address for a growing time (429 with Retry-After).',
        body: LoginRequestSchema,
        response: { 200: LoginResponseSchema, ...problemResponses(400, 401, 429, 503) },
      },
    },
    async (request) => {
      const { token, principal } = await service.login(request.body, auditContext(request));
      return {
        token,
        expiresAt: principal.sessionExpiresAt.toISOString(),
        user: identity(principal),
        mfa: mfaStatus(principal),
        passwordChangeRequired: principal.mustChangePassword,
      };
    },
  );

  routes.post(
    '/v1/admin/auth/logout',
    {
      config: self,
      schema: { tags, summary: 'Sign out (ends this session)', response: { 204: z.null() } },
    },
    async (request, reply) => {
      await service.logout(me(request), auditContext(request));
      return reply.code(204).send(null);
    },
  );

  routes.get(
    '/v1/admin/auth/me',
    {
      config: self,
      schema: {
        tags,
        summary: 'Who is signed in: roles, permissions, second-factor status',
        response: { 200: MeResponseSchema },
      },
    },
    (request) => {
      const principal = me(request);
      return {
        user: identity(principal),
        provider: principal.provider,
        mfa: mfaStatus(principal),
        passwordChangeRequired: principal.mustChangePassword,
        session: {
          id: principal.sessionId,
          createdAt: principal.sessionCreatedAt.toISOString(),
          expiresAt: principal.sessionExpiresAt.toISOString(),
        },
        features: options.features.map((feature) => feature.name),
      };
    },
  );

  routes.post(
    '/v1/admin/auth/password',
    {
      config: self,
      schema: {
        tags,
        summary: 'Change your password (ends your other sessions)',
        body: PasswordChangeSchema,
        response: { 204: z.null(), ...problemResponses(400, 403) },
      },
    },
    async (request, reply) => {
      await service.changePassword(
        me(request),
        auditContext(request),
        request.body.currentPassword,
        request.body.newPassword,
      );
      return reply.code(204).send(null);
    },
  );

  routes.get(
    '/v1/admin/auth/sessions',
    {
      config: { authenticated: true },
      schema: {
        tags,
        summary: 'Your live sessions',
        response: { 200: z.object({ data: z.array(SessionSchema) }) },
      },
    },
    async (request) => {
      const principal = me(request);
      const sessions = await service.listOwnSessions(principal);
      return { data: sessions.map((s) => sessionView(s, principal.sessionId)) };
    },
  );

  routes.delete(
    '/v1/admin/auth/sessions/:id',
    {
      config: { authenticated: true },
      schema: {
        tags,
        summary: 'End one of your sessions',
        params: IdParamsSchema,
        response: { 204: z.null(), ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      await service.revokeOwnSession(me(request), auditContext(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  routes.post(
    '/v1/admin/auth/mfa/totp',
    {
      config: self,
      schema: {
        tags,
        summary: 'Start TOTP enrolment: a secret and its otpauth:// URI (for the QR code)',
        response: { 200: TotpEnrolmentSchema, ...problemResponses(409) },
      },
    },
    (request) => service.startTotpEnrolment(me(request), auditContext(request)),
  );

  routes.post(
    '/v1/admin/auth/mfa/totp/confirm',
    {
      config: self,
      schema: {
        tags,
        summary:
          'Confirm TOTP enrolment with a first code; returns the recovery codes (shown once)',
        body: TotpCodeSchema,
        response: { 200: RecoveryCodesSchema, ...problemResponses(400, 409) },
      },
    },
    async (request) => ({
      recoveryCodes: await service.confirmTotpEnrolment(
        me(request),
        auditContext(request),
        request.body.code,
      ),
    }),
  );

  routes.post(
    '/v1/admin/auth/mfa/verify',
    {
      config: { authenticated: true },
      schema: {
        tags,
        summary: 'Step-up: prove the second factor now (for actions that need it recently)',
        body: TotpCodeSchema,
        response: {
          200: z.object({ verifiedAt: z.iso.datetime() }),
          ...problemResponses(400, 409, 429),
        },
      },
    },
    async (request) => ({
      verifiedAt: (
        await service.verifySecondFactor(me(request), auditContext(request), request.body.code)
      ).toISOString(),
    }),
  );

  routes.post(
    '/v1/admin/auth/mfa/totp/disable',
    {
      config: { authenticated: true },
      schema: {
        tags,
        summary: 'Turn TOTP off, confirmed with a current code',
        body: TotpCodeSchema,
        response: { 204: z.null(), ...problemResponses(400, 409, 429) },
      },
    },
    async (request, reply) => {
      await service.disableTotp(me(request), auditContext(request), request.body.code);
      return reply.code(204).send(null);
    },
  );

  routes.post(
    '/v1/admin/auth/mfa/recovery-codes',
    {
      config: { authenticated: true },
      schema: {
        tags,
        summary: 'Replace the recovery codes, confirmed with a current code',
        body: TotpCodeSchema,
        response: { 200: RecoveryCodesSchema, ...problemResponses(400, 409, 429) },
      },
    },
    async (request) => ({
      recoveryCodes: await service.regenerateRecoveryCodes(
        me(request),
        auditContext(request),
        request.body.code,
      ),
    }),
  );

  routes.post(
    '/v1/admin/realtime/ticket',
    {
      config: { authenticated: true },
      schema: {
        tags: ['realtime'],
        summary: 'A single-use, 30-second ticket for opening the WebSocket (/v1/admin/ws?ticket=…)',
        response: { 200: RealtimeTicketSchema },
      },
    },
    async (request) => {
      const { ticket, expiresAt } = await service.issueRealtimeTicket(me(request));
      return { ticket, expiresAt: expiresAt.toISOString() };
    },
  );
}
