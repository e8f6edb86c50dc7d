import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DB, SessionEndReason, SessionsTable, UsersTable } from '../../db/schema.ts';

export type SessionRow = Selectable<SessionsTable>;

/** The sessions table. A session is active while it has not ended and has not expired. */
export class SessionsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(row: Insertable<SessionsTable>): Promise<SessionRow> {
    return this.db.insertInto('sessions').values(row).returningAll().executeTakeFirstOrThrow();
  }

  /** The session with its user, whatever its state. */
  findWithUser(
    id: string,
  ): Promise<
    (SessionRow & Pick<Selectable<UsersTable>, 'email' | 'name' | 'role' | 'state'>) | undefined
  > {
    return this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('sessions')
      .select(['users.email', 'users.name', 'users.role', 'users.state'])
      .where('sessions.id', '=', id)
      .executeTakeFirst();
  }

  lockForUpdate(id: string): Promise<SessionRow | undefined> {
    return this.db
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  }

  /** Ends the user's active sessions; returns them as they are after the change. */
  endActiveOfUser(userId: string, at: Date, reason: SessionEndReason): Promise<SessionRow[]> {
    return this.db
      .updateTable('sessions')
      .set({ ended_at: at, end_reason: reason })
      .where('user_id', '=', userId)
      .where('ended_at', 'is', null)
      .where('expires_at', '>', at)
      .returningAll()
      .execute();
  }

  async end(id: string, at: Date, reason: SessionEndReason): Promise<SessionRow> {
    return this.db
      .updateTable('sessions')
      .set({ ended_at: at, end_reason: reason })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /**
   * Ends up to `limit` sessions that expired without ending, at their expiry time. Rows another
   * transaction holds are skipped (a concurrent logout or sweep wins).
   */
  async endExpired(now: Date, limit: number): Promise<SessionRow[]> {
    const expired = this.db
      .selectFrom('sessions')
      .select('id')
      .where('ended_at', 'is', null)
      .where('expires_at', '<=', now)
      .orderBy('expires_at')
      .limit(limit)
      .forUpdate()
      .skipLocked();
    return this.db
      .updateTable('sessions')
      .set((eb) => ({ ended_at: eb.ref('expires_at'), end_reason: 'expired' }))
      .where('id', 'in', expired)
      .returningAll()
      .execute();
  }

  async listOfUser(
    userId: string,
    options: { activeOnly: boolean; now: Date; offset: number; limit: number },
  ): Promise<{ rows: SessionRow[]; total: number }> {
    let query = this.db.selectFrom('sessions').where('user_id', '=', userId);
    if (options.activeOnly) {
      query = query.where('ended_at', 'is', null).where('expires_at', '>', options.now);
    }
    const [rows, count] = await Promise.all([
      query
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .offset(options.offset)
        .limit(options.limit)
        .execute(),
      query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.total) };
  }
}
