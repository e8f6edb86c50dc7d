import { AuditEntryDetailSchema, pii } from '@backoffice/contracts';
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
