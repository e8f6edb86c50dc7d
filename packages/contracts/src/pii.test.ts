import { describe, expect, it } from 'vitest';
import { maskChange, maskJson, maskValue } from './pii.ts';
import { expandGrants, grants, isValidGrant } from './permissions.ts';

describe('maskValue', () => {
  it('keeps the first letter and the domain of an email', () => {
    expect(maskValue('john.doe@example.com', 'email')).toBe('j***@example.com');
    expect(maskValue('not-an-email', 'email')).toBe('***');
  });
  it('keeps the initials of a name', () => {
    expect(maskValue('Ada  Lovelace', 'name')).toBe('A*** L***');
  });
  it('hides free text and addresses entirely', () => {
    expect(maskValue('10.0.0.1', 'ip')).toBe('***');
  });
});

describe('maskJson', () => {
  it('masks values under personal keys at any depth, and keeps the rest', () => {
    expect(
      maskJson({ email: 'ada@example.com', profile: { first_name: 'Ada', phone: 5551234 }, n: 2 }),
    ).toEqual({ email: 'a***@example.com', profile: { first_name: 'A***', phone: '***' }, n: 2 });
  });
});

describe('maskChange', () => {
  it('masks the old and new values of a change whose path names personal data', () => {
    expect(
      maskChange({ path: '/email', before: 'old@example.com', after: 'new@example.com' }),
    ).toEqual({ path: '/email', before: 'o***@example.com', after: 'n***@example.com' });
    expect(maskChange({ path: '/profile/last_name', before: null, after: 'Lovelace' })).toEqual({
      path: '/profile/last_name',
      before: null,
      after: 'L***',
    });
    expect(maskChange({ path: '/emails/0', before: 'a@b.c', after: 'd@e.f' })).toEqual({
      path: '/emails/0',
      before: 'a***@b.c',
      after: 'd***@e.f',
    });
  });
  it('keeps other changes, and masks personal keys inside whole objects', () => {
    expect(maskChange({ path: '/state', before: 'Active', after: 'Blocked' })).toEqual({
      path: '/state',
      before: 'Active',
      after: 'Blocked',
    });
    expect(maskChange({ path: '/', before: {}, after: { name: 'Ada Lovelace' } })).toEqual({
      path: '/',
      before: {},
      after: { name: 'A*** L***' },
    });
  });
});

describe('grants', () => {
  it('matches exact permissions, resource wildcards and the global wildcard', () => {
    expect(grants(['users:read'], 'users:read')).toBe(true);
    expect(grants(['users:*'], 'users:block')).toBe(true);
    expect(grants(['*'], 'audit:export')).toBe(true);
    expect(grants(['users:*'], 'audit:read')).toBe(false);
    expect(grants(['users:read'], 'users:read_pii')).toBe(false);
  });
  it('validates grants against the catalogue', () => {
    expect(isValidGrant('users:*')).toBe(true);
    expect(isValidGrant('parcels:*')).toBe(false);
    expect(isValidGrant('users:fly')).toBe(false);
  });
  it('expands grants into permissions', () => {
    expect(expandGrants(['audit:*'])).toEqual(['audit:read', 'audit:export', 'audit:verify']);
  });
});
