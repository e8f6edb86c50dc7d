import type { Permission } from '@backoffice/contracts';
import type { FastifyInstance, FastifyRequest, FastifySchema, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../../config.ts';
import { auditContext } from '../audit/writer.ts';
import { ForbiddenError, UnauthorizedError } from '../http/errors.ts';
import { AccountsRepository } from './accounts.repository.ts';
import { Authenticator } from './authenticator.ts';
import { SecretBox } from './crypto.ts';
import { registerPiiMasking } from './pii-masking.ts';
import { PiiRevealsRepository } from './pii-reveals.repository.ts';
import { can, type Principal } from './principal.ts';
import { OidcProvider } from './providers/oidc.ts';
import type { ExternalIdentityProvider } from './providers/provider.ts';
import { UpstreamSessionProvider } from './providers/upstream-session.ts';
import { SessionsRepository } from './sessions.repository.ts';

declare module 'fastify' {
  interface FastifyInstance {
    authenticator: Authenticator;
    /** Seals secrets at rest with the instance key (TOTP seeds). */
    secretBox: SecretBox;
    /** The configured external identity provider, if any (upstream-session, oidc). */
    identityProvider: ExternalIdentityProvider | undefined;
    /** Time-limited reveals of one person's personal data to one staff member. */
    piiReveals: PiiRevealsRepository;
    /** Every route under /v1/admin with what it requires (the route-completeness test walks it). */
    adminRoutes: AdminRoute[];
    /** Sets what decides whether a route's `approval` action may run now (the approval engine). */
    setApprovalGate(gate: ApprovalGate): void;
  }
}

/**
 * Decides whether a request of a route declaring `approval: action` may run now; throws an AppError
 * when it may not (it needs, or awaits, a second person's approval). Without a gate, it may.
 */
export type ApprovalGate = (request: FastifyRequest, action: string) => Promise<void>;

export interface AdminRoute {
  method: string;
  url: string;
  access: 'public' | 'authenticated' | Permission;
}

/** Paths under this prefix must each declare who may call them. */
export const ADMIN_PREFIX = '/v1/admin';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function externalProvider(config: Config): ExternalIdentityProvider | undefined {
  const { auth } = config;
  switch (auth.provider) {
    case 'builtin':
      return undefined;
    case 'upstream-session':
      return new UpstreamSessionProvider({
        serviceName: auth.upstream.serviceName,
        serviceUrl: auth.upstream.url ?? '',
        cacheTtlMs: auth.upstream.cacheTtlMs,
        roleMap: auth.upstream.roleMap,
        absoluteHours: auth.sessionAbsoluteHours,
      });
    case 'oidc':
      if (auth.oidc === undefined)
        throw new Error('OIDC_ISSUER is required with AUTH_PROVIDER=oidc');
      return new OidcProvider(auth.oidc);
  }
}

function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
  if (match?.[1] === undefined) {
    throw new UnauthorizedError('Sign in first: send Authorization: Bearer <token>.', {
      headers: { 'www-authenticate': 'Bearer' },
    });
  }
  return match[1];
}

/** What still stands between a signed-in person and the rest of the API. */
function incompleteAccount(principal: Principal): { action: string; detail: string } | undefined {
  if (principal.mustChangePassword) {
    return {
      action: 'change_password',
      detail: 'Change the temporary password before anything else.',
    };
  }
  if (principal.mfaRequired && !principal.mfaEnrolled) {
    return {
      action: 'enrol_mfa',
      detail: 'Your role requires two-factor authentication: enrol a TOTP authenticator first.',
    };
  }
  return undefined;
}

/**
 * Authentication and authorisation for every route, declared next to its schema:
 * `config: { permission: 'audit:read' }`, `config: { authenticated: true }` or `config: { public: true }`.
 * A `/v1/admin` route that declares neither permission nor authenticated stops the app at start: no
 * route can be reachable by accident. OpenAPI marks each protected route with the bearer scheme and
 * its permission.
 */
