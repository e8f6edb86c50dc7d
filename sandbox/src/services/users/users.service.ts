import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, SessionEndReason, UserState } from '../../db/schema.ts';
import type { UserRole } from '../../domain/accounts.ts';
import { hashPassword, verifyPassword } from '../../domain/passwords.ts';
import { newEvent, type Envelope, type OutboxEvent } from '../../outbox/events.ts';
import { appendToOutbox } from '../../outbox/outbox.repository.ts';
import { actorId, type ActionContext, type ClientInfo } from '../../platform/context.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
} from '../../platform/errors.ts';
import type { Page, PageRequest } from '../../platform/schemas.ts';
import { isUniqueViolation } from '../../platform/sql.ts';
import {
  accountSwitchEvent,
  clientOf,
  keycloakEvent,
  type KeycloakEventInput,
  type SignInError,
} from '../identity/keycloak.ts';
import { SessionsRepository, type SessionRow } from './sessions.repository.ts';
import {
  toSessionResource,
  toUserResource,
  type SessionResource,
  type UserResource,
} from './users.schemas.ts';
import { UsersRepository, type UserFilter, type UserRow } from './users.repository.ts';

export interface UsersServiceOptions {
  db: Kysely<DB>;
  sessionTtlMs: number;
  /**
   * Report to the Virtual Pet platform's identity provider: its Keycloak events (sign-ins,
   * registrations, failed sign-ins, sign-outs, profile changes, accounts switched off or on) go to the
   * outbox beside the User Service's own events.
   */
  keycloak?: boolean;
}

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: UserRole;
  state: UserState;
  sessionId: string;
  expiresAt: string;
}

type StateChange = { user: UserResource; changed: boolean };

/** The events of a state change: the User Service's own, then the identity provider's. */
interface StateEvents {
  state: (now: Date) => Envelope;
  identity?: (now: Date, user: UserResource) => OutboxEvent[];
}

const UNKNOWN_SESSION = 'The session is unknown, has ended or has expired';
const REFUSED_STATE: Record<Exclude<UserState, 'Active'>, string> = {
  Blocked: 'This account is blocked',
  Disabled: 'This account is disabled',
};

/**
 * The User Service: accounts, sign-in sessions and the admin operations of the main spec's
 * "Prerequisites" (and Virtual Pet's account switch, seed 001 US12). Every change and its events are
 * written in one transaction (transactional outbox); changes to one user are serialised by locking the
 * user's row.
 *
 * A user is Active, Blocked (for misuse) or Disabled (the account switched off): both of the latter
 * stop sign-ins and end the sessions. They exclude each other: one is lifted before the other is put.
 */
export class UsersService {
  private readonly db: Kysely<DB>;
  private readonly sessionTtlMs: number;
  private readonly keycloak: boolean;

  constructor(options: UsersServiceOptions) {
    this.db = options.db;
    this.sessionTtlMs = options.sessionTtlMs;
    this.keycloak = options.keycloak ?? false;
  }

  async signUp(
    input: { email: string; password: string; name?: string | undefined },
    context: ActionContext,
  ): Promise<UserResource> {
    const passwordHash = await hashPassword(input.password);
    const now = new Date();
    try {
      return await this.db.transaction().execute(async (trx) => {
        const users = new UsersRepository(trx);
        if (await users.emailTaken(input.email)) throw this.emailConflict(input.email);
        const user = toUserResource(
          await users.insert({
            id: randomUUID(),
            email: input.email,
            name: input.name ?? null,
            role: 'Customer',
            state: 'Active',
            password_hash: passwordHash,
            created_at: now,
            updated_at: now,
          }),
        );
        await appendToOutbox(trx, [
          newEvent('user.created', { user }, context.correlationId, now),
          ...this.identity({
            type: 'REGISTER',
            time: now.getTime(),
            userId: user.id,
            username: user.email,
            ipAddress: context.client?.ip ?? null,
            clientId: clientOf(context.client?.userAgent),
          }),
        ]);
        return user;
      });
    } catch (error) {
      throw isUniqueViolation(error) ? this.emailConflict(input.email) : error;
    }
  }

