import type { KnownEvent } from '@backoffice/contracts';
import { describe, expect, it } from 'vitest';
import { events, uuid } from '../../../test/factories/events.ts';
import type { ActivityFeed } from './activity.ts';
import { changeOf, notifyPayload, type ChangeMessage } from './changes.ts';

// Two feeds of the test's own, whatever the features declare: an item carries the event's type and
// what its `email` field says, if anything.
const feed = (channel: ActivityFeed['channel'], eventTypes: string[]): ActivityFeed => ({
  channel,
  eventTypes,
  itemOf: (event: KnownEvent) => {
    const data = event.data as { user?: { email?: string } };
    return {
      kind: event.event_type,
      at: event.timestamp,
      userId: uuid(),
      email: data.user?.email ?? null,
    };
  },
});
const feeds = [
  feed('users.activity', ['user.created']),
  feed('transactions.activity', ['transaction.created']),
];

describe('the change announcement', () => {
  it('counts the batch’s event types and keeps the newest 20 items per feed', () => {
    const users = Array.from({ length: 30 }, (_, i) =>
      events.userCreated({ id: uuid(), email: `u${i}@example.com` }),
    );
    const message = changeOf(users as unknown as KnownEvent[], feeds);
    expect(message.kinds).toEqual({ 'user.created': 30 });
    expect(message.activity['users.activity']).toHaveLength(20);
    expect(message.activity['users.activity']?.at(-1)?.email).toBe('u29@example.com');
    expect(message.activity['transactions.activity']).toBeUndefined();
  });

  it('stays under NOTIFY’s 8,000-byte limit with long emails, dropping the oldest items', () => {
    const long = (i: number) => `${String(i).padStart(3, '0')}${'x'.repeat(230)}@example.com`;
    const batch = [
      ...Array.from({ length: 20 }, (_, i) => events.userCreated({ id: uuid(), email: long(i) })),
      ...Array.from({ length: 20 }, () =>
        events.transactionCreated({
          id: uuid(),
          user_id: uuid(),
          amount: '12.50',
          date: '2026-06-01T00:00:00Z',
        }),
      ),
    ];
    const message = changeOf(batch as unknown as KnownEvent[], feeds);
    expect(Buffer.byteLength(JSON.stringify(message))).toBeGreaterThan(8_000);
    const payload = notifyPayload(message);
    expect(Buffer.byteLength(payload)).toBeLessThan(8_000);
    const fitted = JSON.parse(payload) as ChangeMessage;
    expect(fitted.kinds).toEqual(message.kinds);
    const users = fitted.activity['users.activity'] ?? [];
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)?.email).toBe(long(19));
    expect(fitted.activity['transactions.activity']?.length).toBeGreaterThan(0);
  });
});