export const authPlugin = fp(
  (app: FastifyInstance, options: { config: Config; secretKey: Buffer }) => {
    const provider = externalProvider(options.config);
    const authenticator = new Authenticator(
      new SessionsRepository(app.db),
      new AccountsRepository(app.db),
      options.config.auth,
      provider,
      app.notifications,
    );
    app.decorate('authenticator', authenticator);
    // A staff write answered here must not be followed by a request that sees its principal as it was;
    // other instances hear of it through the triggers' notifications.
    app.addHook('onSend', (request, _reply, payload, done) => {
      if (!SAFE_METHODS.has(request.method) && request.url.startsWith(ADMIN_PREFIX))
        authenticator.forgetCachedPrincipals();
      done(null, payload);
    });
    app.decorate('secretBox', new SecretBox(options.secretKey));
    app.decorate('identityProvider', provider);
    app.decorateRequest('principal', null);
    const piiReveals = new PiiRevealsRepository(app.db);
    app.decorate('piiReveals', piiReveals);
    registerPiiMasking(app);
    const adminRoutes: AdminRoute[] = [];
    app.decorate('adminRoutes', adminRoutes);
    let approvalGate: ApprovalGate | undefined;
    app.decorate('setApprovalGate', (gate: ApprovalGate) => {
      approvalGate = gate;
    });
    const stepUp = requireRecentMfa(options.config.auth.stepUpSeconds);

    app.addHook('onRoute', (route: RouteOptions) => {
      const config = route.config ?? {};
      const protectedRoute = config.permission !== undefined || config.authenticated === true;
      if (route.url.startsWith(ADMIN_PREFIX)) {
        if (!protectedRoute && config.public !== true) {
          throw new Error(
            `${route.method.toString()} ${route.url} declares no permission (config.permission)`,
          );
        }
        for (const method of [route.method].flat()) {
          if (method === 'HEAD') continue;
          adminRoutes.push({
            method,
            url: route.url,
            access:
              config.permission ?? (config.authenticated === true ? 'authenticated' : 'public'),
          });
        }
      }
      if (!protectedRoute) {
        if (
          config.stepUp === true ||
          config.sensitive !== undefined ||
          config.approval !== undefined
        )
          throw new Error(`${route.method.toString()} ${route.url}: a policy needs a permission`);
        return;
      }
      const schema = (route.schema ?? {}) as Record<string, unknown>;
      const requirement =
        config.permission === undefined
          ? 'Requires a signed-in staff member.'
          : `Requires permission \`${config.permission}\`.`;
      const stepUpNote =
        config.stepUp === true
          ? `Needs a second factor proven within the last ${options.config.auth.stepUpSeconds} s (POST /v1/admin/auth/mfa/verify).`
          : undefined;
      // `x-` keys reach the OpenAPI operation as vendor extensions.
      route.schema = {
        ...schema,
        security: [{ bearerAuth: [] }],
        description: [schema.description, requirement, stepUpNote].filter(Boolean).join('\n\n'),
        'x-permission': config.permission ?? 'authenticated',
        ...(config.stepUp === true ? { 'x-step-up': true } : {}),
        ...(config.approval === undefined ? {} : { 'x-approval-action': config.approval }),
      } as FastifySchema;

      // The route's policy beyond its permission, enforced here for every route alike, once the
      // request is valid (a conditional requirement may depend on the body).
      const { sensitive, approval } = config;
      if (config.stepUp !== true && sensitive === undefined && approval === undefined) return;
      const policy = async (request: FastifyRequest): Promise<void> => {
        if (config.stepUp === true) await stepUp(request);
        if (sensitive?.when(request) === true) {
          if (sensitive.permission !== undefined && !can(request.principal, sensitive.permission)) {
            throw new ForbiddenError(
              `${sensitive.what} needs the ${sensitive.permission} permission.`,
              { extensions: { permission: sensitive.permission } },
            );
          }
          if (sensitive.stepUp === true) await stepUp(request);
        }
        if (approval !== undefined && approvalGate !== undefined)
          await approvalGate(request, approval);
      };
      route.preHandler = [policy, ...[route.preHandler ?? []].flat()];
    });

    app.addHook('onRequest', async (request) => {
      const config = request.routeOptions.config;
      if (config.permission === undefined && config.authenticated !== true) return;
      const ticket = (request.query as { ticket?: unknown }).ticket;
      const principal =
        config.ticketAuth === true && typeof ticket === 'string'
          ? await authenticator.authenticateTicket(ticket)
          : await authenticator.authenticate(bearerToken(request), {
              ip: request.ip,
              userAgent: request.headers['user-agent'] ?? null,
            });
      request.principal = principal;

      const incomplete = incompleteAccount(principal);
      if (incomplete !== undefined && config.allowIncompleteAccount !== true) {
        throw new ForbiddenError(incomplete.detail, {
          extensions: { requiredAction: incomplete.action },
        });
      }
      if (config.permission !== undefined && !can(principal, config.permission)) {
        // A denied attempt is part of the trail; if even that cannot be written, the answer stays 403.
        await app.audit
          .record(app.db, auditContext(request), {
            action: 'access.denied',
            resourceType: 'route',
            resourceId: `${request.method} ${request.routeOptions.url ?? request.url}`,
            outcome: 'denied',
            reason: `requires ${config.permission}`,
          })
          .catch(() => undefined);
        throw new ForbiddenError(
          `This needs the permission ${config.permission}, which your roles do not grant.`,
          {
            extensions: { permission: config.permission },
          },
        );
      }
    });
  },
  { name: 'auth', dependencies: ['database', 'audit'] },
);

/**
 * Step-up: the route needs a second factor proven within `seconds` (at sign-in, or later through
 * POST /v1/admin/auth/mfa/verify). Routes declare it (`config.stepUp`); the auth plugin enforces it.
 */
function requireRecentMfa(seconds: number) {
  return async (request: FastifyRequest): Promise<void> => {
    const principal = request.principal;
    if (principal === null) throw new UnauthorizedError('Sign in first.');
    const verifiedAt = principal.mfaVerifiedAt?.getTime() ?? 0;
    if (Date.now() - verifiedAt > seconds * 1000) {
      throw new ForbiddenError(
        principal.mfaEnrolled
          ? `Confirm with your authenticator code first (POST /v1/admin/auth/mfa/verify); it counts for ${seconds} s.`
          : 'This action needs two-factor authentication: enrol an authenticator first.',
        {
          extensions: {
            requiredAction: principal.mfaEnrolled ? 'verify_mfa' : 'enrol_mfa',
            withinSeconds: seconds,
          },
        },
      );
    }
    return Promise.resolve();
  };
}
