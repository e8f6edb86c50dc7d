import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ForbiddenError, ServiceUnavailableError, UnauthorizedError } from '../../http/errors.ts';
import type { ExternalIdentity, ExternalIdentityProvider } from './provider.ts';

const SessionUserSchema = z.looseObject({
  id: z.string().min(1),
  email: z.string().min(1),
  name: z.string().nullish(),
  role: z.string(),
  state: z.string().optional(),
  expiresAt: z.iso.datetime({ offset: true }).nullish(),
});

const LoginSchema = z.looseObject({ sessionId: z.string().min(1) });

export interface UpstreamSessionOptions {
  userServiceUrl: string;
  cacheTtlMs: number;
  /** User Service role → our role; a role without an entry (Customer) may not sign in. */
  roleMap: Record<string, string>;
  absoluteHours: number;
  timeoutMs?: number;
}

const MAX_CACHED = 10_000;

/**
 * The main spec's session authentication: the bearer token is a User Service session, validated by
 * `GET /v1/auth/session` and cached for a short time (a revoked session stops working within the TTL).
 * The User Service being down is a 503, not a 401: the session may be perfectly valid.
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
      throw new UnauthorizedError('The session is not valid (the User Service does not know it).');
    }
    if (!response.ok) {
      throw new ServiceUnavailableError(
        `The User Service answered ${response.status} while validating the session.`,
      );
    }
    const parsed = SessionUserSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success)
      throw new ServiceUnavailableError('The User Service answered with an unexpected session.');
    const user = parsed.data;
    if (user.state === 'Blocked') throw new UnauthorizedError('The account is blocked.');
    const role = this.options.roleMap[user.role];
    if (role === undefined) {
      throw new ForbiddenError(`The backoffice is for staff: the role ${user.role} cannot use it.`);
    }
    const absolute = Date.now() + this.options.absoluteHours * 3_600_000;
    const expiresAt = new Date(
      user.expiresAt == null ? absolute : Math.min(absolute, Date.parse(user.expiresAt)),
    );
    const identity: ExternalIdentity = {
      subject: user.id,
      email: user.email,
      name: user.name ?? null,
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
        `The User Service answered ${response.status} to the sign-in.`,
      );
    const parsed = LoginSchema.safeParse(await response.json().catch(() => null));
    if (!parsed.success)
      throw new ServiceUnavailableError('The User Service answered the sign-in unexpectedly.');
    return parsed.data.sessionId;
  }

  private async call(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(new URL(path, this.options.userServiceUrl), {
        ...init,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 3_000),
      });
    } catch (error) {
      throw new ServiceUnavailableError(
        'The User Service cannot be reached to validate the session.',
        {
          cause: error,
        },
      );
    }
  }
}
