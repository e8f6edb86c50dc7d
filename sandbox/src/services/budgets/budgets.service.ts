import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { BudgetStatus, DB } from '../../db/schema.ts';
import { PERIOD_TYPES, periodEnd, periodStart, type PeriodType } from '../../domain/periods.ts';
import { newEvent } from '../../outbox/events.ts';
import { appendToOutbox } from '../../outbox/outbox.repository.ts';
import type { ActionContext } from '../../platform/context.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Page, PageRequest } from '../../platform/schemas.ts';
import { BudgetsRepository, type BudgetRow } from './budgets.repository.ts';
import { toBudgetResource, type BudgetResource } from './budgets.schemas.ts';

/** One version of a transaction, as far as budgets care. */
export interface ExpenseVersion {
  transactionType: 'EXPENSE' | 'INCOME';
  categoryId: string | null;
  date: Date;
}

/**
 * The Budget Service. `spent` is its own figure: the sum of the user's EXPENSEs dated in the budget's
 * current calendar period (UTC week from Monday, month or year), in the budget's category or in any
 * when it has none. It is recomputed when such an expense is created, changed or deleted, and when a
 * new period starts (rollOverPeriods); each change of the figure emits budget.updated.
 */
export class BudgetsService {
  constructor(private readonly db: Kysely<DB>) {}

  async get(id: string): Promise<BudgetResource> {
    const row = await new BudgetsRepository(this.db).findById(id);
    if (row === undefined) throw new NotFoundError(`No budget ${id}`);
    return toBudgetResource(row);
  }

  async listOfUser(userId: string, page: PageRequest): Promise<Page<BudgetResource>> {
    const { rows, total } = await new BudgetsRepository(this.db).listOfUser(userId, {
      offset: (page.page - 1) * page.limit,
      limit: page.limit,
    });
    return { data: rows.map(toBudgetResource), page: page.page, limit: page.limit, total };
  }

  async create(
    input: {
      userId: string;
      name: string;
      amount: string;
      periodType: PeriodType;
      categoryId: string | null;
      status: BudgetStatus;
    },
    context: ActionContext,
  ): Promise<BudgetResource> {
    return this.db.transaction().execute(async (trx) => {
      const budgets = new BudgetsRepository(trx);
      const now = new Date();
      const from = new Date(periodStart(input.periodType, now.getTime()));
      const to = new Date(periodEnd(input.periodType, now.getTime()));
      const budget = toBudgetResource(
        await budgets.insert({
          id: randomUUID(),
          user_id: input.userId,
          name: input.name,
          amount: input.amount,
          period_type: input.periodType,
          status: input.status,
          category_id: input.categoryId,
          spent: await budgets.expenseTotal(input.userId, input.categoryId, from, to),
          period_start: from,
          created_at: now,
          updated_at: now,
        }),
      );
      await appendToOutbox(trx, [
        newEvent('budget.created', { budget }, context.correlationId, now),
      ]);
      return budget;
    });
  }

  async update(
    id: string,
    patch: { name?: string; amount?: string; status?: BudgetStatus },
    context: ActionContext,
  ): Promise<BudgetResource> {
    return this.db.transaction().execute(async (trx) => {
      const budgets = new BudgetsRepository(trx);
      const current = await budgets.lockForUpdate(id);
      if (current === undefined) throw new NotFoundError(`No budget ${id}`);
      const oldValues: Record<string, unknown> = {};
      const newValues: Record<string, string> = {};
      for (const field of ['name', 'amount', 'status'] as const) {
        const value = patch[field];
        if (value !== undefined && value !== current[field]) {
          oldValues[field] = current[field];
          newValues[field] = value;
        }
      }
      if (Object.keys(newValues).length === 0) return toBudgetResource(current);
      const now = new Date();
      const budget = toBudgetResource(await budgets.update(id, { ...newValues, updated_at: now }));
      await appendToOutbox(trx, [
        newEvent('budget.updated', { budget, old_values: oldValues }, context.correlationId, now),
      ]);
      return budget;
    });
  }

