import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { categoryById, type Category } from '../../domain/categories.ts';
import { DAY_MS } from '../../domain/periods.ts';
import { newEvent } from '../../outbox/events.ts';
import { appendToOutbox } from '../../outbox/outbox.repository.ts';
import type { ActionContext } from '../../platform/context.ts';
import { BadRequestError, NotFoundError } from '../../platform/errors.ts';
import type { Page, PageRequest } from '../../platform/schemas.ts';
import type { BudgetsService, ExpenseVersion } from '../budgets/budgets.service.ts';
import { TransactionsRepository, type TransactionRow } from './transactions.repository.ts';
import { toTransactionResource, type TransactionResource } from './transactions.schemas.ts';

const asExpenseVersion = (row: TransactionRow): ExpenseVersion => ({
  transactionType: row.transaction_type,
  categoryId: row.category_id,
  date: row.date,
});

/** A date-only bound covers its whole day (UTC): `from` at its start, `to` up to its end. */
function parseBound(value: string | undefined, edge: 'from' | 'to'): Date | undefined {
  if (value === undefined) return undefined;
  if (value.length > 10) return new Date(value);
  const start = Date.parse(`${value}T00:00:00Z`);
  return new Date(edge === 'from' ? start : start + DAY_MS);
}

/**
 * The Transaction Service. Reads and the review are its API; creations, corrections and deletions come
 * from the users' apps (here: the live traffic). Every change tells the Budget Service, in the same
 * transaction, so the affected budgets' `spent` stays exact.
 */
export class TransactionsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly budgets: BudgetsService,
  ) {}

  async get(id: string): Promise<TransactionResource> {
    return toTransactionResource(
      this.found(await new TransactionsRepository(this.db).findById(id), id),
    );
  }

  async listOfUser(
    userId: string,
    query: { from?: string | undefined; to?: string | undefined } & PageRequest,
  ): Promise<Page<TransactionResource>> {
    const from = parseBound(query.from, 'from');
    const to = parseBound(query.to, 'to');
    if (from !== undefined && to !== undefined && from > to) {
      throw new BadRequestError('`from` must not be after `to`');
    }
    const { rows, total } = await new TransactionsRepository(this.db).listOfUser(userId, {
      from,
      to,
      offset: (query.page - 1) * query.limit,
      limit: query.limit,
    });
    return { data: rows.map(toTransactionResource), page: query.page, limit: query.limit, total };
  }

  /** Marks the transaction reviewed by the acting staff member. Idempotent: a second review changes nothing. */
  async review(
    id: string,
    note: string | undefined,
    context: ActionContext,
  ): Promise<{ transaction: TransactionResource; changed: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      const transactions = new TransactionsRepository(trx);
      const current = this.found(await transactions.lockForUpdate(id), id);
      if (current.reviewed_at !== null) {
        return { transaction: toTransactionResource(current), changed: false };
      }
      const now = new Date();
      const transaction = toTransactionResource(
        await transactions.update(id, {
          reviewed_at: now,
          reviewed_by: context.actor ?? null,
          review_note: note ?? null,
          updated_at: now,
        }),
      );
      await appendToOutbox(trx, [
        newEvent(
          'transaction.updated',
          {
            transaction,
            old_values: { reviewed_at: null, reviewed_by: null, review_note: null },
          },
          context.correlationId,
          now,
        ),
      ]);
      return { transaction, changed: true };
    });
  }

  async create(
    input: {
      userId: string;
      categoryId: string;
      amount: string;
      description: string;
      date?: Date;
    },
    context: ActionContext,
  ): Promise<TransactionResource> {
    const category = this.category(input.categoryId);
    return this.db.transaction().execute(async (trx) => {
      const now = new Date();
      const row = await new TransactionsRepository(trx).insert({
        id: randomUUID(),
        user_id: input.userId,
        amount: input.amount,
        description: input.description,
        date: input.date ?? now,
        transaction_type: category.type,
        category_id: category.id,
        category_name: category.name,
        created_at: now,
        updated_at: now,
      });
      const transaction = toTransactionResource(row);
      await appendToOutbox(trx, [
        newEvent('transaction.created', { transaction }, context.correlationId, now),
      ]);
      await this.budgets.applyExpenseChange(trx, row.user_id, [asExpenseVersion(row)], context);
      return transaction;
    });
  }

  /** A correction by the user: amount, description and/or category (of the same type). */
  async update(
    id: string,
    patch: { amount?: string; description?: string; categoryId?: string },
    context: ActionContext,
  ): Promise<TransactionResource> {
    return this.db.transaction().execute(async (trx) => {
      const transactions = new TransactionsRepository(trx);
      const before = this.found(await transactions.lockForUpdate(id), id);
      const category = patch.categoryId === undefined ? undefined : this.category(patch.categoryId);
      if (category !== undefined && category.type !== before.transaction_type) {
        throw new BadRequestError(`A ${before.transaction_type} cannot move to ${category.name}`);
      }
      const now = new Date();
      const after = await transactions.update(id, {
        ...(patch.amount === undefined ? {} : { amount: patch.amount }),
        ...(patch.description === undefined ? {} : { description: patch.description }),
        ...(category === undefined
          ? {}
          : { category_id: category.id, category_name: category.name }),
        updated_at: now,
      });
      const oldValues: Record<string, unknown> = {};
      for (const field of ['amount', 'description', 'category_id', 'category_name'] as const) {
        if (before[field] !== after[field]) oldValues[field] = before[field];
      }
      await appendToOutbox(trx, [
        newEvent(
          'transaction.updated',
          { transaction: toTransactionResource(after), old_values: oldValues },
          context.correlationId,
          now,
        ),
      ]);
      await this.budgets.applyExpenseChange(
        trx,
        after.user_id,
        [asExpenseVersion(before), asExpenseVersion(after)],
        context,
      );
      return toTransactionResource(after);
    });
  }

  async delete(id: string, context: ActionContext): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const transactions = new TransactionsRepository(trx);
      const before = this.found(await transactions.lockForUpdate(id), id);
      await transactions.delete(id);
      const now = new Date();
      await appendToOutbox(trx, [
        newEvent(
          'transaction.deleted',
          { transaction_id: id, user_id: before.user_id, deleted_at: now.toISOString() },
          context.correlationId,
          now,
        ),
      ]);
      await this.budgets.applyExpenseChange(
        trx,
        before.user_id,
        [asExpenseVersion(before)],
        context,
      );
    });
  }

  private category(id: string): Category {
    const category = categoryById(id);
    if (category === undefined) throw new BadRequestError(`No category ${id}`);
    return category;
  }

  private found(row: TransactionRow | undefined, id: string): TransactionRow {
    if (row === undefined) throw new NotFoundError(`No transaction ${id}`);
    return row;
  }
}
