import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DB, TransactionsTable } from '../../db/schema.ts';

export type TransactionRow = Selectable<TransactionsTable>;

export class TransactionsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  findById(id: string): Promise<TransactionRow | undefined> {
    return this.db.selectFrom('transactions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  lockForUpdate(id: string): Promise<TransactionRow | undefined> {
    return this.db
      .selectFrom('transactions')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  }

  async insert(row: Insertable<TransactionsTable>): Promise<TransactionRow> {
    return this.db.insertInto('transactions').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async update(id: string, patch: Updateable<TransactionsTable>): Promise<TransactionRow> {
    return this.db
      .updateTable('transactions')
      .set(patch)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('transactions').where('id', '=', id).execute();
  }

  /** The user's transactions dated in [from, to), newest first. */
  async listOfUser(
    userId: string,
    options: { from: Date | undefined; to: Date | undefined; offset: number; limit: number },
  ): Promise<{ rows: TransactionRow[]; total: number }> {
    let query = this.db.selectFrom('transactions').where('user_id', '=', userId);
    if (options.from !== undefined) query = query.where('date', '>=', options.from);
    if (options.to !== undefined) query = query.where('date', '<', options.to);
    const [rows, count] = await Promise.all([
      query
        .selectAll()
        .orderBy('date', 'desc')
        .orderBy('id', 'desc')
        .offset(options.offset)
        .limit(options.limit)
        .execute(),
      query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.total) };
  }
}
