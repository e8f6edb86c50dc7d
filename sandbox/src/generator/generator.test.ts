import type { KnownEvent } from '@backoffice/contracts';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { validEvent } from '../../test/helpers/events.ts';
import { KNOWN_ACCOUNTS } from '../domain/accounts.ts';
import { decimalToCents } from '../domain/money.ts';
import { periodEnd, periodStart } from '../domain/periods.ts';
import { generateEvents, type GenerateOptions } from './generator.ts';

const END = new Date('2026-03-15T09:30:00.000Z');
const OPTIONS: GenerateOptions = { users: 1_500, transactions: 20_000, seed: 7, end: END };

function hashOf(options: GenerateOptions, count: number): string {
  const hash = createHash('sha256');
  let n = 0;
  for (const event of generateEvents(options)) {
    hash.update(JSON.stringify(event));
    if (++n === count) break;
  }
  return hash.digest('hex');
}

/** Who an event is about, for the ordering checks. */
function userOf(event: KnownEvent): string {
  switch (event.event_type) {
    case 'user.created':
    case 'user.updated':
      return event.data.user.id;
    case 'transaction.created':
    case 'transaction.updated':
      return event.data.transaction.user_id;
    case 'budget.created':
    case 'budget.updated':
      return event.data.budget.user_id;
    case 'user.blocked':
    case 'user.unblocked':
    case 'session.created':
    case 'session.ended':
    case 'transaction.deleted':
    case 'budget.deleted':
      return event.data.user_id;
    default:
      throw new Error(`the Money Planner generator does not make ${event.event_type}`);
  }
}

