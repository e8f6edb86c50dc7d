import { describe, expect, it } from 'vitest';
import { generateEvents } from '../generator/generator.ts';
import { Sfc32 } from '../generator/prng.ts';
import {
  Rhythm,
  ratesFromHistory,
  type Action,
  type HistoryCount,
  type HistoryKind,
} from './rhythm.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const KINDS: Record<string, HistoryKind> = {
  'user.created': 'sign-up',
  'session.created': 'login',
  'transaction.created': 'transaction',
};

/** The seeded history's last `days` days, counted the way TrafficRepository.history() counts them. */
function history(end: Date, days: number): HistoryCount[] {
  const counts = new Map<string, HistoryCount>();
  const from = end.getTime() - days * DAY;
  for (const event of generateEvents({ users: 4_000, transactions: 60_000, seed: 7, end })) {
    const kind = KINDS[event.event_type];
    const t = Date.parse(event.timestamp);
    if (kind === undefined || t < from) continue;
    const hour = new Date(t).getUTCHours();
    const key = `${kind}:${hour}`;
    const entry = counts.get(key) ?? { kind, hour, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()];
}

/** What the live traffic does over `days` days from `start`, on a clock of its own (no waiting). */
function simulate(rhythm: Rhythm, start: number, days: number) {
  const done: { at: number; action: Action }[] = [];
  for (let now = start; ;) {
    const next = rhythm.next(now);
    if (next === undefined || next.at >= start + days * DAY) return done;
    done.push(next);
    now = next.at;
  }
}

describe('the live traffic’s rhythm', () => {
  const end = new Date('2026-11-30T00:00:00Z');
  const counts = history(end, 7);
  const rates = ratesFromHistory(counts, 7);
  const historyPerDay = (kind: HistoryKind) =>
    counts.filter((c) => c.kind === kind).reduce((n, c) => n + c.count, 0) / 7;

  it('does per day what an average recent day of the history did', () => {
    const days = 28;
    const done = simulate(new Rhythm(rates, () => random.next()), end.getTime(), days);
    for (const kind of ['transaction', 'login', 'sign-up'] as const) {
      const live = done.filter((d) => d.action === kind).length / days;
      const expected = historyPerDay(kind);
      expect(expected).toBeGreaterThan(kind === 'sign-up' ? 5 : 50);
      expect(Math.abs(live / expected - 1), kind).toBeLessThan(0.1);
    }
    // Sessions end about as often as they start: the number of active sessions stays steady.
    const logins = done.filter((d) => d.action === 'login').length;
    const logouts = done.filter((d) => d.action === 'logout').length;
    expect(Math.abs(logouts / logins - 1)).toBeLessThan(0.1);
  });

  it('follows the hours of the day: by time T, about what an average day has by T', () => {
    const days = 28;
    const done = simulate(new Rhythm(rates, () => random.next()), end.getTime(), days);
    for (const untilHour of [3, 9, 15, 21]) {
      const expected = rates.transaction.slice(0, untilHour).reduce((a, b) => a + b, 0);
      const live =
        done.filter(
          (d) => d.action === 'transaction' && (d.at - end.getTime()) % DAY < untilHour * HOUR,
        ).length / days;
      expect(Math.abs(live / expected - 1), `by ${untilHour}:00`).toBeLessThan(0.12);
    }
  });

  it('follows a rhythm with quiet nights as well as a flat one', () => {
    const busyDays: HistoryCount[] = Array.from({ length: 24 }, (_, hour) => ({
      kind: 'transaction',
      hour,
      count: hour >= 8 && hour < 20 ? 700 : 70,
    }));
    const rhythmic = ratesFromHistory(busyDays, 7);
    const done = simulate(new Rhythm(rhythmic, () => random.next()), end.getTime(), 14);
    const inHours = (from: number, to: number) =>
      done.filter((d) => {
        const hour = new Date(d.at).getUTCHours();
        return d.action === 'transaction' && hour >= from && hour < to;
      }).length / 14;
    expect(Math.abs(inHours(8, 20) / (12 * 100) - 1)).toBeLessThan(0.1);
    expect(Math.abs(inHours(20, 24) / (4 * 10) - 1)).toBeLessThan(0.2);
  });

  it('does nothing when the history is empty', () => {
    expect(new Rhythm(ratesFromHistory([], 7), Math.random).next(Date.now())).toBeUndefined();
  });
});

const random = new Sfc32(2026);
