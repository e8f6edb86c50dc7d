import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../format.ts';
import { USER_ID, auditEntry, userDetail } from '../../test/fixtures.ts';
import { AuditTab, ProfileTab } from './UserTabs.tsx';

const blocked = {
  state: 'Blocked',
  blockedAt: '2026-07-14T09:30:00.000Z',
  blockedBy: '5a4db0c0-0000-4000-8000-000000000001',
  blockReason: 'Chargeback fraud',
};

describe('a user’s profile and audit tabs', () => {
  it('says who blocked the user: the platform service and its account, not an id', () => {
    render(
      <ProfileTab
        user={userDetail({
          ...blocked,
          blockedByActor: {
            type: 'upstream',
            id: blocked.blockedBy,
            email: null,
            label: 'User Service (platform)',
            person: 'a***@sandbox.example',
          },
        })}
      />,
    );
    const cell = screen.getByText('Blocked by').closest('tr') as HTMLElement;
    expect(within(cell).getByText('User Service (platform)')).toBeInTheDocument();
    expect(within(cell).getByText(/a\*\*\*@sandbox\.example/)).toBeInTheDocument();
    expect(within(cell).queryByText(blocked.blockedBy)).not.toBeInTheDocument();
  });

  it('says who blocked the user: one of our staff, by name', () => {
    render(
      <ProfileTab
        user={userDetail({
          ...blocked,
          blockedByActor: {
            type: 'staff',
            id: blocked.blockedBy,
            email: 'ann@example.com',
            label: 'Ann Admin',
            person: null,
          },
        })}
      />,
    );
    const cell = screen.getByText('Blocked by').closest('tr') as HTMLElement;
    expect(within(cell).getByText('Ann Admin')).toBeInTheDocument();
  });

  it('lists the user’s audit entries with when they happened and were recorded, and where from', () => {
    render(
      <MemoryRouter>
        <AuditTab
          userId={USER_ID}
          canOpenAudit
          entries={[
            auditEntry({
              occurredAt: '2026-07-14T09:30:00.000Z',
              at: '2026-11-20T10:05:00.000Z',
              source: 'platform',
              sourceService: 'user-service',
              actor: {
                type: 'upstream',
                id: null,
                email: null,
                label: 'User Service (platform)',
                person: null,
              },
            }),
          ]}
        />
      </MemoryRouter>,
    );
    const table = screen.getByRole('table', { name: 'Recent audit entries' });
    expect(within(table).getByRole('columnheader', { name: 'Happened' })).toBeInTheDocument();
    expect(within(table).getByRole('columnheader', { name: 'Recorded' })).toBeInTheDocument();
    expect(
      within(table).getByRole('link', {
        name: `Open audit entry 41: users.block, happened ${formatDateTime('2026-07-14T09:30:00.000Z')}`,
      }),
    ).toBeInTheDocument();
    expect(within(table).getByText(formatDateTime('2026-11-20T10:05:00.000Z'))).toBeInTheDocument();
    expect(within(table).getByText('Platform')).toBeInTheDocument();
    expect(within(table).getByText('User Service (platform)')).toBeInTheDocument();
  });
});
