import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client.ts';
import { captureDownloads } from '../../test/blob.ts';
import { findDialog } from '../../test/dialogs.ts';
import { fakeApi, meResponse, problem } from '../../test/fakeApi.ts';
import { OTHER_USER_ID, USER_ID, userItem, userList } from '../../test/fixtures.ts';
import { renderApp } from '../../test/renderApp.tsx';
import { apiFilter } from './UserList.tsx';
import { fill } from '../../test/typing.ts';

afterEach(() => vi.unstubAllGlobals());

const ADMIN = [
  'users:read',
  'users:read_pii',
  'users:block',
  'users:sessions',
  'users:write',
  'transactions:read',
  'dashboard:read',
  'audit:read',
];

const maria = userItem();
const omar = userItem({
  id: OTHER_USER_ID,
  email: 'omar.haddad@example.com',
  name: 'Omar Haddad',
  state: 'Blocked',
});

describe('apiFilter', () => {
  it('turns the URL’s filter into the API’s, leaving out what makes no sense', () => {
    const filter = apiFilter({
      q: ' maria ',
      state: 'Blocked',
      role: 'Nobody',
      registeredFrom: '2026-11-01',
      registeredTo: 'yesterday',
      activeWithinDays: '7',
      hasActiveSession: 'true',
      sort: 'email',
    });
    expect(filter).toMatchObject({
      q: 'maria',
      state: 'Blocked',
      activeWithinDays: 7,
      hasActiveSession: 'true',
      sort: 'email',
    });
    expect(filter.role).toBeUndefined();
    expect(filter.registeredTo).toBeUndefined();
    expect(new Date(filter.registeredFrom ?? '').getDate()).toBe(1);
    expect(apiFilter({ activeWithinDays: '0', sort: 'password' })).toEqual({});
  });
});