  async login(
    credentials: { email: string; password: string },
    client: ClientInfo,
    context: ActionContext,
  ): Promise<{ sessionId: string; userId: string }> {
    const found = await new UsersRepository(this.db).findByEmail(credentials.email);
    if (found === undefined || !(await verifyPassword(credentials.password, found.password_hash))) {
      const error: SignInError =
        found === undefined ? 'user_not_found' : 'invalid_user_credentials';
      await appendToOutbox(this.db, this.signInRefused(credentials.email, found, error, client));
      throw new UnauthorizedError('Invalid email or password');
    }
    type Outcome = { refused: keyof typeof REFUSED_STATE } | { sessionId: string; userId: string };
    const outcome = await this.db.transaction().execute(async (trx): Promise<Outcome> => {
      // Re-read under a shared lock: a block committing meanwhile must not leave a session behind.
      const user = this.found(await new UsersRepository(trx).lockForShare(found.id), found.id);
      if (user.state !== 'Active') {
        await appendToOutbox(trx, this.signInRefused(user.email, user, 'user_disabled', client));
        return { refused: user.state };
      }
      const now = new Date();
      const session = await new SessionsRepository(trx).insert({
        id: randomUUID(),
        user_id: user.id,
        created_at: now,
        expires_at: new Date(now.getTime() + this.sessionTtlMs),
        ip: client.ip,
        user_agent: client.userAgent,
      });
      await appendToOutbox(trx, [
        newEvent(
          'session.created',
          {
            session_id: session.id,
            user_id: user.id,
            created_at: session.created_at.toISOString(),
            expires_at: session.expires_at.toISOString(),
            ip: session.ip,
            user_agent: session.user_agent,
          },
          context.correlationId,
          now,
        ),
        ...this.identity({
          type: 'LOGIN',
          time: now.getTime(),
          userId: user.id,
          username: user.email,
          sessionId: session.id,
          ipAddress: session.ip,
          clientId: clientOf(session.user_agent),
        }),
      ]);
      return { sessionId: session.id, userId: user.id };
    });
    if ('refused' in outcome) throw new ForbiddenError(REFUSED_STATE[outcome.refused]);
    return outcome;
  }

  /** The user behind an active session (the main spec's session validation). */
  async currentSession(sessionId: string): Promise<SessionUser> {
    const row = await new SessionsRepository(this.db).findWithUser(sessionId);
    if (row === undefined || row.ended_at !== null || row.expires_at <= new Date()) {
      throw new UnauthorizedError(UNKNOWN_SESSION);
    }
    return {
      id: row.user_id,
      email: row.email,
      name: row.name,
      role: row.role,
      state: row.state,
      sessionId: row.id,
      expiresAt: row.expires_at.toISOString(),
    };
  }

