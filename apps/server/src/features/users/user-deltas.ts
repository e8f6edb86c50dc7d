import { sql } from 'kysely';
import { arrayParam } from '../../platform/events/projection-kit.ts';
import type {
  BatchAccumulator,
  BatchKey,
  ProjectionContext,
  Trx,
} from '../../platform/events/types.ts';

/** Per-user changes that projections other than the users projection make to user_summaries. */
export interface UserDelta {
  totalTransactions: number;
  totalBudgets: number;
  activeSessions: number;
  lastLoginAt: Date | null;
  lastActivityAt: Date | null;
}

/**
 * Users' counters and last-seen times, added to by the sessions, transactions and budgets projections
 * during a batch and written in one statement at its end: `context.shared(userDeltas)`.
 */
export class UserDeltas implements BatchAccumulator {
  private readonly deltas = new Map<string, UserDelta>();

  private get(userId: string): UserDelta {
    let delta = this.deltas.get(userId);
    if (delta === undefined) {
      delta = {
        totalTransactions: 0,
        totalBudgets: 0,
        activeSessions: 0,
        lastLoginAt: null,
        lastActivityAt: null,
      };
      this.deltas.set(userId, delta);
    }
    return delta;
  }

  add(
    userId: string,
    field: 'totalTransactions' | 'totalBudgets' | 'activeSessions',
    amount: number,
  ): void {
    if (amount !== 0) this.get(userId)[field] += amount;
  }

  seen(userId: string, field: 'lastLoginAt' | 'lastActivityAt', at: Date): void {
    const delta = this.get(userId);
    const current = delta[field];
    if (current === null || at > current) delta[field] = at;
  }

  /**
   * Applies the deltas in one statement, creating a placeholder row for a user not seen yet (their
   * user.created may arrive later and fills the profile), and moves the "users with active sessions"
   * counter by each user's active_sessions before and after.
   */
  async flush(trx: Trx, context: ProjectionContext): Promise<void> {
    if (this.deltas.size === 0) return;
    const ids = [...this.deltas.keys()];
    const values = [...this.deltas.values()];
    const result = await sql<{ id: string; active_sessions: number }>`
      INSERT INTO user_summaries (id, total_transactions, total_budgets, active_sessions, last_login_at, last_activity_at)
      SELECT * FROM unnest(
        ${arrayParam(ids, 'uuid')},
        ${arrayParam(
          values.map((v) => v.totalTransactions),
          'int',
        )},
        ${arrayParam(
          values.map((v) => v.totalBudgets),
          'int',
        )},
        ${arrayParam(
          values.map((v) => v.activeSessions),
          'int',
        )},
        ${arrayParam(
          values.map((v) => v.lastLoginAt?.toISOString() ?? null),
          'timestamptz',
        )},
        ${arrayParam(
          values.map((v) => v.lastActivityAt?.toISOString() ?? null),
          'timestamptz',
        )})
      ON CONFLICT (id) DO UPDATE SET
        total_transactions = user_summaries.total_transactions + EXCLUDED.total_transactions,
        total_budgets = user_summaries.total_budgets + EXCLUDED.total_budgets,
        active_sessions = user_summaries.active_sessions + EXCLUDED.active_sessions,
        last_login_at = GREATEST(user_summaries.last_login_at, EXCLUDED.last_login_at),
        last_activity_at = GREATEST(user_summaries.last_activity_at, EXCLUDED.last_activity_at)
      RETURNING id, active_sessions
    `.execute(trx);
    for (const row of result.rows) {
      const after = row.active_sessions;
      const before = after - (this.deltas.get(row.id)?.activeSessions ?? 0);
      context.count('users.with_active_sessions', Number(after > 0) - Number(before > 0));
    }
  }
}

/** The batch's user deltas: `context.shared(userDeltas).add(…)`. */
export const userDeltas: BatchKey<UserDeltas> = {
  name: 'users.deltas',
  create: () => new UserDeltas(),
};
