import type { Config } from '../../config.ts';
import { UnauthorizedError } from '../http/errors.ts';
import type { AccountsRepository } from './accounts.repository.ts';
import { hashToken } from './crypto.ts';
import type { Principal } from './principal.ts';
import type { ExternalIdentityProvider } from './providers/provider.ts';
import type { SessionWithAccount, SessionsRepository } from './sessions.repository.ts';

/** Sessions issued by our own sign-in carry this prefix; any other bearer token is the provider's. */
export const BUILTIN_TOKEN_PREFIX = 'bo';

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/**
 * Turns a bearer token into a principal. Our own session tokens (`bo_…`) are looked up by hash and
 * expire when idle or at their absolute limit. Tokens of the external provider (User Service session,
 * OIDC JWT) are verified by it, and get a session row of ours on first use — so every principal has a
 * session that can be listed, revoked and step-up verified, whichever provider proved it. Our own
 * tokens keep working whatever AUTH_PROVIDER is: the bootstrap admin is the way in when the provider
 * is down.
 */
export class Authenticator {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly accounts: AccountsRepository,
    private readonly config: Config['auth'],
    private readonly external: ExternalIdentityProvider | undefined,
  ) {}

  async authenticate(token: string, meta: RequestMeta): Promise<Principal> {
    const tokenHash = hashToken(token);
    let found;
    if (token.startsWith(`${BUILTIN_TOKEN_PREFIX}_`) || this.external === undefined) {
      found = await this.sessions.findLive({ tokenHash });
    } else {
      const identity = await this.external.verify(token);
      await this.sessions.assertRoles(tokenHash, identity.roles);
      found = await this.sessions.findLive({ tokenHash });
      if (found === undefined) {
        const account = await this.accounts.upsertExternal(
          this.external.name,
          identity.subject,
          identity.email,
          identity.name,
        );
        // A revoked or expired session keeps its row: the token stays refused, not reborn.
        await this.sessions.createForExternalToken({
          tokenHash,
          staffId: account.id,
          provider: this.external.name,
          expiresAt: identity.expiresAt,
          roles: identity.roles,
          ip: meta.ip,
          userAgent: meta.userAgent,
        });
        found = await this.sessions.findLive({ tokenHash });
      }
    }
    return this.principalOf(found);
  }

  /** A WebSocket ticket: single use, 30 seconds, bound to the session that asked for it. */
  async authenticateTicket(ticket: string): Promise<Principal> {
    const sessionId = await this.sessions.consumeTicket(hashToken(ticket));
    if (sessionId === undefined)
      throw new UnauthorizedError('The ticket is invalid, used or expired. Ask for a new one.');
    return this.principalOf(await this.sessions.findLive({ id: sessionId }));
  }

  /** The principal of a live session, re-read (the WebSocket hub checks its sockets' sessions with it). */
  async authenticateSession(sessionId: string): Promise<Principal> {
    return this.principalOf(await this.sessions.findLive({ id: sessionId }), false);
  }

  private async principalOf(
    found: SessionWithAccount | undefined,
    touch = true,
  ): Promise<Principal> {
    if (found === undefined)
      throw new UnauthorizedError('The session is invalid or has expired. Sign in again.');

    const { session, staff } = found;
    if (staff.status !== 'active') throw new UnauthorizedError('The account is disabled.');
    if (session.provider === 'builtin') {
      const idleLimit = session.last_seen_at.getTime() + this.config.sessionIdleMinutes * 60_000;
      if (idleLimit < Date.now()) {
        await this.sessions.revoke(session.id, null, 'idle timeout');
        throw new UnauthorizedError(
          `The session expired after ${this.config.sessionIdleMinutes} minutes without activity. Sign in again.`,
        );
      }
    }
    // last_seen_at has minute precision for the idle timeout: skip the round trip until it is due.
    if (touch && session.last_seen_at.getTime() < Date.now() - 60_000)
      await this.sessions.touch(session.id);

    return {
      staffId: staff.id,
      email: staff.email,
      name: staff.name,
      provider: session.provider,
      roles: found.roles,
      grants: found.grants,
      sessionId: session.id,
      sessionCreatedAt: session.created_at,
      sessionExpiresAt: session.expires_at,
      mfaVerifiedAt: session.mfa_verified_at,
      mfaEnrolled: staff.mfaEnrolled,
      mfaRequired: found.roles.some((role) => this.config.mfaRequiredRoles.includes(role)),
      mustChangePassword: staff.mustChangePassword,
    };
  }
}
