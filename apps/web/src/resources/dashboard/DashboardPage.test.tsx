import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client.ts';
import { fakeApi, meResponse } from '../../test/fakeApi.ts';
import { fakeWebSocket, type FakeWebSocket } from '../../test/fakeSocket.ts';
import { healthResponse, metricsResponse } from '../../test/fixtures.ts';
import { renderApp } from '../../test/renderApp.tsx';
import { POLL_MS } from './DashboardPage.tsx';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function dashboardApi(permissions?: string[]) {
  setToken('tok');
  const sockets = fakeWebSocket();
  let tickets = 0;
  const api = fakeApi({
    'GET /v1/admin/auth/me': () =>
      Response.json(meResponse(permissions === undefined ? {} : { permissions })),
    'GET /v1/admin/dashboard/metrics': () => Response.json(metricsResponse()),
    'GET /v1/admin/dashboard/health': () => Response.json(healthResponse()),
    'POST /v1/admin/realtime/ticket': () =>
      Response.json({ ticket: `t${++tickets}`, expiresAt: new Date().toISOString() }),
  });
  return { ...api, sockets };
}

async function socketNumber(sockets: typeof FakeWebSocket, n: number): Promise<FakeWebSocket> {
  await waitFor(() => expect(sockets.instances.length).toBeGreaterThanOrEqual(n));
  return sockets.instances[n - 1]!;
}

const stat = (label: string) => screen.getByRole('region', { name: label });

