import { auditProjection } from './features/audit/audit.projection.ts';
import { budgetsProjection } from './features/budgets/budgets.projection.ts';
import { transactionsProjection } from './features/transactions/transactions.projection.ts';
import { sessionsProjection } from './features/users/sessions.projection.ts';
import { usersProjection } from './features/users/users.projection.ts';
import type { AuditWriter } from './platform/audit/writer.ts';
import type { Projection } from './platform/events/types.ts';

/** Every projection of the read model, in the order they run within a batch. */
export function projections(deps: { audit: AuditWriter }): Projection[] {
  return [
    usersProjection,
    sessionsProjection,
    transactionsProjection,
    budgetsProjection,
    auditProjection(deps.audit),
  ];
}
