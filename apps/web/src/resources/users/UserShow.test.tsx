import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client.ts';
import { findDialog } from '../../test/dialogs.ts';
import { fakeApi, meResponse } from '../../test/fakeApi.ts';
import { auditEntry, USER_ID, userDetail } from '../../test/fixtures.ts';
import { renderApp } from '../../test/renderApp.tsx';

afterEach(() => vi.unstubAllGlobals());

const STAFF = ['users:read', 'users:reveal_pii', 'users:block', 'audit:read'];
const masked = userDetail({ email: 'm***@example.com', name: 'M*** L***' });
const until = new Date(Date.now() + 15 * 60_000).toISOString();
const revealed = userDetail({
  piiRevealedUntil: until,
  recentAudit: [
    auditEntry({ action: 'users.pii_revealed', reason: 'Customer called about ticket 4711' }),
  ],
});

describe('revealing a masked user', { timeout: 90_000 }, () => {
  it('asks for a justification, then shows the data, until when, and the reveal in the audit tab', async () => {
    setToken('tok');
    let current = masked;
    const api = fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse({ permissions: STAFF })),
      [`GET /v1/admin/users/${USER_ID}`]: () => Response.json(current),
      [`POST /v1/admin/users/${USER_ID}/reveal`]: () => {
        current = revealed;
        return Response.json({ user: revealed, revealedUntil: until });
      },
    });
    renderApp(`/users/${USER_ID}`);

    await userEvent.click(await screen.findByRole('button', { name: 'Reveal' }));
    const dialog = await findDialog('Reveal this user’s personal data?');
    const confirm = within(dialog).getByRole('button', { name: 'Reveal' });
    await userEvent.type(within(dialog).getByLabelText(/Justification/), 'because');
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText(/Justification/), ' the customer called');
    await userEvent.click(confirm);

    expect((await screen.findAllByText('maria.lopez@example.com')).length).toBeGreaterThan(0);
    expect(api.bodies[`POST /v1/admin/users/${USER_ID}/reveal`]).toEqual([
      { reason: 'because the customer called' },
    ]);
    expect(screen.getByText(/Revealed to you until/)).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.queryByRole('button', { name: 'Reveal' })).not.toBeInTheDocument(),
    );
    await userEvent.click(screen.getByRole('tab', { name: 'Audit' }));
    expect(await screen.findByText('users.pii_revealed')).toBeInTheDocument();
  });

  it('offers no reveal without the permission', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse({ permissions: ['users:read'] })),
      [`GET /v1/admin/users/${USER_ID}`]: () => Response.json(masked),
    });
    renderApp(`/users/${USER_ID}`);
    expect((await screen.findAllByText('m***@example.com')).length).toBeGreaterThan(0);
    expect(screen.queryByRole('button', { name: 'Reveal' })).not.toBeInTheDocument();
  });
});
