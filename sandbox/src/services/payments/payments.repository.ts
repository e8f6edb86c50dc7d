import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DB, PaymentStatus, PaymentsTable } from '../../db/schema.ts';
import { after, type Position } from '../../platform/cursor.ts';

export type PaymentRow = Selectable<PaymentsTable>;

/** The payments table. Payments are never deleted. */
export class PaymentsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  findById(id: string): Promise<PaymentRow | undefined> {
    return this.db.selectFrom('payments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  lockForUpdate(id: string): Promise<PaymentRow | undefined> {
    return this.db
      .selectFrom('payments')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  }

  /**
   * Up to `limit` payments initiated before `before` and still waiting for their outcome, oldest
   * first. Rows another transaction holds are skipped (it is settling them).
   */
  lockAwaitingSettlement(before: Date, limit: number): Promise<PaymentRow[]> {
    return this.db
      .selectFrom('payments')
      .selectAll()
      .where('status', '=', 'INITIATED')
      .where('created_at', '<=', before)
      .orderBy('created_at')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  }

  async insert(row: Insertable<PaymentsTable>): Promise<PaymentRow> {
    return this.db.insertInto('payments').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async update(id: string, patch: Updateable<PaymentsTable>): Promise<PaymentRow> {
    return this.db
      .updateTable('payments')
      .set(patch)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Up to `limit` payments after `from`, newest first, of one user and/or in one status. */
  list(options: {
    userId: string | undefined;
    status: PaymentStatus | undefined;
    from: Position | undefined;
    limit: number;
  }): Promise<PaymentRow[]> {
    let query = this.db.selectFrom('payments').selectAll();
    if (options.userId !== undefined) query = query.where('user_id', '=', options.userId);
    if (options.status !== undefined) query = query.where('status', '=', options.status);
    if (options.from !== undefined) query = query.where(after(options.from));
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
  }
}
