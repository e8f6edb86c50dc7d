import type { KnownEvent } from '@backoffice/contracts';
import { describe, expect, it } from 'vitest';
import { events, uuid } from '../../../test/factories/events.ts';
import { changeOf, notifyPayload, type ChangeMessage } from './changes.ts';

describe('the change announcement', () => {
  it('keeps the newest 20 items per channel', () => {
    const users = Array.from({ length: 30 }, (_, i) =>
      events.userCreated({ id: uuid(), email: `u${i}@example.com` }),
    );
    const message = changeOf(users as unknown as KnownEvent[]);
    expect(message.kinds).toEqual({ 'user.created': 30 });
    expect(message.users).toHaveLength(20);
    expect(message.users.at(-1)?.email).toBe('u29@example.com');
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
    const message = changeOf(batch as unknown as KnownEvent[]);
    expect(Buffer.byteLength(JSON.stringify(message))).toBeGreaterThan(8_000);
    const payload = notifyPayload(message);
    expect(Buffer.byteLength(payload)).toBeLessThan(8_000);
    const fitted = JSON.parse(payload) as ChangeMessage;
    expect(fitted.kinds).toEqual(message.kinds);
    expect(fitted.users.length).toBeGreaterThan(0);
    expect(fitted.users.at(-1)?.email).toBe(long(19));
    expect(fitted.transactions.length).toBeGreaterThan(0);
  });
});
