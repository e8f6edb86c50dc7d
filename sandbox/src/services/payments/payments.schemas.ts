import { PAYMENT_METHODS, PAYMENT_STATUSES } from '@backoffice/contracts';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { PaymentsTable } from '../../db/schema.ts';
import { decimalToCents } from '../../domain/money.ts';
import { CursorQuery, decimal, timestamp } from '../../platform/schemas.ts';

/**
 * A payment as the Payment Service shows it; also the `payment` of payment.* events (the contracts'
 * PaymentSchema, plus `updated_at`). Amounts are decimal strings.
 */
export const PaymentResourceSchema = z.object({
  id: z.uuid(),
  user_id: z.uuid(),
  amount: decimal,
  currency: z.string(),
  method: z.enum(PAYMENT_METHODS),
  status: z.enum(PAYMENT_STATUSES),
  description: z.string().nullable(),
  failure_reason: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});
export type PaymentResource = z.infer<typeof PaymentResourceSchema>;

export const InitiatePaymentBody = z.object({
  user_id: z.uuid(),
  amount: decimal.refine((value) => decimalToCents(value) > 0, 'must be more than 0.00'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like "EUR"'),
  method: z.enum(PAYMENT_METHODS),
  description: z.string().trim().min(1).max(500).optional(),
});
export type InitiatePaymentInput = z.infer<typeof InitiatePaymentBody>;

export const RefundBody = z.object({ reason: z.string().trim().min(1).max(500).optional() });
export const RefundResponse = z.object({ payment: PaymentResourceSchema, changed: z.boolean() });

export const PaymentListQuery = z
  .object({ user_id: z.uuid().optional(), status: z.enum(PAYMENT_STATUSES).optional() })
  .extend(CursorQuery.shape);
export type PaymentListRequest = z.infer<typeof PaymentListQuery>;

export function toPaymentResource(row: Selectable<PaymentsTable>): PaymentResource {
  return {
    id: row.id,
    user_id: row.user_id,
    amount: row.amount,
    currency: row.currency,
    method: row.method,
    status: row.status,
    description: row.description,
    failure_reason: row.failure_reason,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
