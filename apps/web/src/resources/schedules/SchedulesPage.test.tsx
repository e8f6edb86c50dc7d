import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client.ts';
import { fakeApi, meResponse } from '../../test/fakeApi.ts';
import { renderApp } from '../../test/renderApp.tsx';
import { formatPeriod } from './SchedulesPage.tsx';

afterEach(() => {
  vi.unstubAllGlobals();
});

const task = (over: Record<string, unknown>) => ({
  description: 'Does something',
  scope: 'cluster',
  everyMs: 60_000,
  running: false,
  nextRunAt: new Date(Date.now() + 30_000).toISOString(),
  lastStartedAt: new Date(Date.now() - 30_000).toISOString(),
  lastFinishedAt: new Date(Date.now() - 29_000).toISOString(),
  lastOutcome: 'succeeded',
  lastError: null,
  lastDurationMs: 12,
  lastInstance: '1234-abcd',
  runs: 3,
  failures: 0,
  ...over,
});

describe('schedules', () => {
  it('lists each periodic task with how often and where it runs, and its last failure', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse()),
      'GET /v1/admin/system/schedules': () =>
        Response.json({
          instance: '1234-abcd',
          data: [
            task({ name: 'audit.checkpoint' }),
            task({
              name: 'upstream.health',
              scope: 'instance',
              everyMs: 15_000,
              lastOutcome: 'failed',
              lastError: 'connect ECONNREFUSED',
              failures: 2,
            }),
          ],
        }),
    });
    renderApp('/system/schedules');
    const table = await screen.findByRole('table', { name: 'Scheduled tasks' });
    const checkpoint = (await within(table).findByText('audit.checkpoint')).closest('tr')!;
    expect(checkpoint).toHaveTextContent('every 1 min');
    expect(checkpoint).toHaveTextContent('once across instances');
    expect(checkpoint).toHaveTextContent('succeeded in 12 ms');
    const health = within(table).getByText('upstream.health').closest('tr')!;
    expect(health).toHaveTextContent('on each instance');
    expect(health).toHaveTextContent('connect ECONNREFUSED');
    expect(health).toHaveTextContent('failed');
    expect(health).toHaveTextContent('3 (2)');
    expect(screen.getByText(/as instance 1234-abcd sees them/)).toBeInTheDocument();
  });

  it('says how often in words', () => {
    expect(formatPeriod(5_000)).toBe('every 5 s');
    expect(formatPeriod(300_000)).toBe('every 5 min');
    expect(formatPeriod(43_200_000)).toBe('every 12 h');
    expect(formatPeriod(250)).toBe('every 250 ms');
  });
});
