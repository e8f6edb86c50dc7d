import {
  PERSONAL_DATA_PERMISSION,
  USER_STATE_TARGETS,
  UserListItemSchema,
  type UserStateAction,
} from '@backoffice/contracts';
import type { AuditContext, AuditInput, AuditWriter } from '../../platform/audit/writer.ts';
import { maskPii } from '../../platform/auth/pii-masking.ts';
import { can, type Principal } from '../../platform/auth/principal.ts';
import { exportLines, type ExportFormat } from '../../platform/http/export.ts';
import type { PiiRevealsRepository } from '../../platform/auth/pii-reveals.repository.ts';
import { inTransaction, type Database } from '../../platform/db/database.ts';
import { Projector } from '../../platform/events/projector.ts';
import { AppError, ForbiddenError, NotFoundError } from '../../platform/http/errors.ts';
import type { CallContext } from '../../platform/upstream/client.ts';
import type { Upstreams } from '../../platform/upstream/plugin.ts';
import { ForceLogoutSchema, StateChangeSchema, UpstreamUserSchema } from './users.upstream.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import { describeAudit } from '../audit/audit.service.ts';
import type {
  BudgetRow,
  TransactionRow,
  UserFilter,
  UserRow,
  UserSort,
  UsersRepository,
} from './users.repository.ts';

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** Users an export reads per statement. */
const EXPORT_BATCH = 1_000;
/** The export's columns: the list's fields, but the transient pending state. */
const EXPORT_COLUMNS = [
  'id',
  'email',
  'name',
  'role',
  'state',
  'createdAt',
  'lastLoginAt',
  'lastActivityAt',
  'activeSessions',
  'totalTransactions',
  'totalBudgets',
];

export function toUserItem(row: UserRow) {
  return {
    id: row.id,
    email: row.email ?? '',
    name: row.name,
    role: row.role ?? 'Customer',
    state: row.pending_state ?? row.state ?? 'Active',
    pending: row.pending_state !== null,
    pendingSince: iso(row.pending_since),
    createdAt: iso(row.created_at),
    lastLoginAt: iso(row.last_login_at),
    lastActivityAt: iso(row.last_activity_at),
    activeSessions: row.active_sessions,
    totalTransactions: row.total_transactions,
    totalBudgets: row.total_budgets,
  };
}

