import type { ActivityItem, KnownEvent } from '@backoffice/contracts';
import type { ActivityFeed } from '../../platform/realtime/activity.ts';

/** transactions.activity: transactions created, changed and deleted, as they are ingested. */
export const transactionsFeed: ActivityFeed = {
  channel: 'transactions.activity',
  eventTypes: ['transaction.created', 'transaction.updated', 'transaction.deleted'],
  itemOf(event: KnownEvent): ActivityItem {
    const at = event.timestamp;
    switch (event.event_type) {
      case 'transaction.created':
      case 'transaction.updated':
        return {
          kind: event.event_type,
          at,
          userId: event.data.transaction.user_id,
          amount: event.data.transaction.amount,
          transactionType: event.data.transaction.transaction_type,
        };
      case 'transaction.deleted':
        return { kind: event.event_type, at, userId: event.data.user_id };
      default:
        throw new Error(`transactions.activity shows no ${event.event_type}`);
    }
  },
};
