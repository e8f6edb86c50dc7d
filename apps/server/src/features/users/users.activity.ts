import type { ActivityItem, KnownEvent } from '@backoffice/contracts';
import type { ActivityFeed } from '../../platform/realtime/activity.ts';
import type { UsersRepository } from './users.repository.ts';

/** users.activity: sign-ups, profile changes, blocks and sessions, as they are ingested. */
export const usersFeed: ActivityFeed = {
  channel: 'users.activity',
  eventTypes: [
    'user.created',
    'user.updated',
    'user.blocked',
    'user.unblocked',
    'user.disabled',
    'user.enabled',
    'session.created',
    'session.ended',
  ],
  itemOf(event: KnownEvent): ActivityItem {
    const at = event.timestamp;
    switch (event.event_type) {
      case 'user.created':
      case 'user.updated':
        return {
          kind: event.event_type,
          at,
          userId: event.data.user.id,
          email: event.data.user.email,
        };
      case 'user.blocked':
      case 'user.unblocked':
      case 'user.disabled':
      case 'user.enabled':
      case 'session.created':
      case 'session.ended':
        return { kind: event.event_type, at, userId: event.data.user_id };
      default:
        throw new Error(`users.activity shows no ${event.event_type}`);
    }
  },
};

/**
 * Who an activity item is about, by email: a block, a sign-in or a transaction event names only the
 * user's id ("User 04f5a2fd" told staff nothing).
 */
export async function withEmails(
  users: UsersRepository,
  items: ActivityItem[],
): Promise<ActivityItem[]> {
  const missing = [...new Set(items.filter((i) => i.email == null).map((i) => i.userId))];
  if (missing.length === 0) return items;
  const emails = await users.emails(missing);
  return items.map((item) =>
    item.email == null ? { ...item, email: emails.get(item.userId) ?? null } : item,
  );
}
