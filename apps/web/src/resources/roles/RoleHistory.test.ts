import { describe, expect, it } from 'vitest';
import type { RoleHistoryEntry } from '../../api/types.ts';
import { describeChange } from './RoleHistory.tsx';

const base: RoleHistoryEntry = {
  id: 1,
  at: '2026-11-20T10:00:00.000Z',
  action: 'role.grants_changed',
  actor: { id: null, email: 'admin@example.com' },
  staff: null,
  before: null,
  after: null,
  reason: null,
};

describe('describeChange', () => {
  it('lists granted and revoked permissions', () => {
    expect(
      describeChange({
        ...base,
        before: { grants: ['users:read', 'audit:read'] },
        after: { grants: ['users:read', 'users:block'] },
      }),
    ).toBe('granted users:block; revoked audit:read');
  });

  it('names the person for an assignment and the new name for a rename', () => {
    expect(
      describeChange({ ...base, action: 'role.assigned', staff: { id: 'x', email: 'a@b.c' } }),
    ).toBe('a@b.c');
    expect(
      describeChange({
        ...base,
        action: 'role.updated',
        before: { name: 'Support', description: '' },
        after: { name: 'Support leads', description: '' },
      }),
    ).toBe('Support → Support leads');
  });
});
