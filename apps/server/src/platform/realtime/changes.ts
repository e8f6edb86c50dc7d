import type { ActivityItem, Channel, KnownEvent } from '@backoffice/contracts';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { activityOf, type ActivityFeed } from './activity.ts';

/** NOTIFY channel carrying what a committed batch changed (every instance's hub listens). */
export const CHANGES_CHANNEL = 'backoffice_changes';

export interface ChangeMessage {
  /** How many events of each type the batch applied. */
  kinds: Record<string, number>;
  /** The batch's items of each activity feed, oldest first. */
  activity: Partial<Record<Channel, ActivityItem[]>>;
}

/** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more (and would fail the whole batch). */
const MAX_PAYLOAD_BYTES = 7_900;

export function changeOf(
  events: readonly KnownEvent[],
  feeds: readonly ActivityFeed[] = [],
): ChangeMessage {
  const kinds: Record<string, number> = {};
  for (const event of events) kinds[event.event_type] = (kinds[event.event_type] ?? 0) + 1;
  return { kinds, activity: activityOf(feeds, events) };
}

/** Announces a batch's changes; inside a transaction, PostgreSQL delivers it at commit (or never). */
export async function publishChanges(
  executor: Database,
  events: readonly KnownEvent[],
  feeds: readonly ActivityFeed[],
): Promise<void> {
  if (events.length === 0) return;
  await sql`SELECT pg_notify(${CHANGES_CHANNEL}, ${notifyPayload(changeOf(events, feeds))})`.execute(
    executor,
  );
}

/**
 * Announces that derived data changed outside any batch (a periodic recount): every instance drops its
 * cached documents and the hub sends fresh ones to their subscribers.
 */
export async function announceChange(executor: Database): Promise<void> {
  const message: ChangeMessage = { kinds: {}, activity: {} };
  await sql`SELECT pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(message)})`.execute(executor);
}

/**
 * The message as JSON under NOTIFY's limit: long emails can make 20 items too many, so the oldest
 * items of the longest feed go first.
 */
export function notifyPayload(message: ChangeMessage): string {
  const activity = Object.fromEntries(
    Object.entries(message.activity).map(([channel, items]) => [channel, [...items]]),
  ) as Record<string, ActivityItem[]>;
  const fitted: ChangeMessage = { kinds: message.kinds, activity };
  let json = JSON.stringify(fitted);
  while (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES) {
    const longest = Object.values(activity).reduce<ActivityItem[] | undefined>(
      (most, items) => (most === undefined || items.length > most.length ? items : most),
      undefined,
    );
    if (longest === undefined || longest.length === 0) break;
    longest.shift();
    json = JSON.stringify(fitted);
  }
  return json;
}
