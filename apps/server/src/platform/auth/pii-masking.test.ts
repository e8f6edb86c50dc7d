import { AuditEntryDetailSchema, pii, piiSubject } from '@backoffice/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { containsPii, maskPii } from './pii-masking.ts';

const User = z.object({
  id: z.string(),
  email: pii(z.string(), 'email'),
  name: pii(z.string(), 'name').nullable(),
  sessions: z.array(z.object({ ip: pii(z.string(), 'ip').optional(), device: z.string() })),
});
const Page = z.object({ data: z.array(User), total: z.number() });
const AuditChangesOnly = AuditEntryDetailSchema.pick({ changes: true });

describe('maskPii', () => {
  it('masks every marked field, through arrays, nullables and optionals, and nothing else', () => {
    const page = {
      data: [
        {
          id: 'u1',
          email: 'ada@example.com',
          name: 'Ada Lovelace',
          sessions: [{ ip: '10.0.0.1', device: 'mac' }, { device: 'phone' }],
        },
        { id: 'u2', email: 'bob@example.org', name: null, sessions: [] },
      ],
      total: 2,
    };
    expect(maskPii(Page, page)).toEqual({
      data: [
        {
          id: 'u1',
          email: 'a***@example.com',
          name: 'A*** L***',
          sessions: [{ ip: '***', device: 'mac' }, { device: 'phone' }],
        },
        { id: 'u2', email: 'b***@example.org', name: null, sessions: [] },
      ],
      total: 2,
    });
    expect(Page.safeParse(maskPii(Page, page)).success).toBe(true);
  });

  it('knows which schemas carry personal data', () => {
    expect(containsPii(Page)).toBe(true);
    expect(containsPii(z.object({ total: z.number() }))).toBe(false);
  });
});

describe('maskPii of an audit entry', () => {
  it('masks the changes between before and after by the path of each change', () => {
    const masked = maskPii(AuditChangesOnly, {
      changes: [
        { path: '/email', before: 'old@example.com', after: 'new@example.com' },
        { path: '/name', before: 'Ada Lovelace', after: 'Ada King' },
        { path: '/state', before: 'Active', after: 'Blocked' },
      ],
    });
    expect(masked).toEqual({
      changes: [
        { path: '/email', before: 'o***@example.com', after: 'n***@example.com' },
        { path: '/name', before: 'A*** L***', after: 'A*** K***' },
        { path: '/state', before: 'Active', after: 'Blocked' },
      ],
    });
  });
});

describe('maskPii with a revealed user', () => {
  // As AuditEntryDetailSchema: an entry about a user is that user's data.
  const Entry = piiSubject(
    AuditEntryDetailSchema.pick({ resource: true, actor: true, changes: true }),
    (e) => (e.resource.type === 'user' ? e.resource.id : null),
  );
  const entry = (actorId: string) => ({
    resource: { type: 'user', id: 'user-x', label: 'x', email: 'x@example.com' },
    actor: {
      type: 'upstream',
      id: actorId,
      email: null,
      label: 'User Service (platform)',
      person: 'other@example.com',
    },
    changes: [{ path: '/email', before: 'x-old@example.com', after: 'x@example.com' }],
  });

  it("unmasks the revealed user's data, not the data of whoever acted on them", () => {
    const masked = maskPii(Entry, entry('user-y'), new Set(['user-x'])) as ReturnType<typeof entry>;
    expect(masked.changes).toEqual(entry('user-y').changes);
    expect(masked.resource.email).toBe('x@example.com');
    expect(masked.actor.person).toBe('o***@example.com');
  });

  it('unmasks the actor too when the actor is the revealed user', () => {
    const masked = maskPii(Entry, entry('user-x'), new Set(['user-x'])) as ReturnType<typeof entry>;
    expect(masked.actor.person).toBe('other@example.com');
  });
});