export function toTransactionItem(row: TransactionRow) {
  return {
    id: row.id,
    userId: row.user_id,
    amount: row.amount,
    description: row.description,
    transactionType: row.transaction_type as 'EXPENSE' | 'INCOME',
    categoryId: row.category_id,
    categoryName: row.category_name,
    date: row.date.toISOString(),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

function toSessionItem(row: {
  session_id: string;
  created_at: Date | null;
  expires_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}) {
  return {
    sessionId: row.session_id,
    createdAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
    ip: row.ip,
    userAgent: row.user_agent,
  };
}

function toBudgetItem(row: BudgetRow) {
  return {
    id: row.id,
    name: row.name,
    amount: row.amount,
    spent: row.spent,
    periodType: row.period_type,
    status: row.status,
    categoryId: row.category_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const callContext = (context: AuditContext): CallContext => ({
  actorId: context.actor.id,
  actorEmail: context.actor.email,
  correlationId: context.correlationId,
});

/** At most this many upstream calls at once in a bulk action: the User Service is shared. */
const BULK_CONCURRENCY = 8;

/**
 * Users and support operations (main spec Phase 1). Reads come from the read model; changes go to the
 * User Service (immediately consistent there), and the read model shows them at once as pending until
 * the service's own event confirms them. An upstream failure changes nothing here, answers 502/503
 * naming the service, and is audited as a failed attempt.
 */
export class UsersService {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly auditLog: AuditRepository,
    private readonly audit: AuditWriter,
    private readonly upstream: Upstreams,
    private readonly reveals: PiiRevealsRepository,
    private readonly revealMinutes: number,
  ) {}

  /**
   * Records the export (its filters and format), then yields its lines a thousand users at a time
   * by cursor, in `sort` order (constant memory, however many match). Personal data is masked for
   * callers without the personal-data permission; a reveal of one person does not unmask a bulk
   * export.
   */
  async export(
    context: AuditContext,
    principal: Principal | null,
    filter: UserFilter,
    sort: UserSort,
    format: ExportFormat,
  ): Promise<AsyncGenerator<string>> {
    const masked = !can(principal, PERSONAL_DATA_PERMISSION);
    await this.audit.record(this.db, context, {
      action: 'resources.export',
      resourceType: 'user',
      metadata: { format, filter, sort, masked },
    });
    const users = this.users;
    async function* batches() {
      let cursor: string | undefined;
      for (;;) {
        const position = cursor === undefined ? { page: 1 } : { cursor };
        const { rows, nextCursor } = await users.page(filter, sort, position, EXPORT_BATCH);
        const items = rows.map(toUserItem);
        yield masked
          ? items.map((item) => maskPii(UserListItemSchema, item) as typeof item)
          : items;
        if (nextCursor === null) return;
        cursor = nextCursor;
      }
    }
    return exportLines(format, EXPORT_COLUMNS, batches());
  }

  async list(
    filter: UserFilter,
    sort: UserSort,
    page: number,
    limit: number,
    cursor: string | undefined,
  ) {
    const [{ rows, nextCursor }, total] = await Promise.all([
      this.users.page(filter, sort, cursor === undefined ? { page } : { cursor }, limit),
      this.users.total(filter),
    ]);
    return {
      data: rows.map(toUserItem),
      page,
      limit,
      total: total.total,
      totalIsEstimate: total.estimate,
      totalIsLowerBound: total.lowerBound,
      nextCursor,
    };
  }

  /**
   * The 360° view, as `viewerId` sees it: with how long their reveal of this user lasts. At most three
   * statements whatever the user: the user with everything of theirs and their audit page (both at
   * once), then the names and links of those entries and of who blocked the user.
   */
  async detail(id: string, viewerId: string | null) {
    const [found, audit] = await Promise.all([
      this.users.detail(id, viewerId, 10),
      this.auditLog.page({ resourceType: 'user', resourceId: id }, undefined, 10),
    ]);
    if (found === undefined) throw new NotFoundError(`No user ${id}.`);
    const { user } = found;
    const described = await describeAudit(
      this.auditLog,
      audit,
      user.blocked_by === null ? [] : [{ id: user.blocked_by, sourceService: 'user-service' }],
    );
    return {
      ...toUserItem(user),
      updatedAt: iso(user.updated_at),
      blockedAt: iso(user.blocked_at),
      blockedBy: user.blocked_by,
      blockedByActor: described.actors[0] ?? null,
      blockReason: user.block_reason,
      sessions: found.sessions.map(toSessionItem),
      recentTransactions: found.transactions.map(toTransactionItem),
      budgets: found.budgets.map(toBudgetItem),
      recentAudit: described.entries,
      piiRevealedUntil: iso(found.revealedUntil),
    };
  }

  /**
   * Lets this staff member see one user's personal data for a while (the masking path reads the
   * reveal), with their justification in the audit trail; answers the 360° view, now unmasked.
   */
  async reveal(context: AuditContext, id: string, reason: string) {
    const staffId = context.actor.id;
    if (staffId === null) throw new ForbiddenError('Only a signed-in staff member can reveal.');
    await this.require(id);
    const expiresAt = new Date(Date.now() + this.revealMinutes * 60_000);
    await inTransaction(this.db, async (trx) => {
      await this.reveals.grant({ staffId, subjectId: id, reason, expiresAt }, trx);
      await this.audit.record(trx, context, {
        action: 'users.pii_revealed',
        resourceType: 'user',
        resourceId: id,
        reason,
        metadata: { until: expiresAt.toISOString() },
      });
    });
    return { user: await this.detail(id, staffId), revealedUntil: expiresAt.toISOString() };
  }

  async sessions(id: string) {
    await this.require(id);
    return (await this.users.activeSessions(id)).map(toSessionItem);
  }

  /**
   * Blocks, unblocks, disables or enables through the User Service. Idempotent: a user already in that state is a 200
   * with `changed: false` (and an audit entry saying so).
   */
  async changeState(context: AuditContext, id: string, action: UserStateAction, reason: string) {
    const before = await this.require(id);
    const auditInput: AuditInput = {
      action: `users.${action}`,
      resourceType: 'user',
      resourceId: id,
      reason,
      before: { state: before.pending_state ?? before.state },
    };
    const result = await this.upstreamCall(context, auditInput, () =>
      this.upstream
        .client('user-service')
        .send(
          'POST',
          `/v1/users/${id}/${action}`,
          { reason },
          StateChangeSchema,
          callContext(context),
        ),
    );
    const target = USER_STATE_TARGETS[action];
    await inTransaction(this.db, async (trx) => {
      if (result.changed) {
        // The projector's lock: a batch being projected cannot overwrite the pending state.
        await Projector.lock(trx);
        await this.users.setPending(trx, id, target, context.correlationId);
      }
      await this.audit.record(trx, context, {
        ...auditInput,
        after: { state: target },
        metadata: { changed: result.changed },
      });
    });
    return { user: toUserItem(await this.require(id)), changed: result.changed };
  }

  /** The fields the User Service lets us change; the read model follows with its user.updated event. */
  async update(
    context: AuditContext,
    id: string,
    changes: {
      name?: string | undefined;
      email?: string | undefined;
      role?: string | undefined;
      reason?: string | undefined;
    },
  ) {
    const before = await this.require(id);
    if (
      changes.role !== undefined &&
      before.email !== null &&
      before.email.toLowerCase() === context.actor.email?.toLowerCase()
    ) {
      throw new ForbiddenError('You cannot change the role of your own account.');
    }
    const { reason, ...fields } = changes;
    const auditInput: AuditInput = {
      action: 'users.update',
      resourceType: 'user',
      resourceId: id,
      reason: reason ?? null,
      before: Object.fromEntries(
        Object.keys(fields).map((k) => [k, before[k as 'name' | 'email' | 'role']]),
      ),
    };
    const updated = await this.upstreamCall(context, auditInput, () =>
      this.upstream
        .client('user-service')
        .send('PUT', `/v1/users/${id}`, fields, UpstreamUserSchema, callContext(context)),
    );
    await this.audit.record(this.db, context, {
      ...auditInput,
      after: Object.fromEntries(
        Object.keys(fields).map((k) => [k, updated[k as 'name' | 'email' | 'role']]),
      ),
    });
    return {
      ...toUserItem(before),
      email: updated.email,
      name: updated.name ?? null,
      role: updated.role,
    };
  }

  /** Ends every session of the user at the User Service. */
  async forceLogout(context: AuditContext, id: string, reason: string | null) {
    await this.require(id);
    const auditInput: AuditInput = {
      action: 'users.force_logout',
      resourceType: 'user',
      resourceId: id,
      reason,
    };
    const result = await this.upstreamCall(context, auditInput, () =>
      this.upstream
        .client('user-service')
        .send(
          'DELETE',
          `/v1/users/${id}/sessions`,
          undefined,
          ForceLogoutSchema,
          callContext(context),
        ),
    );
    await this.audit.record(this.db, context, { ...auditInput, metadata: { ended: result.ended } });
    return { ended: result.ended };
  }

  /**
   * The same action for up to 500 users, a few at a time. Each user's outcome is reported (and audited)
   * on its own: a partial failure is visible, never hidden behind a single status.
   */
  async bulk(
    context: AuditContext,
    action: 'block' | 'unblock' | 'force-logout',
    userIds: readonly string[],
    reason: string,
  ) {
    const unique = [...new Set(userIds)];
    const results: {
      userId: string;
      ok: boolean;
      status: number;
      changed: boolean | null;
      error: string | null;
    }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const userId = unique[next++] as string;
        try {
          const changed =
            action === 'force-logout'
              ? (await this.forceLogout(context, userId, reason)).ended > 0
              : (await this.changeState(context, userId, action, reason)).changed;
          results.push({ userId, ok: true, status: 200, changed, error: null });
        } catch (error) {
          results.push({
            userId,
            ok: false,
            status: error instanceof AppError ? error.status : 500,
            changed: null,
            error:
              error instanceof AppError ? error.message : 'unexpected error (see the server log)',
          });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, unique.length) }, worker));
    const order = new Map(unique.map((id, i) => [id, i]));
    results.sort((a, b) => (order.get(a.userId) ?? 0) - (order.get(b.userId) ?? 0));
    const succeeded = results.filter((r) => r.ok).length;
    return { succeeded, failed: results.length - succeeded, results };
  }

  private async require(id: string): Promise<UserRow> {
    const user = await this.users.find(id);
    if (user === undefined) throw new NotFoundError(`No user ${id}.`);
    return user;
  }

  /** Runs an upstream call; if it fails, the attempt is audited as failed and the error passes on. */
  private async upstreamCall<T>(
    context: AuditContext,
    input: AuditInput,
    call: () => Promise<T>,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      await this.audit.record(this.db, context, {
        ...input,
        outcome: 'failed',
        metadata: {
          error: error instanceof Error ? error.message : String(error),
          ...(error instanceof AppError ? { status: error.status } : {}),
        },
      });
      throw error;
    }
  }
}
