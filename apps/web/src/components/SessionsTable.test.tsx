import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from 'antd';
import { describe, expect, it, vi } from 'vitest';
import type { StaffSession } from '../api/types.ts';
import { SessionsTable, describeAgent } from './SessionsTable.tsx';

const session = (id: string, current: boolean): StaffSession => ({
  id,
  staffId: '00000000-0000-4000-8000-000000000001',
  staffEmail: 'ann@example.com',
  provider: 'builtin',
  createdAt: '2026-11-20T10:00:00.000Z',
  lastSeenAt: new Date().toISOString(),
  expiresAt: '2026-11-20T22:00:00.000Z',
  ip: '127.0.0.1',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0.0.0 Safari/537.36',
  current,
});

describe('describeAgent', () => {
  it('shortens a user agent to browser and system', () => {
    expect(describeAgent(session('a', false).userAgent)).toBe('Chrome on Linux');
    expect(describeAgent(null)).toBe('Unknown device');
  });
});

describe('SessionsTable', () => {
  it('revokes another session and not the current one', async () => {
    const onRevoke = vi.fn();
    render(
      <App>
        <SessionsTable
          label="Your sessions"
          sessions={[session('a', true), session('b', false)]}
          loading={false}
          onRevoke={onRevoke}
        />
      </App>,
    );
    expect(screen.getByText('This session')).toBeInTheDocument();
    const buttons = screen.getAllByRole('button', { name: /Revoke/ });
    expect(buttons[0]).toBeDisabled();
    await userEvent.click(buttons[1]!);
    expect(onRevoke).toHaveBeenCalledWith(expect.objectContaining({ id: 'b' }));
  });
});
