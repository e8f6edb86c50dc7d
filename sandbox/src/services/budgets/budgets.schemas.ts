import { BUDGET_PERIODS, BUDGET_STATUSES } from '@backoffice/contracts';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { BudgetsTable } from '../../db/schema.ts';
import { categoryById } from '../../domain/categories.ts';
import { decimal, timestamp } from '../../platform/schemas.ts';

/**
 * A budget as the Budget Service shows it; also the `budget` of budget.* events. `spent` is the service's
 * own figure for the period starting at `period_start` (the backoffice does no financial maths).
 */
export const BudgetResourceSchema = z.object({
  id: z.uuid(),
  user_id: z.uuid(),
  name: z.string(),
  amount: decimal,
  period_type: z.enum(BUDGET_PERIODS),
  status: z.enum(BUDGET_STATUSES),
  spent: decimal,
  category_id: z.uuid().nullable(),
  category_name: z.string().nullable(),
  period_start: timestamp,
  created_at: timestamp,
  updated_at: timestamp,
});
export type BudgetResource = z.infer<typeof BudgetResourceSchema>;

export function toBudgetResource(row: Selectable<BudgetsTable>): BudgetResource {
  return {
    id: row.id,
    user_id: row.user_id,
    name: row.name,
    amount: row.amount,
    period_type: row.period_type,
    status: row.status,
    spent: row.spent,
    category_id: row.category_id,
    category_name: row.category_id === null ? null : (categoryById(row.category_id)?.name ?? null),
    period_start: row.period_start.toISOString(),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
