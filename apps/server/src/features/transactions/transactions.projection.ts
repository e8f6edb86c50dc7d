import type { EventOf, KnownEvent, Transaction } from '@backoffice/contracts';
import { sql, type Selectable } from 'kysely';
import type { TransactionSummariesTable } from '../../db/schema.ts';
import {
  Deltas,
  arrayParam,
  deleteRows,
  foldEntity,
  fromCents,
  groupBy,
  loadRows,
  loadTombstones,
  toCents,
  upsertRows,
  utcDay,
  versionOf,
  writeTombstones,
  type ColumnSpec,
  type Version,
} from '../../platform/events/projection-kit.ts';
import type { Projection, ProjectionContext, Trx } from '../../platform/events/types.ts';
import { userDeltas } from '../users/user-deltas.ts';

type TransactionEvent = EventOf<
  'transaction.created' | 'transaction.updated' | 'transaction.deleted'
>;
type TransactionRow = Selectable<TransactionSummariesTable>;

const COLUMNS: ColumnSpec<TransactionRow> = [
  ['id', 'uuid'],
  ['user_id', 'uuid'],
  ['description', 'text'],
  ['amount', 'numeric'],
  ['transaction_type', 'text'],
  ['category_id', 'uuid'],
  ['category_name', 'text'],
  ['date', 'timestamptz'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['version_at', 'timestamptz'],
  ['version_id', 'uuid'],
];

const transactionIdOf = (event: TransactionEvent): string =>
  event.event_type === 'transaction.deleted'
    ? event.data.transaction_id
    : event.data.transaction.id;

function rowFrom(transaction: Transaction, version: Version, createdAt: Date): TransactionRow {
  return {
    id: transaction.id,
    user_id: transaction.user_id,
    description: transaction.description ?? null,
    amount: transaction.amount,
    transaction_type: transaction.transaction_type,
    category_id: transaction.category_id ?? null,
    category_name: transaction.category_name ?? null,
    date: new Date(transaction.date),
    created_at: createdAt,
    updated_at: version.at,
    version_at: version.at,
    version_id: version.id,
  };
}

interface DayTotals {
  transactions: Deltas<string>;
  total: Deltas<string>;
  income: Deltas<string>;
  expense: Deltas<string>;
  /** Keyed by `${day}|${userId}`. */
  dayUsers: Deltas<string>;
}

/** What one transaction adds to the aggregates; removing it subtracts the same. */
function contribute(
  row: TransactionRow,
  sign: 1 | -1,
  totals: DayTotals,
  context: ProjectionContext,
): void {
  const day = utcDay(row.date);
  const cents = toCents(row.amount);
  totals.transactions.add(day, sign);
  totals.total.add(day, sign * cents);
  (row.transaction_type === 'INCOME' ? totals.income : totals.expense).add(day, sign * cents);
  totals.dayUsers.add(`${day}|${row.user_id}`, sign);
  context.shared(userDeltas).add(row.user_id, 'totalTransactions', sign);
  context.count('transactions.total', sign);
}

export const transactionsProjection: Projection = {
  name: 'transactions',
  eventTypes: ['transaction.created', 'transaction.updated', 'transaction.deleted'],
  tables: ['transaction_summaries', 'daily_transaction_metrics', 'daily_transaction_users'],

  async apply(trx: Trx, events: KnownEvent[], context: ProjectionContext): Promise<void> {
    const byId = groupBy(events as TransactionEvent[], transactionIdOf);
    const ids = [...byId.keys()];
    const [current, tombstones] = await Promise.all([
      loadRows(trx, 'transaction_summaries', 'id', ids),
      loadTombstones(trx, 'transaction', ids),
    ]);

    const upserts: TransactionRow[] = [];
    const deletes: { id: string; version: Version }[] = [];
    const totals: DayTotals = {
      transactions: new Deltas(),
      total: new Deltas(),
      income: new Deltas(),
      expense: new Deltas(),
      dayUsers: new Deltas(),
    };

    for (const [id, txEvents] of byId) {
      const before = current.get(id);
      for (const event of txEvents) {
        if (event.event_type === 'transaction.created') {
          context
            .shared(userDeltas)
            .seen(event.data.transaction.user_id, 'lastActivityAt', new Date(event.timestamp));
        }
      }
      const fold = foldEntity(
        before === undefined ? null : { at: before.version_at, id: before.version_id },
        tombstones.has(id),
        txEvents,
        (e) => e.event_type === 'transaction.deleted',
      );
      // The first time we heard of it, whichever event told us.
      const earliest = new Date(Math.min(...txEvents.map((e) => Date.parse(e.timestamp))));
      const createdAt =
        before !== undefined && before.created_at < earliest ? before.created_at : earliest;

      if (fold.kind === 'deleted') {
        deletes.push({ id, version: versionOf(fold.event) });
        if (before !== undefined) contribute(before, -1, totals, context);
      } else if (fold.kind === 'upserted' && fold.event.event_type !== 'transaction.deleted') {
        const after = rowFrom(fold.event.data.transaction, versionOf(fold.event), createdAt);
        upserts.push(after);
        if (before !== undefined) contribute(before, -1, totals, context);
        contribute(after, 1, totals, context);
      } else if (before !== undefined && createdAt < before.created_at) {
        upserts.push({ ...before, created_at: createdAt });
      }
    }

    await upsertRows(trx, 'transaction_summaries', COLUMNS, upserts, { conflict: ['id'] });
    await deleteRows(
      trx,
      'transaction_summaries',
      'id',
      deletes.map((d) => d.id),
    );
    await writeTombstones(trx, 'transaction', deletes);
    const usersPerDay = await applyDayUsers(trx, totals.dayUsers);
    await applyDailyMetrics(trx, totals, usersPerDay);
  },
};

/** Keeps (day, user) transaction counts; returns per day how many users started or stopped counting. */
async function applyDayUsers(trx: Trx, dayUsers: Deltas<string>): Promise<Deltas<string>> {
  const usersPerDay = new Deltas<string>();
  if (dayUsers.values.size === 0) return usersPerDay;
  const keys = [...dayUsers.values.keys()];
  const days = keys.map((k) => k.slice(0, 10));
  const users = keys.map((k) => k.slice(11));
  const existing = await sql<{ date: string; user_id: string; transactions: number }>`
    SELECT d.date, d.user_id, d.transactions
    FROM daily_transaction_users d
    JOIN unnest(${arrayParam(days, 'date')}, ${arrayParam(users, 'uuid')}) AS k(date, user_id)
      ON d.date = k.date AND d.user_id = k.user_id
  `.execute(trx);
  const before = new Map(existing.rows.map((r) => [`${r.date}|${r.user_id}`, r.transactions]));

  const keep: { date: string; user_id: string; transactions: number }[] = [];
  const drop: string[][] = [[], []];
  for (const [key, delta] of dayUsers.values) {
    const old = before.get(key) ?? 0;
    const now = old + delta;
    const date = key.slice(0, 10);
    const userId = key.slice(11);
    usersPerDay.add(date, Number(now > 0) - Number(old > 0));
    if (now > 0) keep.push({ date, user_id: userId, transactions: now });
    else if (old > 0) {
      drop[0]?.push(date);
      drop[1]?.push(userId);
    }
  }
  await upsertRows(
    trx,
    'daily_transaction_users',
    [
      ['date', 'date'],
      ['user_id', 'uuid'],
      ['transactions', 'int'],
    ],
    keep,
    { conflict: ['date', 'user_id'] },
  );
  if ((drop[0]?.length ?? 0) > 0) {
    await sql`
      DELETE FROM daily_transaction_users d
      USING unnest(${arrayParam(drop[0] ?? [], 'date')}, ${arrayParam(drop[1] ?? [], 'uuid')}) AS k(date, user_id)
      WHERE d.date = k.date AND d.user_id = k.user_id
    `.execute(trx);
  }
  return usersPerDay;
}

async function applyDailyMetrics(
  trx: Trx,
  totals: DayTotals,
  usersPerDay: Deltas<string>,
): Promise<void> {
  const days = new Set([
    ...totals.transactions.values.keys(),
    ...totals.total.values.keys(),
    ...totals.income.values.keys(),
    ...totals.expense.values.keys(),
    ...usersPerDay.values.keys(),
  ]);
  if (days.size === 0) return;
  const list = [...days];
  const of = (deltas: Deltas<string>) => list.map((d) => deltas.values.get(d) ?? 0);
  const money = (deltas: Deltas<string>) => of(deltas).map(fromCents);
  await sql`
    INSERT INTO daily_transaction_metrics
      (date, total_transactions, total_amount, income_amount, expense_amount, total_users, updated_at)
    SELECT d, n, t, i, e, u, now() FROM unnest(
      ${arrayParam(list, 'date')},
      ${arrayParam(of(totals.transactions), 'int')},
      ${arrayParam(money(totals.total), 'numeric')},
      ${arrayParam(money(totals.income), 'numeric')},
      ${arrayParam(money(totals.expense), 'numeric')},
      ${arrayParam(of(usersPerDay), 'int')}) AS x(d, n, t, i, e, u)
    ON CONFLICT (date) DO UPDATE SET
      total_transactions = daily_transaction_metrics.total_transactions + EXCLUDED.total_transactions,
      total_amount = daily_transaction_metrics.total_amount + EXCLUDED.total_amount,
      income_amount = daily_transaction_metrics.income_amount + EXCLUDED.income_amount,
      expense_amount = daily_transaction_metrics.expense_amount + EXCLUDED.expense_amount,
      total_users = daily_transaction_metrics.total_users + EXCLUDED.total_users,
      updated_at = now()
  `.execute(trx);
}
