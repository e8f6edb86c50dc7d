import type { ActivityItem, KnownEvent } from '@backoffice/contracts';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';

/** NOTIFY channel carrying what a committed batch changed (every instance's hub listens). */
export const CHANGES_CHANNEL = 'backoffice_changes';

export interface ChangeMessage {
  /** How many events of each type the batch applied. */
  kinds: Record<string, number>;
  users: ActivityItem[];
  transactions: ActivityItem[];
}

/** At most this many activity items per channel: the feeds show the last 20. */
const MAX_ITEMS = 20;
/** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more (and would fail the whole batch). */
const MAX_PAYLOAD_BYTES = 7_900;

export function changeOf(events: readonly KnownEvent[]): ChangeMessage {
  const message: ChangeMessage = { kinds: {}, users: [], transactions: [] };
  for (const event of events) {
    message.kinds[event.event_type] = (message.kinds[event.event_type] ?? 0) + 1;
    const at = event.timestamp;
    switch (event.event_type) {
      case 'user.created':
      case 'user.updated':
        message.users.push({
          kind: event.event_type,
          at,
          userId: event.data.user.id,
          email: event.data.user.email,
        });
        break;
      case 'user.blocked':
      case 'user.unblocked':
      case 'session.created':
      case 'session.ended':
        message.users.push({ kind: event.event_type, at, userId: event.data.user_id });
        break;
      case 'transaction.created':
      case 'transaction.updated':
        message.transactions.push({
          kind: event.event_type,
          at,
          userId: event.data.transaction.user_id,
          amount: event.data.transaction.amount,
          transactionType: event.data.transaction.transaction_type,
        });
        break;
      case 'transaction.deleted':
        message.transactions.push({ kind: event.event_type, at, userId: event.data.user_id });
        break;
      case 'budget.created':
      case 'budget.updated':
      case 'budget.deleted':
        break;
    }
  }
  message.users = message.users.slice(-MAX_ITEMS);
  message.transactions = message.transactions.slice(-MAX_ITEMS);
  return message;
}

/** Announces a batch's changes; inside a transaction, PostgreSQL delivers it at commit (or never). */
export async function publishChanges(
  executor: Database,
  events: readonly KnownEvent[],
): Promise<void> {
  if (events.length === 0) return;
  await sql`SELECT pg_notify(${CHANGES_CHANNEL}, ${notifyPayload(changeOf(events))})`.execute(
    executor,
  );
}

/** The message as JSON under NOTIFY's limit: long emails can make 20 items too many, so the oldest go. */
export function notifyPayload(message: ChangeMessage): string {
  const fitted = { ...message, users: [...message.users], transactions: [...message.transactions] };
  let json = JSON.stringify(fitted);
  while (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES) {
    if (fitted.users.length === 0 && fitted.transactions.length === 0) break;
    if (fitted.users.length >= fitted.transactions.length) fitted.users.shift();
    else fitted.transactions.shift();
    json = JSON.stringify(fitted);
  }
  return json;
}
