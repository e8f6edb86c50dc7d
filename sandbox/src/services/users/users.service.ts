import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, SessionEndReason } from '../../db/schema.ts';
import type { UserRole } from '../../domain/accounts.ts';
import { hashPassword, verifyPassword } from '../../domain/passwords.ts';
import { newEvent, type Envelope } from '../../outbox/events.ts';
import { appendToOutbox } from '../../outbox/outbox.repository.ts';
import { actorId, type ActionContext } from '../../platform/context.ts';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthorizedError,
} from '../../platform/errors.ts';
import type { Page, PageRequest } from '../../platform/schemas.ts';
import { isUniqueViolation } from '../../platform/sql.ts';
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
}

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: UserRole;
  state: 'Active' | 'Blocked';
  sessionId: string;
  expiresAt: string;
}

const UNKNOWN_SESSION = 'The session is unknown, has ended or has expired';

/**
 * The User Service: accounts, sign-in sessions and the admin operations of the main spec's
 * "Prerequisites". Every change and its events are written in one transaction (transactional outbox);
 * changes to one user are serialised by locking the user's row.
 */
export class UsersService {
  private readonly db: Kysely<DB>;
  private readonly sessionTtlMs: number;

  constructor(options: UsersServiceOptions) {
    this.db = options.db;
    this.sessionTtlMs = options.sessionTtlMs;
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
        await appendToOutbox(trx, [newEvent('user.created', { user }, context.correlationId, now)]);
        return user;
      });
    } catch (error) {
      throw isUniqueViolation(error) ? this.emailConflict(input.email) : error;
    }
  }

  async login(
    credentials: { email: string; password: string },
    client: { ip: string | null; userAgent: string | null },
    context: ActionContext,
  ): Promise<{ sessionId: string; userId: string }> {
    const found = await new UsersRepository(this.db).findByEmail(credentials.email);
    if (found === undefined || !(await verifyPassword(credentials.password, found.password_hash))) {
      throw new UnauthorizedError('Invalid email or password');
    }
    return this.db.transaction().execute(async (trx) => {
      // Re-read under a shared lock: a block committing meanwhile must not leave a session behind.
      const user = this.found(await new UsersRepository(trx).lockForShare(found.id), found.id);
      if (user.state === 'Blocked') throw new ForbiddenError('This account is blocked');
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
      ]);
      return { sessionId: session.id, userId: user.id };
    });
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
      await appendToOutbox(trx, [this.sessionEnded(ended, context, null)]);
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
        await appendToOutbox(trx, [
          newEvent(
            'user.updated',
            { user, old_values: oldValues, new_values: newValues, updated_by: actorId(context) },
            context.correlationId,
            now,
          ),
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
   * emits nothing and says so (`changed: false`).
   */
  async block(
    id: string,
    reason: string,
    context: ActionContext,
  ): Promise<{ user: UserResource; changed: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      const users = new UsersRepository(trx);
      const current = this.found(await users.lockForUpdate(id), id);
      if (current.state === 'Blocked') return { user: toUserResource(current), changed: false };
      const now = new Date();
      const user = toUserResource(await users.update(id, { state: 'Blocked', updated_at: now }));
      const ended = await new SessionsRepository(trx).endActiveOfUser(id, now, 'forced');
      await appendToOutbox(trx, [
        newEvent(
          'user.blocked',
          { user_id: id, blocked_by: actorId(context), reason },
          context.correlationId,
          now,
        ),
        ...ended.map((session) => this.sessionEnded(session, context, actorId(context))),
      ]);
      return { user, changed: true };
    });
  }

  async unblock(
    id: string,
    reason: string,
    context: ActionContext,
  ): Promise<{ user: UserResource; changed: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      const users = new UsersRepository(trx);
      const current = this.found(await users.lockForUpdate(id), id);
      if (current.state === 'Active') return { user: toUserResource(current), changed: false };
      const now = new Date();
      const user = toUserResource(await users.update(id, { state: 'Active', updated_at: now }));
      await appendToOutbox(trx, [
        newEvent(
          'user.unblocked',
          { user_id: id, unblocked_by: actorId(context), reason },
          context.correlationId,
          now,
        ),
      ]);
      return { user, changed: true };
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

  private found(row: UserRow | undefined, id: string): UserRow {
    if (row === undefined) throw new NotFoundError(`No user ${id}`);
    return row;
  }

  private emailConflict(email: string): ConflictError {
    return new ConflictError(`The email ${email} is already in use`);
  }
}
