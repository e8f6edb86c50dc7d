import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken } from './api/client.ts';
import { fakeApi, loginResponse, meResponse, problem } from './test/fakeApi.ts';
import { renderApp } from './test/renderApp.tsx';
import { fill } from './test/typing.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

const roleList = { data: [] };

describe('signing in', () => {
  it('says so when the password is wrong', async () => {
    fakeApi({
      'POST /v1/admin/auth/login': () => problem(401, { detail: 'Invalid email or password.' }),
    });
    renderApp('/login');
    await fill(await screen.findByLabelText('Email'), 'ann@example.com');
    await fill(screen.getByLabelText('Password'), 'wrong');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Invalid email or password.');
  });

  it('asks for the authenticator code when the server requires it, then signs in', async () => {
    const { bodies } = fakeApi({
      'POST /v1/admin/auth/login': ({ body }) =>
        (body as { totp?: string }).totp === undefined
          ? problem(401, { detail: 'Enter the code', mfaRequired: true })
          : Response.json(loginResponse()),
      'GET /v1/admin/auth/me': () => Response.json(meResponse()),
    });
    renderApp('/login?returnTo=%2Faccess%2Froles');
    await fill(await screen.findByLabelText('Email'), 'ann@example.com');
    await fill(screen.getByLabelText('Password'), 'secret password');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await fill(await screen.findByLabelText('Authenticator code'), '123456');
    await userEvent.click(screen.getByRole('button', { name: 'Verify' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Roles' })).toBeInTheDocument();
    expect(bodies['POST /v1/admin/auth/login']?.at(-1)).toEqual({
      email: 'ann@example.com',
      password: 'secret password',
      totp: '123456',
    });
  });

  it('shows the lockout with the time to wait', async () => {
    fakeApi({
      'POST /v1/admin/auth/login': () =>
        problem(429, { detail: 'Too many failed sign-in attempts.' }, { 'retry-after': '90' }),
    });
    renderApp('/login');
    await fill(await screen.findByLabelText('Email'), 'ann@example.com');
    await fill(screen.getByLabelText('Password'), 'x');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Too many failed sign-in attempts');
    // The countdown runs while a busy machine renders: any second of the 90 is right.
    const seconds = Number(/Try again in (\d+) s/.exec(alert.textContent ?? '')?.[1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(90);
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeDisabled();
  });
});

describe('the signed-in application', () => {
  it('sends a person without a session to sign in, remembering where they were going', async () => {
    fakeApi({});
    const { router } = renderApp('/access/staff?status=active');
    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(router.state.location.search).toBe(
      `?returnTo=${encodeURIComponent('/access/staff?status=active')}`,
    );
  });

  it('shows in the navigation only what the permissions allow', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () =>
        Response.json(
          meResponse({
            roles: ['Staff'],
            permissions: ['users:read', 'dashboard:read', 'audit:read'],
          }),
        ),
    });
    renderApp('/');
    const nav = await screen.findByRole('navigation', { name: 'Main' });
    expect(await within(nav).findByRole('menuitem', { name: 'Dashboard' })).toBeInTheDocument();
    expect(within(nav).getByRole('menuitem', { name: 'Users' })).toBeInTheDocument();
    expect(within(nav).queryByRole('menuitem', { name: 'Roles' })).not.toBeInTheDocument();
    expect(within(nav).queryByText('Access')).not.toBeInTheDocument();
    expect(within(nav).queryByText('System')).not.toBeInTheDocument();
  });

  it('notifies nobody of a load that fails after the application has gone', async () => {
    setToken('tok');
    let fail!: () => void;
    const gate = new Promise<void>((resolve) => {
      fail = resolve;
    });
    const { calls } = fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse()),
      // The network fails (no retry for that) once the test says so.
      'GET /v1/admin/roles': async () => {
        await gate;
        throw new TypeError('Failed to fetch');
      },
    });
    const view = renderApp('/access/roles');
    await waitFor(() => expect(calls).toContain('GET /v1/admin/roles'));
    view.unmount();
    const consoleError = vi.spyOn(console, 'error');
    fail();
    // The failure travels through promises only: two turns of the event loop see it handled.
    for (let turn = 0; turn < 2; turn += 1) await new Promise((resolve) => setTimeout(resolve, 0));
    const antdWarnings = consoleError.mock.calls
      .map(String)
      .filter((line) => line.includes('[antd:'));
    expect(antdWarnings).toEqual([]);
  });

  it('says "access denied" for a screen the permissions do not open', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse({ permissions: ['users:read'] })),
    });
    renderApp('/access/roles');
    expect(await screen.findByText('Access denied')).toBeInTheDocument();
  });

  it('says "access denied" when the server refuses a load (403)', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse()),
      'GET /v1/admin/roles': () =>
        problem(403, { detail: 'This needs the permission roles:manage.' }),
    });
    renderApp('/access/roles');
    expect(await screen.findByText('Access denied')).toBeInTheDocument();
    expect(screen.getByText('This needs the permission roles:manage.')).toBeInTheDocument();
  });

  it('says "not found" for an unknown role and an unknown page', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse()),
    });
    const { router } = renderApp('/access/roles/00000000-0000-4000-8000-00000000000f');
    expect(
      await screen.findByText('This role does not exist, or no longer does.'),
    ).toBeInTheDocument();
    await router.navigate('/no/such/page');
    expect(
      await screen.findByText('This page does not exist, or no longer does.'),
    ).toBeInTheDocument();
  });

  it('notifies a server failure with its correlation id', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse()),
      'GET /v1/admin/roles': () =>
        problem(500, { title: 'Internal server error', correlationId: 'corr-boom' }),
    });
    renderApp('/access/roles');
    // The page's own error can show the id first; the notification comes in a later render.
    await waitFor(() =>
      expect(document.querySelector('.ant-notification')).toHaveTextContent(
        'Internal server error',
      ),
    );
    expect(document.querySelector('.ant-notification')).toHaveTextContent('corr-boom');
  });

  it('goes back to sign-in, saying why, when the session ends (401)', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse()),
      'GET /v1/admin/roles': () => problem(401),
    });
    const { router } = renderApp('/access/roles');
    expect(
      await screen.findByText('Your session has ended. Sign in again to continue.'),
    ).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(window.localStorage.getItem('access_token')).toBeNull();
  });

  it('opens the password change when the server requires it (403 change_password)', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse({ passwordChangeRequired: true })),
      'GET /v1/admin/roles': () => Response.json(roleList),
    });
    const { router } = renderApp('/access/roles');
    expect(
      await screen.findByRole('heading', { level: 1, name: 'Change your password' }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Temporary password')).toBeInTheDocument();
    expect(router.state.location.search).toContain('returnTo');
  });

  it('opens the enrolment when the role requires a second factor', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () =>
        Response.json(meResponse({ mfa: { enrolled: false, required: true } })),
    });
    renderApp('/');
    expect(
      await screen.findByText('Your role requires two-factor authentication'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Set up an authenticator app' })).toBeInTheDocument();
  });

  it('switches to dark mode and remembers it', async () => {
    setToken('tok');
    fakeApi({ 'GET /v1/admin/auth/me': () => Response.json(meResponse()) });
    renderApp('/account');
    await userEvent.click(await screen.findByRole('switch', { name: 'Dark mode' }));
    expect(window.localStorage.getItem('backoffice.theme')).toBe('dark');
    expect(document.documentElement.dataset.theme).toBe('dark');
  });
});
