import type { EventOf, KnownEvent, Payment } from '@backoffice/contracts';
import type { Selectable } from 'kysely';
import type { PaymentsTable } from '../../db/schema.ts';
import {
  foldEntity,
  groupBy,
  loadRows,
  upsertRows,
  versionOf,
  type ColumnSpec,
  type Version,
} from '../../platform/events/projection-kit.ts';
import type { Projection, ProjectionContext, Trx } from '../../platform/events/types.ts';

type PaymentEvent = EventOf<
  'payment.initiated' | 'payment.succeeded' | 'payment.failed' | 'payment.refunded'
>;
type PaymentRow = Selectable<PaymentsTable>;

const COLUMNS: ColumnSpec<PaymentRow> = [
  ['id', 'uuid'],
  ['user_id', 'uuid'],
  ['amount', 'numeric'],
  ['currency', 'text'],
  ['method', 'text'],
  ['status', 'text'],
  ['description', 'text'],
  ['failure_reason', 'text'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['version_at', 'timestamptz'],
  ['version_id', 'uuid'],
];

function rowFrom(payment: Payment, version: Version): PaymentRow {
  return {
    id: payment.id,
    user_id: payment.user_id,
    amount: payment.amount,
    currency: payment.currency,
    method: payment.method,
    status: payment.status,
    description: payment.description ?? null,
    failure_reason: payment.failure_reason ?? null,
    created_at: new Date(payment.created_at),
    updated_at: version.at,
    version_at: version.at,
    version_id: version.id,
  };
}

/**
 * Payments, from the Payment Service's events. Each event carries the payment as it is after the
 * change (its status says which step it reached), so the newest one wins whatever the arrival order.
 * Payments are never deleted. The counters say how many payments there are and how many failed.
 */
export const paymentsProjection: Projection = {
  name: 'payments',
  eventTypes: ['payment.initiated', 'payment.succeeded', 'payment.failed', 'payment.refunded'],
  tables: ['payments'],

  async apply(trx: Trx, events: KnownEvent[], context: ProjectionContext): Promise<void> {
    const byId = groupBy(events as PaymentEvent[], (event) => event.data.payment.id);
    const current = await loadRows(trx, 'payments', 'id', [...byId.keys()]);
    const upserts: PaymentRow[] = [];

    for (const [id, paymentEvents] of byId) {
      const before = current.get(id);
      const fold = foldEntity(
        before === undefined ? null : { at: before.version_at, id: before.version_id },
        false,
        paymentEvents,
        () => false,
      );
      if (fold.kind !== 'upserted') continue;
      const after = rowFrom(fold.event.data.payment, versionOf(fold.event));
      upserts.push(after);
      if (before === undefined) context.count('payments.total', 1);
      else if (before.status === 'FAILED') context.count('payments.failed', -1);
      if (after.status === 'FAILED') context.count('payments.failed', 1);
    }

    await upsertRows(trx, 'payments', COLUMNS, upserts, { conflict: ['id'] });
  },
};