describe('the dashboard', () => {
  it('shows the statistics and health, then keeps them live over the WebSocket', async () => {
    const { sockets } = dashboardApi();
    renderApp('/dashboard');
    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument();
    await waitFor(() => expect(stat('Total users')).toHaveTextContent('1,234'));
    expect(stat('Transactions today')).toHaveTextContent('57');
    expect(stat('Blocked users')).toHaveTextContent('7');
    expect(screen.getByRole('table', { name: 'Platform services' })).toHaveTextContent(
      'connect ECONNREFUSED',
    );
    expect(screen.getByRole('table', { name: 'Event sources' })).toHaveTextContent('kafka');

    const socket = await socketNumber(sockets, 1);
    expect(socket.url).toBe('ws://localhost:3000/v1/admin/ws?ticket=t1');
    socket.open();
    expect(socket.sent).toEqual([
      {
        type: 'subscribe',
        channels: ['dashboard.metrics', 'system.health', 'users.activity'],
      },
    ]);
    expect(await screen.findByRole('status', { name: 'Connection: Live' })).toBeInTheDocument();

    socket.serverSends({
      type: 'update',
      channel: 'dashboard.metrics',
      data: metricsResponse({ total: 1_300, todayCount: 61 }),
    });
    await waitFor(() => expect(stat('Total users')).toHaveTextContent('1,300'));
    expect(stat('Transactions today')).toHaveTextContent('61');

    socket.serverSends({
      type: 'event',
      channel: 'users.activity',
      data: [
        {
          kind: 'user.created',
          at: new Date().toISOString(),
          userId: '00000000-0000-4000-8000-0000000000b1',
          email: 'new.person@example.com',
        },
      ],
    });
    const feed = await screen.findByRole('list', { name: 'Recent activity' });
    expect(within(feed).getByText('Signed up')).toBeInTheDocument();
    expect(within(feed).getByRole('link', { name: 'new.person@example.com' })).toHaveAttribute(
      'href',
      '/users/00000000-0000-4000-8000-0000000000b1',
    );
  });

  it('says it is catching up while the read model is behind, and stops saying so when caught up', async () => {
    const { sockets } = dashboardApi();
    renderApp('/dashboard');
    const socket = await socketNumber(sockets, 1);
    socket.open();
    const since = new Date(Date.now() - 40_000).toISOString();
    socket.serverSends({
      type: 'snapshot',
      channel: 'dashboard.metrics',
      data: metricsResponse({ total: 1_030, catchingUp: { behind: 120_500, since } }),
    });
    expect(
      await screen.findByText('Catching up: 120,500 events behind — figures are incomplete'),
    ).toBeInTheDocument();

    socket.serverSends({
      type: 'update',
      channel: 'dashboard.metrics',
      data: metricsResponse({ total: 1_500, catchingUp: { behind: 4_000, since } }),
    });
    expect(
      await screen.findByText('Catching up: 4,000 events behind — figures are incomplete'),
    ).toBeInTheDocument();

    socket.serverSends({
      type: 'update',
      channel: 'dashboard.metrics',
      data: metricsResponse({ total: 2_003, catchingUp: null }),
    });
    await waitFor(() => expect(stat('Total users')).toHaveTextContent('2,003'));
    expect(screen.queryByText(/Catching up/)).not.toBeInTheDocument();
  });

  it('reconnects with a new ticket and polls the API while the connection is down', async () => {
    const { sockets, calls } = dashboardApi();
    renderApp('/dashboard');
    const first = await socketNumber(sockets, 1);
    first.open();
    expect(await screen.findByRole('status', { name: 'Connection: Live' })).toBeInTheDocument();

    vi.useFakeTimers({ shouldAdvanceTime: true });
    const metricsCalls = () => calls.filter((c) => c === 'GET /v1/admin/dashboard/metrics').length;
    const before = metricsCalls();
    first.serverCloses(1006);
    expect(
      await screen.findByRole('status', { name: /Connection: Reconnecting… · polling every 10 s/ }),
    ).toBeInTheDocument();
    await vi.advanceTimersByTimeAsync(POLL_MS + 100);
    await waitFor(() => expect(metricsCalls()).toBeGreaterThan(before));

    const second = await socketNumber(sockets, 2);
    expect(second.url).toContain('ticket=t2');
    second.open();
    expect(second.sent).toHaveLength(1);
    second.serverSends({
      type: 'snapshot',
      channel: 'dashboard.metrics',
      data: metricsResponse({ total: 2_000 }),
    });
    await waitFor(() => expect(stat('Total users')).toHaveTextContent('2,000'));
    expect(await screen.findByRole('status', { name: 'Connection: Live' })).toBeInTheDocument();
  });

  it('ends the session when the server closes the socket with 4401', async () => {
    const { sockets } = dashboardApi();
    const { router } = renderApp('/dashboard');
    const socket = await socketNumber(sockets, 1);
    socket.open();
    socket.serverCloses(4401);
    expect(
      await screen.findByText('Your session has ended. Sign in again to continue.'),
    ).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
  });

  it('subscribes only to the channels the permissions allow, and shows no activity without them', async () => {
    const { sockets } = dashboardApi(['dashboard:read']);
    renderApp('/dashboard');
    const socket = await socketNumber(sockets, 1);
    socket.open();
    expect(socket.sent).toEqual([
      { type: 'subscribe', channels: ['dashboard.metrics', 'system.health'] },
    ]);
    await waitFor(() => expect(stat('Total users')).toHaveTextContent('1,234'));
    expect(screen.queryByText('Recent activity')).not.toBeInTheDocument();
  });

  it('shows the figures of the domain packs that run, after its own', async () => {
    setToken('tok');
    fakeWebSocket();
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse()),
      'GET /v1/admin/dashboard/metrics': () =>
        Response.json(
          metricsResponse({
            tiles: [
              { key: 'pets.total', label: 'Pets', value: 4_321 },
              { key: 'payments.failed', label: 'Failed payments', value: 12 },
            ],
          }),
        ),
      'GET /v1/admin/dashboard/health': () => Response.json(healthResponse()),
    });
    renderApp('/dashboard');
    await waitFor(() => expect(stat('Pets')).toHaveTextContent('4,321'));
    expect(stat('Failed payments')).toHaveTextContent('12');
  });
});
