import type { Config } from '../../config.ts';
import type { Notifications } from '../db/notifications.ts';
import { UnauthorizedError } from '../http/errors.ts';
import type { AccountsRepository } from './accounts.repository.ts';
import { hashToken } from './crypto.ts';
import type { Principal } from './principal.ts';
import type { ExternalIdentityProvider } from './providers/provider.ts';
import {
  SESSIONS_CHANNEL,
  type SessionWithAccount,
  type SessionsRepository,
} from './sessions.repository.ts';

/** Sessions issued by our own sign-in carry this prefix; any other bearer token is the provider's. */
export const BUILTIN_TOKEN_PREFIX = 'bo';

/** Announced by triggers (migration 0015): `session:<id>`, `staff:<id>` or `*`. */
export const PRINCIPALS_CHANNEL = 'backoffice_principals';

/** Beyond this many cached sessions, the oldest is evicted. */
const CACHE_MAX = 20_000;

/**
 * The sessions this instance has looked up lately, by token hash, so that a request costs no session
 * look-up. An entry is trusted for `sessionCacheSeconds` at most, only while the LISTEN connection is up,
 * and is evicted as soon as anything it was built from changes: the triggers of migration 0015 announce
 * every change to sessions (but their last-seen time), accounts, role assignments, roles and grants, on
 * this instance or any other; a revocation also arrives on the sessions channel. A write handled by this
 * instance clears it before its answer leaves (`forgetAll`), so the writer's next request never sees
 * what it just changed as it was.
 */
class PrincipalCache {
  private readonly entries = new Map<string, { found: SessionWithAccount; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly notifications: Notifications | undefined,
  ) {
    if (notifications === undefined || ttlMs === 0) return;
    notifications.on(PRINCIPALS_CHANNEL, (payload) => this.evict(payload));
    notifications.on(SESSIONS_CHANNEL, (sessionId) => this.evict(`session:${sessionId}`));
    notifications.onReconnect(() => this.forgetAll());
  }

  get(key: string): SessionWithAccount | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (
      !this.trusted() ||
      Date.now() - entry.at > this.ttlMs ||
      entry.found.session.expires_at.getTime() <= Date.now()
    ) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.found;
  }

  set(key: string, found: SessionWithAccount): void {
    if (!this.trusted()) return;
    if (this.entries.size >= CACHE_MAX) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { found, at: Date.now() });
  }

  forgetAll(): void {
    this.entries.clear();
  }

  private trusted(): boolean {
    return this.ttlMs > 0 && this.notifications?.listening === true;
  }

  private evict(payload: string): void {
    if (payload === '*') return this.forgetAll();
    const [kind, id] = payload.split(':');
    for (const [key, { found }] of this.entries) {
      if (
        (kind === 'session' && found.session.id === id) ||
        (kind === 'staff' && found.staff.id === id)
      )
        this.entries.delete(key);
    }
  }
}

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
}

/**
 * Turns a bearer token into a principal. Our own session tokens (`bo_…`) are looked up by hash and
 * expire when idle or at their absolute limit. Tokens of the external provider (a platform service's session,
 * OIDC JWT) are verified by it, and get a session row of ours on first use — so every principal has a
 * session that can be listed, revoked and step-up verified, whichever provider proved it. Our own
 * tokens keep working whatever AUTH_PROVIDER is: the bootstrap admin is the way in when the provider
 * is down.
 */
export class Authenticator {
  private readonly cache: PrincipalCache;

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly accounts: AccountsRepository,
    private readonly config: Config['auth'],
    private readonly external: ExternalIdentityProvider | undefined,
    notifications?: Notifications,
  ) {
    this.cache = new PrincipalCache(config.sessionCacheSeconds * 1_000, notifications);
  }

  /** Drops every cached principal of this instance (after a write it handled). */
  forgetCachedPrincipals(): void {
    this.cache.forgetAll();
  }

  async authenticate(token: string, meta: RequestMeta): Promise<Principal> {
    const tokenHash = hashToken(token);
    let found;
    if (token.startsWith(`${BUILTIN_TOKEN_PREFIX}_`) || this.external === undefined) {
      const key = tokenHash.toString('base64');
      found = this.cache.get(key);
      if (found === undefined) {
        found = await this.sessions.findLive({ tokenHash });
        if (found !== undefined) this.cache.set(key, found);
      }
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
        // A cached copy's last-seen time may be older than another instance's: read it again first.
        const current = await this.sessions.findLive({ id: session.id });
        if (
          current !== undefined &&
          current.session.last_seen_at.getTime() > session.last_seen_at.getTime()
        )
          return this.principalOf(current, touch);
        await this.sessions.revoke(session.id, null, 'idle timeout');
        throw new UnauthorizedError(
          `The session expired after ${this.config.sessionIdleMinutes} minutes without activity. Sign in again.`,
        );
      }
    }
    // last_seen_at has minute precision for the idle timeout: skip the round trip until it is due.
    if (touch && session.last_seen_at.getTime() < Date.now() - 60_000) {
      await this.sessions.touch(session.id);
      session.last_seen_at = new Date(); // the cached copy too: touched once a minute, not per request
    }

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
      reveals: found.reveals,
    };
  }
}
