import type { Budget, EventOf, KnownEvent } from '@backoffice/contracts';
import type { Selectable } from 'kysely';
import type { BudgetSummariesTable } from '../../db/schema.ts';
import {
  projectWholeEntities,
  type ColumnSpec,
  type Version,
} from '../../platform/events/projection-kit.ts';
import type { Projection, ProjectionContext, Trx } from '../../platform/events/types.ts';
import { userDeltas } from '../users/user-deltas.ts';

type BudgetEvent = EventOf<'budget.created' | 'budget.updated' | 'budget.deleted'>;
type BudgetRow = Selectable<BudgetSummariesTable>;

const COLUMNS: ColumnSpec<BudgetRow> = [
  ['id', 'uuid'],
  ['user_id', 'uuid'],
  ['name', 'text'],
  ['amount', 'numeric'],
  ['period_type', 'text'],
  ['status', 'text'],
  ['spent', 'numeric'],
  ['category_id', 'uuid'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['version_at', 'timestamptz'],
  ['version_id', 'uuid'],
];

const budgetIdOf = (event: BudgetEvent): string =>
  event.event_type === 'budget.deleted' ? event.data.budget_id : event.data.budget.id;

function rowFrom(budget: Budget, version: Version): BudgetRow {
  return {
    id: budget.id,
    user_id: budget.user_id,
    name: budget.name,
    amount: budget.amount,
    period_type: budget.period_type,
    status: budget.status,
    // The Budget Service's own figure; we do no financial calculation (decision 0003).
    spent: budget.spent ?? '0',
    category_id: budget.category_id ?? null,
    created_at: new Date(budget.created_at),
    updated_at: version.at,
    version_at: version.at,
    version_id: version.id,
  };
}

function contribute(row: BudgetRow, sign: 1 | -1, context: ProjectionContext): void {
  context.shared(userDeltas).add(row.user_id, 'totalBudgets', sign);
  context.count('budgets.total', sign);
}

export const budgetsProjection: Projection = {
  name: 'budgets',
  eventTypes: ['budget.created', 'budget.updated', 'budget.deleted'],
  tables: ['budget_summaries'],

  apply: (trx: Trx, events: KnownEvent[], context: ProjectionContext) =>
    projectWholeEntities(trx, events as BudgetEvent[], context, {
      table: 'budget_summaries',
      entityType: 'budget',
      columns: COLUMNS,
      idOf: budgetIdOf,
      isDelete: (e): e is EventOf<'budget.deleted'> => e.event_type === 'budget.deleted',
      rowOf: (e, version) => rowFrom(e.data.budget, version),
      changed: (before, after, ctx) => {
        if (before !== undefined) contribute(before, -1, ctx);
        if (after !== undefined) contribute(after, 1, ctx);
      },
    }),
};
