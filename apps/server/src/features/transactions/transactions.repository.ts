import type { Selectable } from 'kysely';
import type { TransactionSummariesTable } from '../../db/schema.ts';
import type { Database } from '../../platform/db/database.ts';

export type TransactionRow = Selectable<TransactionSummariesTable>;

export class TransactionsRepository {
  constructor(private readonly db: Database) {}

  /** A user's transactions by date, newest first (index on user_id, date). */
  async forUser(
    userId: string,
    range: { from?: string | undefined; to?: string | undefined },
    page: number,
    limit: number,
  ): Promise<{ rows: TransactionRow[]; total: number }> {
    let query = this.db.selectFrom('transaction_summaries').where('user_id', '=', userId);
    if (range.from !== undefined) query = query.where('date', '>=', new Date(range.from));
    if (range.to !== undefined) query = query.where('date', '<', new Date(range.to));
    const [rows, total] = await Promise.all([
      query
        .selectAll()
        .orderBy('date', 'desc')
        .orderBy('id')
        .offset((page - 1) * limit)
        .limit(limit)
        .execute(),
      query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: total.n };
  }

  find(id: string): Promise<TransactionRow | undefined> {
    return this.db
      .selectFrom('transaction_summaries')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
  }
}
