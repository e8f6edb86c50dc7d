import type { ActivityItem, Channel, KnownEvent } from '@backoffice/contracts';
import type { Database } from '../db/database.ts';
import { decodeMessage } from '../events/decode.ts';

/**
 * A live activity feed: which committed events appear on a realtime channel, and as what. Features
 * declare theirs (FeatureModule.feeds); the projector announces each batch's items, and a subscriber's
 * snapshot is the feed's latest items, read from the event log.
 */
export interface ActivityFeed {
  readonly channel: Channel;
  /** The event types it shows. */
  readonly eventTypes: readonly string[];
  /** The item an event of those types shows as. */
  itemOf(event: KnownEvent): ActivityItem;
}

/** A feed shows its last this many items (and a change announces at most these). */
export const FEED_LENGTH = 20;

/** Each feed's items for these events (in their order), the newest FEED_LENGTH of each. */
export function activityOf(
  feeds: readonly ActivityFeed[],
  events: readonly KnownEvent[],
): Partial<Record<Channel, ActivityItem[]>> {
  const activity: Partial<Record<Channel, ActivityItem[]>> = {};
  for (const feed of feeds) {
    const items = events
      .filter((event) => feed.eventTypes.includes(event.event_type))
      .map((event) => feed.itemOf(event));
    if (items.length > 0) activity[feed.channel] = items.slice(-FEED_LENGTH);
  }
  return activity;
}

/** The feed's latest items, oldest first (its channel's snapshot). */
export async function recentActivity(db: Database, feed: ActivityFeed): Promise<ActivityItem[]> {
  const rows = await db
    .selectFrom('event_log')
    .select('envelope')
    .where('event_type', 'in', feed.eventTypes)
    .orderBy('seq', 'desc')
    .limit(FEED_LENGTH)
    .execute();
  return rows.reverse().flatMap((row) => {
    const decoded = decodeMessage({ body: row.envelope, position: { source: 'replay' } }, 0);
    return decoded.kind === 'known' ? [feed.itemOf(decoded.event)] : [];
  });
}
