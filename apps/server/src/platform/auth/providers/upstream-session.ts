import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ForbiddenError, ServiceUnavailableError, UnauthorizedError } from '../../http/errors.ts';
import type { ExternalIdentity, ExternalIdentityProvider } from './provider.ts';

const SessionSchema = z.looseObject({
  id: z.string().min(1),
  email: z.string().min(1),
  name: z.string().nullish(),
  role: z.string(),
  state: z.string().optional(),
  expiresAt: z.iso.datetime({ offset: true }).nullish(),
});

const LoginSchema = z.looseObject({ sessionId: z.string().min(1) });

export interface UpstreamSessionOptions {
  /** The platform service that issues the sessions, by name (in messages) and URL. */
  serviceName: string;
  serviceUrl: string;
  cacheTtlMs: number;
  /** The service's role → our role; a role without an entry (the product's own accounts') may not sign in. */
  roleMap: Record<string, string>;
  absoluteHours: number;
  timeoutMs?: number;
}

const MAX_CACHED = 10_000;

/**
 * The main spec's session authentication: the bearer token is a session of the platform's identity
 * service, validated by `GET /v1/auth/session` and cached for a short time (a revoked session stops
 * working within the TTL). The service being down is a 503, not a 401: the session may be valid.
 */
export class UpstreamSessionProvider implements ExternalIdentityProvider {
  readonly name = 'upstream-session' as const;
  private readonly cache = new Map<string, { identity: ExternalIdentity; until: number }>();

  constructor(private readonly options: UpstreamSessionOptions) {}

  async verify(token: string): Promise<ExternalIdentity> {
    const key = createHash('sha256').update(token).digest('hex');
    const cached = this.cache.get(key);
    if (cached !== undefined && cached.until > Date.now()) return cached.identity;

    const response = await this.call('/v1/auth/session', {
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.status === 401 || response.status === 403 || response.status === 404) {
      throw new UnauthorizedError(
        `The session is not valid (the ${this.options.serviceName} does not know it).`,
      );
    }
    if (!response.ok) {
      throw new ServiceUnavailableError(
        `The ${this.options.serviceName} answered ${response.status} while validating the session.`,
      );
    }
    const parsed = SessionSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success)
      throw new ServiceUnavailableError(
        `The ${this.options.serviceName} answered with an unexpected session.`,
      );
    const session = parsed.data;
    if (session.state === 'Blocked') throw new UnauthorizedError('The account is blocked.');
    const role = this.options.roleMap[session.role];
    if (role === undefined) {
      throw new ForbiddenError(
        `The backoffice is for staff: the role ${session.role} cannot use it.`,
      );
    }
    const absolute = Date.now() + this.options.absoluteHours * 3_600_000;
    const expiresAt = new Date(
      session.expiresAt == null ? absolute : Math.min(absolute, Date.parse(session.expiresAt)),
    );
    const identity: ExternalIdentity = {
      subject: session.id,
      email: session.email,
      name: session.name ?? null,
      roles: [role],
      expiresAt,
    };
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value ?? '');
    this.cache.set(key, { identity, until: Date.now() + this.options.cacheTtlMs });
    return identity;
  }

  async login(email: string, password: string): Promise<string> {
    const response = await this.call('/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (response.status === 401 || response.status === 403 || response.status === 400) {
      throw new UnauthorizedError('Invalid email or password.');
    }
    if (!response.ok)
      throw new ServiceUnavailableError(
        `The ${this.options.serviceName} answered ${response.status} to the sign-in.`,
      );
    const parsed = LoginSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success)
      throw new ServiceUnavailableError(
        `The ${this.options.serviceName} answered the sign-in unexpectedly.`,
      );
    return parsed.data.sessionId;
  }

  private async call(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(new URL(path, this.options.serviceUrl), {
        ...init,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 3_000),
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        `The ${this.options.serviceName} cannot be reached to validate the session.`,
        {
          cause: error,
        },
      );
    }
  }
}