  async logout(sessionId: string, context: ActionContext): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const sessions = new SessionsRepository(trx);
      const session = await sessions.lockForUpdate(sessionId);
      const now = new Date();
      if (session === undefined || session.ended_at !== null || session.expires_at <= now) {
        throw new UnauthorizedError(UNKNOWN_SESSION);
      }
      const ended = await sessions.end(session.id, now, 'logout');
      const user = this.keycloak
        ? await new UsersRepository(trx).findById(ended.user_id)
        : undefined;
      await appendToOutbox(trx, [
        this.sessionEnded(ended, context, null),
        ...(user === undefined
          ? []
          : this.identity({
              type: 'LOGOUT',
              time: now.getTime(),
              userId: user.id,
              username: user.email,
              sessionId: ended.id,
              ipAddress: ended.ip,
              clientId: clientOf(ended.user_agent),
            })),
      ]);
    });
  }

  async list(filter: UserFilter, page: PageRequest): Promise<Page<UserResource>> {
    const { rows, total } = await new UsersRepository(this.db).list(filter, {
      offset: (page.page - 1) * page.limit,
      limit: page.limit,
    });
    return { data: rows.map(toUserResource), page: page.page, limit: page.limit, total };
  }

  async get(id: string): Promise<UserResource> {
    return toUserResource(this.found(await new UsersRepository(this.db).findById(id), id));
  }

  /** Changes name, email and/or role; emits user.updated with the old and new values of what changed. */
  async update(
    id: string,
    patch: { name?: string | undefined; email?: string | undefined; role?: UserRole | undefined },
    context: ActionContext,
  ): Promise<UserResource> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const users = new UsersRepository(trx);
        const current = this.found(await users.lockForUpdate(id), id);
        const oldValues: Record<string, unknown> = {};
        const newValues: Record<string, unknown> = {};
        for (const field of ['name', 'email', 'role'] as const) {
          const value = patch[field];
          if (value !== undefined && value !== current[field]) {
            oldValues[field] = current[field];
            newValues[field] = value;
          }
        }
        if (Object.keys(newValues).length === 0) return toUserResource(current);
        if (patch.email !== undefined && (await users.emailTaken(patch.email, id))) {
          throw this.emailConflict(patch.email);
        }
        const now = new Date();
        const user = toUserResource(await users.update(id, { ...newValues, updated_at: now }));
        const profile = profileChanges(current, user);
        await appendToOutbox(trx, [
          newEvent(
            'user.updated',
            { user, old_values: oldValues, new_values: newValues, updated_by: actorId(context) },
            context.correlationId,
            now,
          ),
          // A role is not part of the profile: Keycloak reports name and email changes only.
          ...(Object.keys(profile).length > 0
            ? this.identity({
                type: 'UPDATE_PROFILE',
                time: now.getTime(),
                userId: user.id,
                username: user.email,
                ipAddress: context.client?.ip ?? null,
                clientId: clientOf(context.client?.userAgent),
                details: profile,
              })
            : []),
        ]);
        return user;
      });
    } catch (error) {
      throw isUniqueViolation(error) && patch.email !== undefined
        ? this.emailConflict(patch.email)
        : error;
    }
  }

  /**
   * Blocks the user and ends their active sessions. Idempotent: blocking a blocked user changes nothing,
   * emits nothing and says so (`changed: false`). A disabled account is enabled before it is blocked.
   */
  async block(id: string, reason: string, context: ActionContext): Promise<StateChange> {
    return this.restrict(id, 'Blocked', context, {
      state: (now) =>
        newEvent(
          'user.blocked',
          { user_id: id, blocked_by: actorId(context), reason },
          context.correlationId,
          now,
        ),
    });
  }

  /** Lifts a block; a user who is not blocked is left as they are (`changed: false`). */
  async unblock(id: string, reason: string, context: ActionContext): Promise<StateChange> {
    return this.lift(id, 'Blocked', {
      state: (now) =>
        newEvent(
          'user.unblocked',
          { user_id: id, unblocked_by: actorId(context), reason },
          context.correlationId,
          now,
        ),
    });
  }

  /**
   * Switches the account off (Virtual Pet, seed 001 US12): like a block, the person can no longer sign
   * in and their sessions end, but it is the account's own switch (Keycloak's `enabled`). Idempotent;
   * a blocked user is unblocked before being disabled.
   */
  async disable(id: string, reason: string, context: ActionContext): Promise<StateChange> {
    return this.restrict(id, 'Disabled', context, {
      state: (now) =>
        newEvent(
          'user.disabled',
          { user_id: id, disabled_by: actorId(context), reason },
          context.correlationId,
          now,
        ),
      identity: (now, user) => this.accountSwitched(user, false, context, now),
    });
  }

  /** Switches the account back on; a user who is not disabled is left as they are. */
  async enable(id: string, reason: string, context: ActionContext): Promise<StateChange> {
    return this.lift(id, 'Disabled', {
      state: (now) =>
        newEvent(
          'user.enabled',
          { user_id: id, enabled_by: actorId(context), reason },
          context.correlationId,
          now,
        ),
      identity: (now, user) => this.accountSwitched(user, true, context, now),
    });
  }

  async sessions(
    userId: string,
    options: { all: boolean } & PageRequest,
  ): Promise<Page<SessionResource>> {
    this.found(await new UsersRepository(this.db).findById(userId), userId);
    const now = new Date();
    const { rows, total } = await new SessionsRepository(this.db).listOfUser(userId, {
      activeOnly: !options.all,
      now,
      offset: (options.page - 1) * options.limit,
      limit: options.limit,
    });
    return {
      data: rows.map((row) => toSessionResource(row, now)),
      page: options.page,
      limit: options.limit,
      total,
    };
  }

  /** Ends all of the user's active sessions (force logout). */
  async forceLogout(userId: string, context: ActionContext): Promise<{ ended: number }> {
    return this.db.transaction().execute(async (trx) => {
      this.found(await new UsersRepository(trx).lockForUpdate(userId), userId);
      const ended = await new SessionsRepository(trx).endActiveOfUser(userId, new Date(), 'forced');
      await appendToOutbox(
        trx,
        ended.map((session) => this.sessionEnded(session, context, actorId(context))),
      );
      return { ended: ended.length };
    });
  }

  /** Ends sessions past their expiry (session.ended, reason `expired`); returns how many. */
  async expireSessions(context: ActionContext): Promise<number> {
    let total = 0;
    for (;;) {
      const ended = await this.db.transaction().execute(async (trx) => {
        const rows = await new SessionsRepository(trx).endExpired(new Date(), 500);
        await appendToOutbox(
          trx,
          rows.map((session) => this.sessionEnded(session, context, null)),
        );
        return rows.length;
      });
      total += ended;
      if (ended < 500) return total;
    }
  }

  private sessionEnded(
    session: SessionRow,
    context: ActionContext,
    endedBy: string | null,
  ): Envelope<'session.ended'> {
    const endedAt = session.ended_at as Date;
    return newEvent(
      'session.ended',
      {
        session_id: session.id,
        user_id: session.user_id,
        ended_at: endedAt.toISOString(),
        reason: session.end_reason as SessionEndReason,
        ended_by: endedBy,
      },
      context.correlationId,
      // The envelope's time is when the service records the end; for an expiry noticed by the sweep
      // that is later than ended_at (the expiry time).
      session.end_reason === 'expired' ? new Date() : endedAt,
    );
  }

  /** Puts the user in a state that stops sign-ins, ending their active sessions. */
  private async restrict(
    id: string,
    state: 'Blocked' | 'Disabled',
    context: ActionContext,
    events: StateEvents,
  ): Promise<StateChange> {
    return this.db.transaction().execute(async (trx) => {
      const users = new UsersRepository(trx);
      const current = this.found(await users.lockForUpdate(id), id);
      if (current.state === state) return { user: toUserResource(current), changed: false };
      if (current.state !== 'Active') throw this.otherRestriction(current.state);
      const now = new Date();
      const user = toUserResource(await users.update(id, { state, updated_at: now }));
      const ended = await new SessionsRepository(trx).endActiveOfUser(id, now, 'forced');
      await appendToOutbox(trx, [
        events.state(now),
        ...ended.map((session) => this.sessionEnded(session, context, actorId(context))),
        ...(events.identity?.(now, user) ?? []),
      ]);
      return { user, changed: true };
    });
  }

  /** Back to Active from `state`; a user in another state is left as they are. */
  private async lift(
    id: string,
    state: 'Blocked' | 'Disabled',
    events: StateEvents,
  ): Promise<StateChange> {
    return this.db.transaction().execute(async (trx) => {
      const users = new UsersRepository(trx);
      const current = this.found(await users.lockForUpdate(id), id);
      if (current.state !== state) return { user: toUserResource(current), changed: false };
      const now = new Date();
      const user = toUserResource(await users.update(id, { state: 'Active', updated_at: now }));
      await appendToOutbox(trx, [events.state(now), ...(events.identity?.(now, user) ?? [])]);
      return { user, changed: true };
    });
  }

  private otherRestriction(state: UserState): ConflictError {
    return new ConflictError(
      state === 'Blocked'
        ? 'The user is blocked: unblock them before disabling the account'
        : 'The account is disabled: enable it before blocking the user',
    );
  }

  /** The identity provider's event, when the Virtual Pet platform's Keycloak is being played. */
  private identity(event: Omit<KeycloakEventInput, 'id'>): OutboxEvent[] {
    return this.keycloak ? [keycloakEvent({ ...event, id: randomUUID() })] : [];
  }

  private signInRefused(
    username: string,
    user: UserRow | undefined,
    error: SignInError,
    client: ClientInfo,
  ): OutboxEvent[] {
    return this.identity({
      type: 'LOGIN_ERROR',
      time: Date.now(),
      userId: user?.id ?? null,
      username,
      ipAddress: client.ip,
      clientId: clientOf(client.userAgent),
      error,
    });
  }

  private accountSwitched(
    user: UserResource,
    enabled: boolean,
    context: ActionContext,
    now: Date,
  ): OutboxEvent[] {
    if (!this.keycloak) return [];
    return [
      accountSwitchEvent({
        id: randomUUID(),
        time: now.getTime(),
        userId: user.id,
        username: user.email,
        enabled,
        actorId: actorId(context),
        ipAddress: context.client?.ip ?? null,
      }),
    ];
  }

  private found(row: UserRow | undefined, id: string): UserRow {
    if (row === undefined) throw new NotFoundError(`No user ${id}`);
    return row;
  }

  private emailConflict(email: string): ConflictError {
    return new ConflictError(`The email ${email} is already in use`);
  }
}

/** Keycloak's UPDATE_PROFILE details: each changed field's previous and updated value. */
function profileChanges(
  before: { email: string; name: string | null },
  after: { email: string; name: string | null },
): Record<string, string> {
  const details: Record<string, string> = {};
  for (const field of ['email', 'name'] as const) {
    if (before[field] === after[field]) continue;
    details[`previous_${field}`] = before[field] ?? '';
    details[`updated_${field}`] = after[field] ?? '';
  }
  return details;
}