describe('generateEvents', () => {
  const events = [...generateEvents(OPTIONS)].map(validEvent);
  const ofType = <T extends KnownEvent['event_type']>(type: T) =>
    events.filter((e): e is Extract<KnownEvent, { event_type: T }> => e.event_type === type);

  it('is deterministic: the same seed gives the same bytes, another seed other bytes', () => {
    const first = hashOf(OPTIONS, 10_000);
    expect(hashOf(OPTIONS, 10_000)).toBe(first);
    expect(hashOf({ ...OPTIONS, seed: 8 }, 10_000)).not.toBe(first);
  });

  it('produces exactly the users (plus the three known accounts) and transactions asked for', () => {
    const users = ofType('user.created');
    expect(users).toHaveLength(OPTIONS.users + 3);
    expect(ofType('transaction.created')).toHaveLength(OPTIONS.transactions);
    expect(new Set(users.map((e) => e.data.user.email)).size).toBe(users.length);
    expect(
      users.slice(0, 3).map((e) => [e.data.user.id, e.data.user.email, e.data.user.role]),
    ).toEqual(KNOWN_ACCOUNTS.map((a) => [a.id, a.email, a.role]));
  });

  it('spreads a realistic population: mostly customers, about 2% blocked, incomes about 10%', () => {
    const roles = ofType('user.created').map((e) => e.data.user.role);
    expect(roles.filter((r) => r === 'Customer').length / roles.length).toBeGreaterThan(0.98);
    const blocked = ofType('user.blocked').length / OPTIONS.users;
    expect(blocked).toBeGreaterThan(0.008);
    expect(blocked).toBeLessThan(0.03);
    const incomes = ofType('transaction.created').filter(
      (e) => e.data.transaction.transaction_type === 'INCOME',
    );
    expect(incomes.length / OPTIONS.transactions).toBeCloseTo(0.1, 1);
    expect(ofType('transaction.updated').length).toBeGreaterThan(0);
    expect(ofType('transaction.deleted').length).toBeGreaterThan(0);
    expect(ofType('budget.created').length).toBeGreaterThan(OPTIONS.users / 2);
  });

  it('grows: the last six months have more sign-ups than the first six', () => {
    const created = ofType('user.created').map((e) => Date.parse(e.data.user.created_at));
    const start = Math.min(...created);
    const sixMonths = 183 * 86_400_000;
    const early = created.filter((t) => t < start + sixMonths).length;
    const late = created.filter((t) => t > END.getTime() - sixMonths).length;
    expect(late).toBeGreaterThan(2 * early);
  });

  it('orders events by strictly increasing timestamp; nothing about a user precedes its user.created', () => {
    const created = new Set<string>();
    const violations: string[] = [];
    let previous = '';
    for (const event of events) {
      if (event.timestamp <= previous) violations.push(`${event.event_id} at ${event.timestamp}`);
      previous = event.timestamp;
      if (event.event_type === 'user.created') created.add(event.data.user.id);
      else if (!created.has(userOf(event)))
        violations.push(`${event.event_type} before user.created`);
    }
    expect(violations).toEqual([]);
  });

  it('has blocked users neither sign in nor transact after their block', () => {
    const blockedAt = new Map(ofType('user.blocked').map((e) => [e.data.user_id, e.timestamp]));
    const after = events.filter(
      (e) =>
        (e.event_type === 'session.created' || e.event_type === 'transaction.created') &&
        (blockedAt.get(userOf(e)) ?? '9999') < e.timestamp,
    );
    expect(after).toEqual([]);
  });

  it('leaves about a tenth of the users with a session open in the last day', () => {
    const open = new Map<string, string>();
    for (const e of ofType('session.created')) open.set(e.data.session_id, e.data.user_id);
    for (const e of ofType('session.ended')) open.delete(e.data.session_id);
    const share = new Set(open.values()).size / (OPTIONS.users + 3);
    expect(share).toBeGreaterThan(0.07);
    expect(share).toBeLessThan(0.2);
  });

  it('reports each budget’s spent as the sum of its matching expenses in the current period', () => {
    interface Tx {
      user: string;
      category: string | null | undefined;
      type: string;
      cents: number;
      date: number;
    }
    const transactions = new Map<string, Tx>();
    const budgets = new Map<
      string,
      Extract<KnownEvent, { event_type: 'budget.created' }>['data']['budget']
    >();
    for (const e of events) {
      if (e.event_type === 'transaction.created' || e.event_type === 'transaction.updated') {
        const t = e.data.transaction;
        transactions.set(t.id, {
          user: t.user_id,
          category: t.category_id,
          type: t.transaction_type,
          cents: decimalToCents(t.amount),
          date: Date.parse(t.date),
        });
      } else if (e.event_type === 'transaction.deleted') transactions.delete(e.data.transaction_id);
      else if (e.event_type === 'budget.created' || e.event_type === 'budget.updated')
        budgets.set(e.data.budget.id, e.data.budget);
      else if (e.event_type === 'budget.deleted') budgets.delete(e.data.budget_id);
    }
    const byUser = new Map<string, Tx[]>();
    for (const t of transactions.values()) {
      const list = byUser.get(t.user) ?? [];
      list.push(t);
      byUser.set(t.user, list);
    }
    const now = END.getTime();
    const reported: [string, number][] = [];
    const expected: [string, number][] = [];
    for (const budget of budgets.values()) {
      const from = periodStart(budget.period_type, now);
      const to = periodEnd(budget.period_type, now);
      let sum = 0;
      for (const t of byUser.get(budget.user_id) ?? []) {
        if (t.type !== 'EXPENSE' || t.date < from || t.date >= to) continue;
        if (budget.category_id == null || budget.category_id === t.category) sum += t.cents;
      }
      reported.push([budget.id, decimalToCents(budget.spent ?? '0')]);
      expected.push([budget.id, sum]);
    }
    expect(reported).toEqual(expected);
    expect(expected.filter(([, sum]) => sum > 0).length).toBeGreaterThan(10);
  });

  it('rejects invalid options', () => {
    expect(() => generateEvents({ ...OPTIONS, users: -1 })).toThrow(RangeError);
    expect(() => generateEvents({ ...OPTIONS, end: new Date('nope') })).toThrow(RangeError);
  });
});
