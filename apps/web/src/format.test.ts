import { describe, expect, it } from 'vitest';
import {
  dayToIso,
  formatAgo,
  formatDateTime,
  formatMoney,
  formatNumber,
  isMasked,
  plural,
} from './format.ts';

describe('format', () => {
  it('formats dates and says when there is none', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('2026-11-20T10:11:12.000Z')).toMatch(/^2026-11-2\d \d\d:11:12$/);
    expect(formatAgo(null)).toBe('never');
    expect(formatAgo(new Date(Date.now() - 120_000).toISOString())).toBe('2 minutes ago');
  });

  it('formats numbers and plurals', () => {
    expect(formatNumber(undefined)).toBe('—');
    expect(formatNumber(1.234, 1)).toBe((1.2).toLocaleString());
    expect(plural(1, 'role')).toBe('1 role');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
  });

  it('formats the API’s decimal strings as money', () => {
    expect(formatMoney('1234.5')).toBe(
      (1234.5).toLocaleString(undefined, { minimumFractionDigits: 2 }),
    );
    expect(formatMoney(null)).toBe('—');
    expect(formatMoney('n/a')).toBe('n/a');
  });

  it('recognises masked personal data', () => {
    expect(isMasked('a***@example.com')).toBe(true);
    expect(isMasked('***')).toBe(true);
    expect(isMasked('ann@example.com')).toBe(false);
    expect(isMasked(null)).toBe(false);
  });

  it('turns a day into the start or end of that local day', () => {
    const start = dayToIso('2026-11-01', 'start');
    const end = dayToIso('2026-11-01', 'end');
    expect(new Date(start ?? '').getDate()).toBe(1);
    expect(new Date(start ?? '').getHours()).toBe(0);
    expect(new Date(end ?? '').getHours()).toBe(23);
    expect(dayToIso('01/11/2026', 'start')).toBeUndefined();
    expect(dayToIso(undefined, 'end')).toBeUndefined();
  });
});
