import { describe, expect, it } from 'vitest';
import { maskValue } from './pii.ts';
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
    expect(isValidGrant('pets:*')).toBe(false);
    expect(isValidGrant('users:fly')).toBe(false);
  });
  it('expands grants into permissions', () => {
    expect(expandGrants(['audit:*'])).toEqual(['audit:read', 'audit:export', 'audit:verify']);
  });
});
