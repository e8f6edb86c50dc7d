import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { BudgetsTable, DB } from '../../db/schema.ts';
import type { PeriodType } from '../../domain/periods.ts';

export type BudgetRow = Selectable<BudgetsTable>;

/** The budgets table, and the one query of transactions a budget needs: its spent figure. */
export class BudgetsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  findById(id: string): Promise<BudgetRow | undefined> {
    return this.db.selectFrom('budgets').selectAll().where('id', '=', id).executeTakeFirst();
  }

  lockForUpdate(id: string): Promise<BudgetRow | undefined> {
    return this.db
      .selectFrom('budgets')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  }

  /**
   * The user's budgets that an expense in one of `categoryIds` counts towards (those of that category
   * and those without one), locked in id order so that concurrent changes cannot deadlock.
   */
  lockCoveringCategories(userId: string, categoryIds: readonly string[]): Promise<BudgetRow[]> {
    return this.db
      .selectFrom('budgets')
      .selectAll()
      .where('user_id', '=', userId)
      .where((eb) =>
        categoryIds.length === 0
          ? eb('category_id', 'is', null)
          : eb.or([eb('category_id', 'is', null), eb('category_id', 'in', categoryIds)]),
      )
      .orderBy('id')
      .forUpdate()
      .execute();
  }

  /** Budgets of `period` whose spent figure covers a period before `currentStart`. */
  lockStale(period: PeriodType, currentStart: Date, limit: number): Promise<BudgetRow[]> {
    return this.db
      .selectFrom('budgets')
      .selectAll()
      .where('period_type', '=', period)
      .where('period_start', '<', currentStart)
      .orderBy('id')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  }

  /** The user's EXPENSEs dated in [from, to), in the category or in any when `categoryId` is null. */
  async expenseTotal(
    userId: string,
    categoryId: string | null,
    from: Date,
    to: Date,
  ): Promise<string> {
    let query = this.db
      .selectFrom('transactions')
      .select(sql<string>`coalesce(sum(amount), 0)::numeric(14, 2)::text`.as('total'))
      .where('user_id', '=', userId)
      .where('transaction_type', '=', 'EXPENSE')
      .where('date', '>=', from)
      .where('date', '<', to);
    if (categoryId !== null) query = query.where('category_id', '=', categoryId);
    return (await query.executeTakeFirstOrThrow()).total;
  }

  async insert(row: Insertable<BudgetsTable>): Promise<BudgetRow> {
    return this.db.insertInto('budgets').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async update(id: string, patch: Updateable<BudgetsTable>): Promise<BudgetRow> {
    return this.db
      .updateTable('budgets')
      .set(patch)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('budgets').where('id', '=', id).execute();
  }

  async listOfUser(
    userId: string,
    page: { offset: number; limit: number },
  ): Promise<{ rows: BudgetRow[]; total: number }> {
    const query = this.db.selectFrom('budgets').where('user_id', '=', userId);
    const [rows, count] = await Promise.all([
      query
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .offset(page.offset)
        .limit(page.limit)
        .execute(),
      query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.total) };
  }
}
