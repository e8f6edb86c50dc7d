import type { Budget, EventOf, KnownEvent } from '@backoffice/contracts';
import type { Selectable } from 'kysely';
import type { BudgetSummariesTable } from '../../db/schema.ts';
import {
  deleteRows,
  foldEntity,
  groupBy,
  loadRows,
  loadTombstones,
  upsertRows,
  versionOf,
  writeTombstones,
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

  async apply(trx: Trx, events: KnownEvent[], context: ProjectionContext): Promise<void> {
    const byId = groupBy(events as BudgetEvent[], budgetIdOf);
    const ids = [...byId.keys()];
    const [current, tombstones] = await Promise.all([
      loadRows(trx, 'budget_summaries', 'id', ids),
      loadTombstones(trx, 'budget', ids),
    ]);
    const upserts: BudgetRow[] = [];
    const deletes: { id: string; version: Version }[] = [];

    for (const [id, budgetEvents] of byId) {
      const before = current.get(id);
      const fold = foldEntity(
        before === undefined ? null : { at: before.version_at, id: before.version_id },
        tombstones.has(id),
        budgetEvents,
        (e) => e.event_type === 'budget.deleted',
      );
      if (fold.kind === 'deleted') {
        deletes.push({ id, version: versionOf(fold.event) });
        if (before !== undefined) contribute(before, -1, context);
      } else if (fold.kind === 'upserted' && fold.event.event_type !== 'budget.deleted') {
        const after = rowFrom(fold.event.data.budget, versionOf(fold.event));
        upserts.push(after);
        if (before !== undefined) contribute(before, -1, context);
        contribute(after, 1, context);
      }
    }

    await upsertRows(trx, 'budget_summaries', COLUMNS, upserts, { conflict: ['id'] });
    await deleteRows(
      trx,
      'budget_summaries',
      'id',
      deletes.map((d) => d.id),
    );
    await writeTombstones(trx, 'budget', deletes);
  },
};
