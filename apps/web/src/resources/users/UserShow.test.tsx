import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client.ts';
import { findDialog } from '../../test/dialogs.ts';
import { fakeApi, meResponse, problem } from '../../test/fakeApi.ts';
import { auditEntry, OTHER_USER_ID, USER_ID, userDetail, userItem } from '../../test/fixtures.ts';
import { renderApp } from '../../test/renderApp.tsx';
import { fill } from '../../test/typing.ts';
import { UNCONFIRMED_MAX_MS, withUnconfirmed } from './queries.ts';

afterEach(() => vi.unstubAllGlobals());

const SUPPORT = ['users:read', 'users:read_pii', 'users:write', 'users:sessions', 'audit:read'];

const title = (name: string) => screen.findByRole('heading', { level: 1, name });

describe('withUnconfirmed', () => {
  const saved = { fields: { name: 'Maria Santos' }, since: '2026-11-20T10:00:00.000Z' };
  const at = (ms: number) => Date.parse(saved.since) + ms;

  it('lays what the read model does not show yet over it, marked pending', () => {
    const shown = withUnconfirmed(userDetail(), saved, at(1_000));
    expect(shown).toMatchObject({ name: 'Maria Santos', pending: true, unconfirmed: saved });
  });

  it('lets the read model speak once it shows the change, or after a while in any case', () => {
    const caughtUp = withUnconfirmed(userDetail({ name: 'Maria Santos' }), saved, at(1_000));
    expect(caughtUp.unconfirmed).toBeUndefined();
    expect(caughtUp.pending).toBe(false);
    const late = withUnconfirmed(userDetail(), saved, at(UNCONFIRMED_MAX_MS + 1));
    expect(late).toMatchObject({ name: 'Maria Lopez', pending: false });
  });
});

describe('the user details', () => {
  it('shows a saved name at once and keeps it until the read model has it too', async () => {
    // The read model learns of the change only with the User Service's event, a moment later.
    let readModel = userDetail();
    const { calls } = fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse({ permissions: SUPPORT })),
      [`GET /v1/admin/users/${USER_ID}`]: () => Response.json(readModel),
      [`PUT /v1/admin/users/${USER_ID}`]: () => Response.json(userItem({ name: 'Maria Santos' })),
    });
    setToken('token');
    renderApp(`/users/${USER_ID}`);
    await title('Maria Lopez');

    await userEvent.click(screen.getByRole('button', { name: 'Edit profile' }));
    const dialog = await findDialog('Edit profile');
    const name = within(dialog).getByLabelText('Name');
    await userEvent.clear(name);
    await fill(name, 'Maria Santos');
    await fill(within(dialog).getByLabelText('Reason'), 'Married, asked by phone');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save profile' }));

    await title('Maria Santos');
    // The details were read again after the save, and still showed the old name.
    const reads = () => calls.filter((c) => c === `GET /v1/admin/users/${USER_ID}`).length;
    const readsAfterSave = reads();
    await waitFor(() => expect(reads()).toBeGreaterThan(readsAfterSave));
    expect(screen.getByRole('heading', { level: 1, name: 'Maria Santos' })).toBeInTheDocument();
    expect(screen.getAllByText('Pending confirmation').length).toBeGreaterThan(0);

    readModel = userDetail({ name: 'Maria Santos' });
    await waitFor(() => expect(screen.queryByText('Pending confirmation')).toBeNull());
    expect(screen.getByRole('heading', { level: 1, name: 'Maria Santos' })).toBeInTheDocument();
  });

  it('says there is no user with a garbage id, and offers the list instead of a retry', async () => {
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse({ permissions: SUPPORT })),
      'GET /v1/admin/users/not-an-id': () =>
        problem(400, {
          detail: 'Invalid params: /id Invalid UUID',
          errors: [{ location: 'params', pointer: '/id', message: 'Invalid UUID' }],
        }),
      [`GET /v1/admin/users/${OTHER_USER_ID}`]: () => problem(404, { detail: 'No user.' }),
    });
    setToken('token');
    const { router } = renderApp('/users/not-an-id');
    expect(await screen.findByText('No user with that id')).toBeInTheDocument();
    expect(screen.queryByText(/Invalid UUID/)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Go to the users' })).toHaveAttribute('href', '/users');

    await act(() => router.navigate(`/users/${OTHER_USER_ID}`));
    await waitFor(() =>
      expect(screen.getByRole('link', { name: 'Go to the users' })).toBeInTheDocument(),
    );
    expect(screen.getByText('No user with that id')).toBeInTheDocument();
  });
});

const STAFF = ['users:read', 'users:reveal_pii', 'users:block', 'audit:read'];
const masked = userDetail({ email: 'm***@example.com', name: 'M*** L***' });
const until = new Date(Date.now() + 15 * 60_000).toISOString();
const revealed = userDetail({
  piiRevealedUntil: until,
  recentAudit: [
    auditEntry({ action: 'users.pii_revealed', reason: 'Customer called about ticket 4711' }),
  ],
});

describe('revealing a masked user', () => {
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
    await fill(within(dialog).getByLabelText(/Justification/), 'because');
    expect(confirm).toBeDisabled();
    await fill(within(dialog).getByLabelText(/Justification/), ' the customer called');
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

describe('the account switch (disable / enable)', () => {
  const BLOCKER = ['users:read', 'users:read_pii', 'users:block', 'audit:read'];

  it('disables an account where the account switch runs, shown at once, after a typed confirmation and a reason', async () => {
    setToken('tok');
    let current = userDetail();
    const api = fakeApi({
      'GET /v1/admin/auth/me': () =>
        Response.json(meResponse({ permissions: BLOCKER, features: ['users', 'accounts'] })),
      [`GET /v1/admin/users/${USER_ID}`]: () => Response.json(current),
      [`POST /v1/admin/users/${USER_ID}/disable`]: () => {
        current = userDetail({ state: 'Disabled', pending: true });
        return Response.json({
          user: userItem({ state: 'Disabled', pending: true }),
          changed: true,
        });
      },
    });
    renderApp(`/users/${USER_ID}`);

    await userEvent.click(await screen.findByRole('button', { name: 'Disable account' }));
    const dialog = await findDialog('Disable the account of maria.lopez@example.com?');
    await fill(within(dialog).getByLabelText(/Reason/), 'Asked to close the account');
    await fill(within(dialog).getByLabelText(/to confirm/), 'DISABLE');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Disable account' }));

    expect(await screen.findByText('Account disabled')).toBeInTheDocument();
    expect(api.bodies[`POST /v1/admin/users/${USER_ID}/disable`]).toEqual([
      { reason: 'Asked to close the account' },
    ]);
    expect(await screen.findByRole('button', { name: 'Enable account' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Block user' })).toBeNull();
    // Only the tabs of the features that run: no transactions or budgets here.
    expect(screen.queryByRole('tab', { name: 'Transactions' })).toBeNull();
    expect(screen.queryByRole('tab', { name: /Budgets/ })).toBeNull();
  });

  it('offers no disable where the account switch does not run (Money Planner alone)', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () =>
        Response.json(meResponse({ permissions: BLOCKER, features: ['users'] })),
      [`GET /v1/admin/users/${USER_ID}`]: () => Response.json(userDetail()),
    });
    renderApp(`/users/${USER_ID}`);
    expect(await screen.findByRole('button', { name: 'Block user' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Disable account' })).toBeNull();
  });
});
