import { describe, expect, it } from 'vitest';
import { periodEnd, periodStart } from './periods.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('budget periods (UTC)', () => {
  it('start on Monday, the 1st of the month and the 1st of January', () => {
    // 2024-02-29 was a Thursday, in a leap year.
    const t = at('2024-02-29T23:59:59.999Z');
    expect(iso(periodStart('WEEKLY', t))).toBe('2024-02-26T00:00:00.000Z');
    expect(iso(periodEnd('WEEKLY', t))).toBe('2024-03-04T00:00:00.000Z');
    expect(iso(periodStart('MONTHLY', t))).toBe('2024-02-01T00:00:00.000Z');
    expect(iso(periodEnd('MONTHLY', t))).toBe('2024-03-01T00:00:00.000Z');
    expect(iso(periodStart('YEARLY', t))).toBe('2024-01-01T00:00:00.000Z');
    expect(iso(periodEnd('YEARLY', t))).toBe('2025-01-01T00:00:00.000Z');
  });

  it('agree with Date arithmetic on every day of a few years', () => {
    for (let t = at('1999-12-20T12:00:00Z'); t < at('2030-01-10T00:00:00Z'); t += 86_400_000) {
      const d = new Date(t);
      const month = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
      const monday = Date.UTC(
        d.getUTCFullYear(),
        d.getUTCMonth(),
        d.getUTCDate() - ((d.getUTCDay() + 6) % 7),
      );
      if (periodStart('MONTHLY', t) !== month || periodStart('WEEKLY', t) !== monday) {
        throw new Error(`wrong period for ${d.toISOString()}`);
      }
    }
  });
});
