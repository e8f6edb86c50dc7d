import { TRANSACTION_TYPES } from '@backoffice/contracts';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { TransactionsTable } from '../../db/schema.ts';
import { decimal, timestamp } from '../../platform/schemas.ts';

/**
 * A transaction as the Transaction Service shows it; also the `transaction` of transaction.* events
 * (the main spec's payload plus review and bookkeeping fields).
 */
export const TransactionResourceSchema = z.object({
  id: z.uuid(),
  user_id: z.uuid(),
  amount: decimal,
  description: z.string().nullable(),
  date: timestamp,
  transaction_type: z.enum(TRANSACTION_TYPES),
  category_id: z.uuid().nullable(),
  category_name: z.string().nullable(),
  reviewed_at: timestamp.nullable(),
  reviewed_by: z.string().nullable(),
  review_note: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});
export type TransactionResource = z.infer<typeof TransactionResourceSchema>;

const dateBound = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const TransactionListQuery = z.object({
  /** Inclusive lower bound on `date`: an ISO date-time, or a date meaning its start (UTC). */
  from: dateBound.optional(),
  /** Exclusive upper bound on `date`; a date means the end of that day (UTC). */
  to: dateBound.optional(),
});

export const ReviewBody = z.object({ note: z.string().trim().min(1).max(2000).optional() });
export const ReviewResponse = z.object({
  transaction: TransactionResourceSchema,
  changed: z.boolean(),
});

export function toTransactionResource(row: Selectable<TransactionsTable>): TransactionResource {
  return {
    id: row.id,
    user_id: row.user_id,
    amount: row.amount,
    description: row.description,
    date: row.date.toISOString(),
    transaction_type: row.transaction_type,
    category_id: row.category_id,
    category_name: row.category_name,
    reviewed_at: row.reviewed_at?.toISOString() ?? null,
    reviewed_by: row.reviewed_by,
    review_note: row.review_note,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
