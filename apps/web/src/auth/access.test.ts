import { describe, expect, it } from 'vitest';
import { accessFrom } from './access.ts';

describe('canAccess', () => {
  it('allows what the permissions grant and nothing else', () => {
    const canAccess = accessFrom(['users:read', 'system:read']);
    expect(canAccess('users', 'read')).toBe(true);
    expect(canAccess('system', 'read')).toBe(true);
    expect(canAccess('users', 'block')).toBe(false);
    expect(canAccess('roles', 'manage')).toBe(false);
  });

  it('understands wildcards', () => {
    expect(accessFrom(['*'])('roles', 'manage')).toBe(true);
    expect(accessFrom(['users:*'])('users', 'read_pii')).toBe(true);
    expect(accessFrom(['users:*'])('audit', 'read')).toBe(false);
  });

  it('allows nothing before the permissions are known', () => {
    expect(accessFrom(undefined)('users', 'read')).toBe(false);
  });
});