  async delete(id: string, context: ActionContext): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const budgets = new BudgetsRepository(trx);
      const current = await budgets.lockForUpdate(id);
      if (current === undefined) throw new NotFoundError(`No budget ${id}`);
      await budgets.delete(id);
      const now = new Date();
      await appendToOutbox(trx, [
        newEvent(
          'budget.deleted',
          { budget_id: id, user_id: current.user_id, deleted_at: now.toISOString() },
          context.correlationId,
          now,
        ),
      ]);
    });
  }

  /**
   * Recomputes the budgets an expense change touches. Runs inside the transaction that changed the
   * transaction row (`trx`), after that change, with its versions before and/or after the change.
   *
   * In the real platform the Budget Service would learn of the change from transactions.events; the
   * sandbox's services share one database, so doing it in the same transaction keeps `spent` exact.
   */
  async applyExpenseChange(
    trx: Kysely<DB>,
    userId: string,
    versions: readonly ExpenseVersion[],
    context: ActionContext,
  ): Promise<void> {
    const expenses = versions.filter((v) => v.transactionType === 'EXPENSE');
    if (expenses.length === 0) return;
    const categories = [
      ...new Set(expenses.flatMap((v) => (v.categoryId === null ? [] : [v.categoryId]))),
    ];
    const locked = await new BudgetsRepository(trx).lockCoveringCategories(userId, categories);
    // Read the clock once the locks are held: a concurrent change of these budgets has committed by
    // then, and consumers order a budget's events by timestamp, so ours must not predate its.
    const now = new Date();
    for (const budget of locked) {
      const current = periodStart(budget.period_type, now.getTime());
      const touches = expenses.some(
        (v) =>
          (budget.category_id === null || v.categoryId === budget.category_id) &&
          periodStart(budget.period_type, v.date.getTime()) === current,
      );
      if (touches) await this.recompute(trx, budget, now, context);
    }
  }

  /** Brings budgets whose figure is from a past period to the current one (0 unless expenses exist). */
  async rollOverPeriods(context: ActionContext): Promise<number> {
    let changed = 0;
    for (const period of PERIOD_TYPES) {
      for (;;) {
        const now = new Date();
        const currentStart = new Date(periodStart(period, now.getTime()));
        const batch = await this.db.transaction().execute(async (trx) => {
          const stale = await new BudgetsRepository(trx).lockStale(period, currentStart, 500);
          for (const budget of stale) {
            if (await this.recompute(trx, budget, now, context)) changed++;
          }
          return stale.length;
        });
        if (batch < 500) break;
      }
    }
    return changed;
  }

  /**
   * Sets the budget's spent figure for the period containing `now`; emits budget.updated when the figure
   * changes (a period moving on with the figure unchanged is recorded silently). Returns whether it did.
   */
  private async recompute(
    trx: Kysely<DB>,
    budget: BudgetRow,
    now: Date,
    context: ActionContext,
  ): Promise<boolean> {
    const budgets = new BudgetsRepository(trx);
    const from = new Date(periodStart(budget.period_type, now.getTime()));
    const to = new Date(periodEnd(budget.period_type, now.getTime()));
    const spent = await budgets.expenseTotal(budget.user_id, budget.category_id, from, to);
    if (spent === budget.spent) {
      if (budget.period_start.getTime() !== from.getTime()) {
        await budgets.update(budget.id, { period_start: from });
      }
      return false;
    }
    const updated = toBudgetResource(
      await budgets.update(budget.id, { spent, period_start: from, updated_at: now }),
    );
    await appendToOutbox(trx, [
      newEvent(
        'budget.updated',
        { budget: updated, old_values: { spent: budget.spent } },
        context.correlationId,
        now,
      ),
    ]);
    return true;
  }
}
