import type { ServerMessage } from '@backoffice/contracts';
import { describe, expect, it } from 'vitest';
import { healthResponse, metricsResponse } from '../../test/fixtures.ts';
import { ACTIVITY_LIMIT, NO_ACTIVITY, activityAfter, feedOf, healthOf, metricsOf } from './live.ts';

const at = '2026-11-20T10:00:00.000Z';
const message = (m: Omit<ServerMessage, 'at'>): ServerMessage => ({ at, ...m });

describe('metricsOf', () => {
  it('takes the metrics of a snapshot or an update, validated', () => {
    const data = metricsResponse({ total: 5 });
    expect(metricsOf(message({ type: 'snapshot', channel: 'dashboard.metrics', data }))).toEqual(
      data,
    );
    expect(
      metricsOf(message({ type: 'update', channel: 'dashboard.metrics', data }))?.users.total,
    ).toBe(5);
  });

  it('ignores other channels, other types and data that breaks the contract', () => {
    const data = metricsResponse();
    expect(
      metricsOf(message({ type: 'snapshot', channel: 'system.health', data })),
    ).toBeUndefined();
    expect(
      metricsOf(message({ type: 'subscribed', channel: 'dashboard.metrics' })),
    ).toBeUndefined();
    expect(
      metricsOf(message({ type: 'update', channel: 'dashboard.metrics', data: { users: 1 } })),
    ).toBeUndefined();
  });
});

describe('healthOf', () => {
  it('takes a snapshot whole, and merges an update of the services’ checks', () => {
    const health = healthResponse();
    expect(
      healthOf(message({ type: 'snapshot', channel: 'system.health', data: health }), undefined),
    ).toEqual(health);
    const services = [{ ...health.services[1]!, status: 'up', circuit: 'closed', error: null }];
    const merged = healthOf(
      message({ type: 'update', channel: 'system.health', data: services }),
      health,
    );
    expect(merged?.services).toEqual(services);
    expect(merged?.sources).toEqual(health.sources);
    expect(merged?.checkedAt).toBe(at);
  });

  it('takes health without the services’ URLs, as callers without system:read get it', () => {
    const whole = healthResponse();
    const health = { ...whole, services: whole.services.map(({ url: _url, ...rest }) => rest) };
    expect(
      healthOf(message({ type: 'snapshot', channel: 'system.health', data: health }), undefined),
    ).toEqual(health);
    const merged = healthOf(
      message({ type: 'update', channel: 'system.health', data: health.services }),
      health,
    );
    expect(merged?.services).toEqual(health.services);
  });

  it('cannot merge services into nothing', () => {
    const services = healthResponse().services;
    expect(
      healthOf(message({ type: 'update', channel: 'system.health', data: services }), undefined),
    ).toBeUndefined();
  });
});

describe('activityAfter', () => {
  const item = (n: number) => ({
    kind: 'transaction.created',
    at: `2026-11-20T10:00:${String(n).padStart(2, '0')}.000Z`,
    userId: `u${n}`,
    amount: '1.00',
  });

  it('replaces a channel’s items with a snapshot and appends events, keeping the latest', () => {
    let activity = activityAfter(
      message({ type: 'snapshot', channel: 'transactions.activity', data: [item(1), item(2)] }),
      NO_ACTIVITY,
    );
    activity = activityAfter(
      message({ type: 'event', channel: 'transactions.activity', data: [item(3)] }),
      activity,
    );
    expect(activity.transactions.map((i) => i.userId)).toEqual(['u1', 'u2', 'u3']);
    activity = activityAfter(
      message({ type: 'snapshot', channel: 'transactions.activity', data: [item(9)] }),
      activity,
    );
    expect(activity.transactions.map((i) => i.userId)).toEqual(['u9']);

    const many = Array.from({ length: 30 }, (_, i) => item(i + 10));
    activity = activityAfter(
      message({ type: 'event', channel: 'transactions.activity', data: many }),
      activity,
    );
    expect(activity.transactions).toHaveLength(ACTIVITY_LIMIT);
    expect(activity.transactions.at(-1)?.userId).toBe('u39');
  });

  it('drops what is not an activity item, and ignores other messages', () => {
    const activity = activityAfter(
      message({ type: 'event', channel: 'users.activity', data: [{ kind: 1 }, item(1)] }),
      NO_ACTIVITY,
    );
    expect(activity.users).toHaveLength(1);
    expect(activityAfter(message({ type: 'pong' }), activity)).toBe(activity);
  });

  it('shows both channels newest first', () => {
    const activity = {
      users: [{ kind: 'user.created', at: '2026-11-20T10:00:05.000Z', userId: 'a' }],
      transactions: [item(1), item(9)],
    };
    expect(feedOf(activity).map((i) => i.userId)).toEqual(['u9', 'a', 'u1']);
  });
});