describe('the user list', () => {
  it('applies a filter typed in lower case, and says so when it ignores one it cannot use', async () => {
    setToken('tok');
    const queries: URLSearchParams[] = [];
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse({ permissions: ADMIN })),
      'GET /v1/admin/users': ({ url }) => {
        queries.push(url.searchParams);
        return Response.json(userList([maria]));
      },
    });
    const { router } = renderApp('/users?state=blocked&role=Nope&registeredTo=2026-13-01');
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Ignored invalid filters: role=Nope, registeredTo=2026-13-01',
    );
    await waitFor(() => expect(queries.at(-1)?.get('state')).toBe('Blocked'));
    expect(queries.at(-1)?.has('role')).toBe(false);
    expect(queries.at(-1)?.has('registeredTo')).toBe(false);
    // The role control shows no role: the ignored one does not look applied.
    const role = screen.getByRole('combobox', { name: 'Role' });
    expect(role.closest('.ant-select')).not.toHaveTextContent('Nope');

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search users' }), {
      target: { value: 'maria' },
    });
    // The next filter written to the URL leaves the ignored values out.
    await waitFor(() => expect(router.state.location.search).toContain('q=maria'));
    const search = new URLSearchParams(router.state.location.search);
    expect(search.get('state')).toBe('Blocked');
    expect(search.has('role')).toBe(false);
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('searches, filters and sorts on the server, keeping it all in the URL', async () => {
    setToken('tok');
    const queries: URLSearchParams[] = [];
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse({ permissions: ADMIN })),
      'GET /v1/admin/users': ({ url }) => {
        queries.push(url.searchParams);
        return Response.json(userList([maria]));
      },
    });
    const { router } = renderApp('/users');
    const table = await screen.findByRole('table', { name: 'Users' });
    expect(within(table).getByRole('link', { name: 'maria.lopez@example.com' })).toHaveAttribute(
      'href',
      `/users/${USER_ID}`,
    );
    expect(screen.getByText('1 user matches.')).toBeInTheDocument();

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search users' }), {
      target: { value: 'maria' },
    });
    await waitFor(() => expect(router.state.location.search).toBe('?q=maria'));
    await waitFor(() => expect(queries.at(-1)?.get('q')).toBe('maria'));

    await userEvent.click(screen.getByRole('combobox', { name: 'State' }));
    await userEvent.click(await screen.findByTitle('Blocked'));
    await waitFor(() => expect(router.state.location.search).toBe('?q=maria&state=Blocked'));

    fireEvent.change(screen.getByLabelText('Registered from'), {
      target: { value: '2026-11-01' },
    });
    await waitFor(() => expect(queries.at(-1)?.get('registeredFrom')).toMatch(/^2026-1[01]-/));
    expect(router.state.location.search).toContain('registeredFrom=2026-11-01');

    // While the previous answer loads the table is covered (pointer-events: none): retry the click.
    await waitFor(() =>
      userEvent.click(within(table).getByRole('columnheader', { name: 'Email' })),
    );
    await waitFor(() => expect(queries.at(-1)?.get('sort')).toBe('email'));
    expect(queries.at(-1)?.get('state')).toBe('Blocked');
    expect(queries.at(-1)?.get('page')).toBe('1');
  });

  it('says "more than 1,000" when a search stops counting, and pages on past it', async () => {
    setToken('tok');
    const pages: string[] = [];
    const users = Array.from({ length: 25 }, (_, i) =>
      userItem({
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        email: `anna${i}@example.com`,
      }),
    );
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse({ permissions: ADMIN })),
      'GET /v1/admin/users': ({ url }) => {
        const page = Number(url.searchParams.get('page'));
        pages.push(String(page));
        // 1,030 match: page 42 is the last, with 5.
        return Response.json({
          ...userList(page === 42 ? users.slice(0, 5) : users, page, 25, 1000),
          totalIsEstimate: true,
          totalIsLowerBound: true,
          nextCursor: page === 42 ? null : `after-${page}`,
        });
      },
    });
    const { router } = renderApp('/users?q=anna&page=40');
    const nav = await screen.findByRole('navigation', { name: 'Users pages' });
    expect(screen.getByText('More than 1,000 users match.')).toBeInTheDocument();
    expect(nav).toHaveTextContent('976–1,000 of more than 1,000');
    await userEvent.click(within(nav).getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(router.state.location.search).toContain('page=41'));
    await waitFor(() => expect(nav).toHaveTextContent('1,001–1,025 of more than 1,000'));
    await userEvent.click(within(nav).getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(nav).toHaveTextContent('1,026–1,030 of more than 1,000'));
    expect(within(nav).getByRole('button', { name: 'Next page' })).toBeDisabled();
    expect(pages).toEqual(expect.arrayContaining(['40', '41', '42']));
  });

  it('shows masked personal data as masked, not as an error', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () =>
        Response.json(meResponse({ roles: ['Staff'], permissions: ['users:read'] })),
      'GET /v1/admin/users': () =>
        Response.json(userList([userItem({ email: 'm***@example.com', name: 'M*** L***' })])),
    });
    renderApp('/users');
    const table = await screen.findByRole('table', { name: 'Users' });
    expect(
      within(table).getByRole('link', { name: /m\*\*\*@example\.com \(masked\)/ }),
    ).toBeInTheDocument();
    expect(within(table).getByText('M*** L***')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    // No bulk actions without the permissions for them.
    await userEvent.click(within(table).getByRole('checkbox', { name: 'Select m***@example.com' }));
    expect(screen.queryByRole('button', { name: 'Block selected' })).not.toBeInTheDocument();
  });

  it('blocks the selected users after step-up, and shows each user’s outcome', async () => {
    setToken('tok');
    let verified = false;
    const { bodies } = fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse({ permissions: ADMIN })),
      'GET /v1/admin/users': () => Response.json(userList([maria, omar])),
      'POST /v1/admin/auth/mfa/verify': () => {
        verified = true;
        return Response.json({ verifiedAt: new Date().toISOString() });
      },
      'POST /v1/admin/users/bulk/block': () =>
        verified
          ? Response.json({
              succeeded: 1,
              failed: 1,
              results: [
                { userId: USER_ID, ok: true, status: 200, changed: true, error: null },
                {
                  userId: OTHER_USER_ID,
                  ok: false,
                  status: 503,
                  changed: null,
                  error: 'The User Service is unavailable.',
                },
              ],
            })
          : problem(403, { requiredAction: 'verify_mfa', detail: 'Confirm it’s you' }),
    });
    renderApp('/users');
    const table = await screen.findByRole('table', { name: 'Users' });
    await userEvent.click(
      within(table).getByRole('checkbox', { name: 'Select maria.lopez@example.com' }),
    );
    await userEvent.click(
      within(table).getByRole('checkbox', { name: 'Select omar.haddad@example.com' }),
    );
    const bar = screen.getByRole('region', { name: 'Bulk actions' });
    expect(bar).toHaveTextContent('2 selected');
    await userEvent.click(within(bar).getByRole('button', { name: 'Block selected' }));

    const dialog = await findDialog('Block 2 users?');
    const confirmButton = within(dialog).getByRole('button', { name: 'Block 2 users' });
    await userEvent.type(within(dialog).getByLabelText(/to confirm/), 'BLOCK');
    expect(confirmButton).toBeDisabled();
    await fill(within(dialog).getByLabelText(/Reason/), 'Fraud ring');
    await userEvent.click(confirmButton);

    const stepUp = await findDialog('Confirm it’s you');
    await fill(within(stepUp).getByLabelText(/Authenticator code/), '123456');
    await userEvent.click(within(stepUp).getByRole('button', { name: 'Verify' }));

    const results = await findDialog('Block: results');
    expect(within(results).getByRole('status')).toHaveTextContent(
      '1 user succeeded, 1 user failed.',
    );
    const rows = within(results).getByRole('table', { name: 'Results per user' });
    expect(within(rows).getByText('maria.lopez@example.com')).toBeInTheDocument();
    expect(within(rows).getByText('Done')).toBeInTheDocument();
    expect(within(rows).getByText(/The User Service is unavailable/)).toBeInTheDocument();
    expect(bodies['POST /v1/admin/users/bulk/block']?.at(-1)).toEqual({
      userIds: [USER_ID, OTHER_USER_ID],
      reason: 'Fraud ring',
    });
    await userEvent.click(within(results).getByRole('button', { name: 'Done' }));
    // The failed user stays selected, to try again.
    expect(screen.getByRole('region', { name: 'Bulk actions' })).toHaveTextContent('1 selected');
  });

  it('exports the users of the filter through the server (streamed and audited there)', async () => {
    setToken('tok');
    const exports: URLSearchParams[] = [];
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse({ permissions: ADMIN })),
      'GET /v1/admin/users': () => Response.json(userList([maria, omar], 1, 25, 2)),
      'GET /v1/admin/users/export': ({ url }) => {
        exports.push(url.searchParams);
        return new Response('id,email\r\n1,maria.lopez@example.com\r\n', {
          headers: {
            'content-type': 'text/csv',
            'content-disposition': 'attachment; filename="users-2026-12-07T10-00-00.csv"',
          },
        });
      },
    });
    const { saved, restore } = captureDownloads();
    try {
      renderApp('/users?state=Blocked');
      await screen.findByRole('table', { name: 'Users' });
      await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
      await waitFor(() => expect(saved[0]?.name).toBe('users-2026-12-07T10-00-00.csv'));
      expect(await saved[0]?.text).toContain('maria.lopez@example.com');
      expect(exports[0]?.get('state')).toBe('Blocked');
      expect(exports[0]?.get('format')).toBe('csv');
      // The server streams the file: the browser no longer pages through the list for it.
      expect(exports).toHaveLength(1);
    } finally {
      restore();
    }
  });
});
