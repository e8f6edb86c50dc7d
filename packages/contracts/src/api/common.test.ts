import { describe, expect, it } from 'vitest';
import { DateTimeSchema, queryEnum, TextSchema } from './common.ts';

describe('TextSchema', () => {
  it('refuses NUL and unpaired surrogates, and keeps every other character', () => {
    for (const bad of ['\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\udc00\ud800']) {
      expect(TextSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
    for (const good of ['', 'plain', '😀 paired surrogates', 'مرحبا', 'tab\tand\nnewline']) {
      expect(TextSchema.safeParse(good).data).toBe(good);
    }
  });

  it('keeps its check when narrowed further', () => {
    expect(TextSchema.trim().min(2).safeParse('  a\u0000 ').success).toBe(false);
    expect(TextSchema.trim().min(2).safeParse('  ab ').data).toBe('ab');
  });
});

describe('DateTimeSchema', () => {
  it('accepts instants from year 0001 to 9999 with an offset', () => {
    for (const good of [
      '0001-01-01T00:00:00Z',
      '2026-12-03T10:00:00+01:00',
      '9999-12-31T23:59:59Z',
    ]) {
      expect(DateTimeSchema.safeParse(good).success, good).toBe(true);
    }
  });

  it('refuses year 0000, a year that is 0000 in UTC, and impossible days', () => {
    for (const bad of [
      '0000-01-01T00:00:00Z',
      '0001-01-01T00:30:00+01:00',
      '2024-02-30T00:00:00Z',
      '10000-01-01T00:00:00Z',
      '2026-12-03',
    ]) {
      expect(DateTimeSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe('queryEnum', () => {
  const sort = queryEnum(['createdAt', '-createdAt']);

  it('accepts any case and answers the canonical value', () => {
    expect(sort.parse('CREATEDAT')).toBe('createdAt');
    expect(sort.parse('-createdat')).toBe('-createdAt');
  });

  it('refuses other values', () => {
    expect(sort.safeParse('updatedAt').success).toBe(false);
    expect(sort.safeParse(1).success).toBe(false);
  });
});
