import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client.ts';
import { captureDownloads } from '../../test/blob.ts';
import { findDialog } from '../../test/dialogs.ts';
import { fakeApi, meResponse } from '../../test/fakeApi.ts';
import { AUDIT_ID, USER_ID, auditDetail, auditEntry } from '../../test/fixtures.ts';
import { renderApp } from '../../test/renderApp.tsx';
import { formatDateTime } from '../../format.ts';
import { apiFilter } from './AuditList.tsx';

afterEach(() => vi.unstubAllGlobals());

const AUDITOR = ['audit:read', 'audit:export', 'audit:verify', 'users:read_pii'];
const OLDER_ID = '00000000-0000-4000-8000-0000000000a2';
const JOB_ID = '00000000-0000-4000-8000-0000000000c1';

const older = auditEntry({
  id: OLDER_ID,
  seq: 12,
  at: '2026-11-19T09:00:00.000Z',
  action: 'staff.create',
  resource: { type: 'staff', id: '00000000-0000-4000-8000-0000000000e1', label: null, email: null },
  reason: null,
});

function job(status: 'queued' | 'running' | 'succeeded', extra: Record<string, unknown> = {}) {
  return {
    id: JOB_ID,
    type: 'audit.verify',
    status,
    progress: null,
    result: null,
    error: null,
    createdBy: 'ann@example.com',
    createdAt: '2026-11-20T10:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    ...extra,
  };
}

describe('apiFilter', () => {
  it('turns the URL’s filter into the API’s, leaving out what makes no sense', () => {
    const filter = apiFilter({
      q: ' x ',
      actor: ' ann@example.com ',
      action: 'users.*',
      outcome: 'maybe',
      from: '2026-11-01',
      to: 'tomorrow',
      entry: AUDIT_ID,
    });
    expect(filter).toMatchObject({ actor: 'ann@example.com', action: 'users.*' });
    expect(filter.q).toBeUndefined();
    expect(filter.outcome).toBeUndefined();
    expect(filter.to).toBeUndefined();
    expect(new Date(filter.from ?? '').getDate()).toBe(1);
    expect(filter).not.toHaveProperty('entry');
    expect(apiFilter({ outcome: 'denied', q: 'fraud' })).toEqual({
      outcome: 'denied',
      q: 'fraud',
    });
  });
});

describe('the audit log', () => {
  it('filters on the server, keeps the filters in the URL, and pages back by cursor', async () => {
    setToken('tok');
    const queries: URLSearchParams[] = [];
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse({ permissions: AUDITOR })),
      'GET /v1/admin/system/audit-logs': ({ url }) => {
        queries.push(url.searchParams);
        return Response.json(
          url.searchParams.get('cursor') === null
            ? { data: [auditEntry()], limit: 50, nextCursor: '1795000000000.41' }
            : { data: [older], limit: 50, nextCursor: null },
        );
      },
    });
    const { router } = renderApp('/audit');
    // The table keeps its shape while the first page loads.
    expect(
      await screen.findByRole('group', { name: 'Audit entries (loading)' }),
    ).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Audit entries' });
    expect(within(table).getByText('users.block')).toBeInTheDocument();
    expect(within(table).getByText('Chargeback fraud')).toBeInTheDocument();
    expect(queries.at(-1)?.get('limit')).toBe('50');

    await userEvent.click(screen.getByRole('button', { name: 'Load older entries' }));
    expect(await within(table).findByText('staff.create')).toBeInTheDocument();
    expect(queries.at(-1)?.get('cursor')).toBe('1795000000000.41');
    expect(screen.getByText('2 entries: the whole trail for this filter.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Load older entries' })).not.toBeInTheDocument();

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search the audit log' }), {
      target: { value: 'fraud' },
    });
    await waitFor(() => expect(router.state.location.search).toBe('?q=fraud'));
    await waitFor(() => expect(queries.at(-1)?.get('q')).toBe('fraud'));
    expect(queries.at(-1)?.get('cursor')).toBeNull();

    fireEvent.change(screen.getByRole('searchbox', { name: 'Action' }), {
      target: { value: 'users.*' },
    });
    await waitFor(() => expect(queries.at(-1)?.get('action')).toBe('users.*'));

    await userEvent.click(screen.getByRole('combobox', { name: 'Outcome' }));
    await userEvent.click(await screen.findByTitle('Denied'));
    await waitFor(() =>
      expect(router.state.location.search).toBe('?q=fraud&action=users.*&outcome=denied'),
    );
    await waitFor(() => expect(queries.at(-1)?.get('outcome')).toBe('denied'));

    fireEvent.change(screen.getByLabelText('Happened from'), { target: { value: '2026-11-01' } });
    await waitFor(() => expect(queries.at(-1)?.get('from')).toMatch(/^2026-1[01]-/));
    expect(router.state.location.search).toContain('from=2026-11-01');
  });

  it('tells platform actions from backoffice ones, with when each happened and was recorded, by name and with links', async () => {
    setToken('tok');
    const longReason =
      'Repeated chargebacks on three cards within a week, reported by the payments team after review';
    const platform = auditEntry({
      id: OLDER_ID,
      seq: 57,
      at: '2026-11-20T10:05:00.000Z',
      occurredAt: '2026-07-14T09:30:00.000Z',
      source: 'platform',
      sourceService: 'user-service',
      action: 'user.blocked',
      actor: {
        type: 'upstream',
        id: '5a4db0c0-0000-4000-8000-000000000001',
        email: null,
        label: 'User Service (platform)',
        person: 'a***@sandbox.example',
      },
      resource: { type: 'user', id: USER_ID, label: null, email: 'j***@example.com' },
      reason: longReason,
    });
    const queries: URLSearchParams[] = [];
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse({ permissions: ['audit:read'] })),
      'GET /v1/admin/system/audit-logs': ({ url }) => {
        queries.push(url.searchParams);
        return Response.json({ data: [auditEntry(), platform], limit: 50, nextCursor: null });
      },
    });
    const { router } = renderApp('/audit');
    const table = await screen.findByRole('table', { name: 'Audit entries' });
    expect(screen.queryByText(/Every action taken through the backoffice/)).not.toBeInTheDocument();
    expect(screen.getByText(/actions the platform's services reported/)).toBeInTheDocument();
    expect(within(table).getByRole('columnheader', { name: 'Happened' })).toBeInTheDocument();
    expect(within(table).getByRole('columnheader', { name: 'Recorded' })).toBeInTheDocument();

    const row = within(table).getByText('user.blocked').closest('tr') as HTMLElement;
    expect(within(row).getByText(formatDateTime('2026-07-14T09:30:00.000Z'))).toBeInTheDocument();
    expect(within(row).getByText(formatDateTime('2026-11-20T10:05:00.000Z'))).toBeInTheDocument();
    expect(within(row).getByText('Platform')).toBeInTheDocument();
    expect(within(row).getByText('User Service (platform)')).toBeInTheDocument();
    expect(within(row).getByText(/a\*\*\*@sandbox\.example/)).toBeInTheDocument();
    expect(within(row).getByRole('link', { name: /Open user/ })).toHaveAttribute(
      'href',
      `/users/${USER_ID}`,
    );
    // The whole reason, wrapped in its column rather than cut off.
    expect(within(row).getByText(longReason)).toHaveStyle({ whiteSpace: 'normal' });

    const ours = within(table).getByText('users.block').closest('tr') as HTMLElement;
    expect(within(ours).getByText('Backoffice')).toBeInTheDocument();
    expect(within(ours).getByText('Ann Admin')).toBeInTheDocument();

    // Labelled date filters, on when it happened; a source filter.
    expect(screen.getByText('Happened from')).toBeVisible();
    expect(screen.getByText('Happened until')).toBeVisible();
    await userEvent.click(screen.getByRole('combobox', { name: 'Source' }));
    await userEvent.click(await screen.findByTitle('Platform'));
    await waitFor(() => expect(router.state.location.search).toBe('?source=platform'));
    await waitFor(() => expect(queries.at(-1)?.get('source')).toBe('platform'));
  });

  it('opens an entry linked from elsewhere, with what changed between before and after', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse({ permissions: ['audit:read'] })),
      'GET /v1/admin/system/audit-logs': () =>
        Response.json({ data: [auditEntry()], limit: 50, nextCursor: null }),
      [`GET /v1/admin/system/audit-logs/${AUDIT_ID}`]: () =>
        Response.json(
          auditDetail({
            before: { state: 'Active', email: 'maria.lopez@example.com' },
            after: { state: 'Blocked', email: 'm***@example.com', blockReason: 'Chargeback fraud' },
            changes: [
              { path: '/blockReason', before: null, after: 'Chargeback fraud' },
              { path: '/email', before: 'maria.lopez@example.com', after: 'm***@example.com' },
              { path: '/state', before: 'Active', after: 'Blocked' },
            ],
          }),
        ),
    });
    const { router } = renderApp(
      `/audit?resourceType=user&resourceId=${USER_ID}&entry=${AUDIT_ID}`,
    );
    const drawer = await findDialog('Audit entry #41');
    const changes = await within(drawer).findByRole('table', { name: 'Changes' });
    const state = within(changes).getByText('/state').closest('tr');
    expect(state).not.toBeNull();
    expect(within(state as HTMLElement).getByRole('deletion')).toHaveTextContent('Active');
    expect(within(state as HTMLElement).getByRole('insertion')).toHaveTextContent('Blocked');
    expect(within(changes).getByText(/m\*\*\*@example\.com/)).toHaveTextContent('(masked)');
    expect(within(drawer).getByLabelText('Before')).toHaveTextContent('"state": "Active"');
    expect(within(drawer).getByLabelText('After')).toHaveTextContent('"state": "Blocked"');
    expect(within(drawer).getByText('Ann Admin')).toBeInTheDocument();
    expect(within(drawer).getByText('Happened')).toBeInTheDocument();
    expect(within(drawer).getByText('Recorded')).toBeInTheDocument();
    // Without the permissions for them, no verification and no export.
    expect(screen.queryByRole('button', { name: 'Verify chain' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Export CSV' })).not.toBeInTheDocument();

    await userEvent.click(within(drawer).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(router.state.location.search).not.toContain('entry='));
    expect(router.state.location.search).toContain('resourceType=user');

    // Opening an entry from the list puts it in the URL.
    // While a page loads the table is covered (pointer-events: none): retry the click.
    await waitFor(() =>
      userEvent.click(screen.getByRole('button', { name: /Open audit entry 41: users\.block/ })),
    );
    await waitFor(() => expect(router.state.location.search).toContain(`entry=${AUDIT_ID}`));
  });

  it('verifies the chain as a job, showing its progress and then the result', async () => {
    setToken('tok');
    const answers = [
      job('running', { progress: { done: 250, total: 1000 } }),
      job('running', { progress: { done: 750, total: 1000 } }),
      job('succeeded', {
        progress: { done: 1000, total: 1000 },
        result: {
          ok: true,
          checked: 1000,
          firstBrokenSeq: null,
          reason: null,
          checkpointsVerified: 1,
        },
      }),
    ];
    let polls = 0;
    const { calls } = fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse({ permissions: AUDITOR })),
      'GET /v1/admin/system/audit-logs': () =>
        Response.json({ data: [auditEntry()], limit: 50, nextCursor: null }),
      'POST /v1/admin/system/audit-logs/verify': () =>
        Response.json(job('queued'), { status: 202 }),
      [`GET /v1/admin/system/jobs/${JOB_ID}`]: () => {
        polls += 1;
        return Response.json(answers[Math.min(polls, answers.length) - 1]);
      },
    });
    renderApp('/audit');
    await screen.findByRole('table', { name: 'Audit entries' });
    await userEvent.click(screen.getByRole('button', { name: 'Verify chain' }));
    const dialog = await findDialog('Chain verification');
    const status = within(dialog).getByRole('status');
    await waitFor(() => expect(status).toHaveTextContent(/Checked (250|750) of 1,000 entries/));
    expect(
      within(dialog).getByRole('progressbar', { name: 'Verification progress' }),
    ).toBeInTheDocument();
    await waitFor(() => expect(status).toHaveTextContent('The chain is intact'));
    expect(status).toHaveTextContent('1,000 entries checked, 1 signed checkpoint verified.');
    expect(calls.filter((c) => c === 'POST /v1/admin/system/audit-logs/verify')).toHaveLength(1);
    const pollsWhenDone = polls;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    // Finished: no more polling.
    expect(polls).toBe(pollsWhenDone);
  });

  it('shows where a broken chain breaks', async () => {
    setToken('tok');
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse({ permissions: AUDITOR })),
      'GET /v1/admin/system/audit-logs': () =>
        Response.json({ data: [auditEntry()], limit: 50, nextCursor: null }),
      'POST /v1/admin/system/audit-logs/verify': () =>
        Response.json(
          job('succeeded', {
            result: {
              ok: false,
              checked: 40,
              firstBrokenSeq: 41,
              reason: 'hash mismatch',
              checkpointsVerified: 0,
            },
          }),
          { status: 202 },
        ),
    });
    renderApp('/audit');
    await screen.findByRole('table', { name: 'Audit entries' });
    await userEvent.click(screen.getByRole('button', { name: 'Verify chain' }));
    const dialog = await findDialog('Chain verification');
    await waitFor(() =>
      expect(within(dialog).getByRole('status')).toHaveTextContent('The chain is broken'),
    );
    expect(within(dialog).getByRole('status')).toHaveTextContent(/From entry #41.*hash mismatch/);
  });

  it('exports the current filter in the format chosen, as the server writes it', async () => {
    setToken('tok');
    const exports: URLSearchParams[] = [];
    fakeApi({
      'GET /v1/admin/auth/me': () => Response.json(meResponse({ permissions: AUDITOR })),
      'GET /v1/admin/system/audit-logs': () =>
        Response.json({ data: [auditEntry()], limit: 50, nextCursor: null }),
      'GET /v1/admin/system/audit-logs/export': ({ url }) => {
        exports.push(url.searchParams);
        const format = url.searchParams.get('format') ?? 'ndjson';
        return new Response(format === 'csv' ? 'seq,at\r\n41,2026\r\n' : '{"seq":41}\n', {
          headers: {
            'content-type': format === 'csv' ? 'text/csv' : 'application/x-ndjson',
            'content-disposition': `attachment; filename="audit-2026-11-20T10-00-00.${format}"`,
          },
        });
      },
    });
    const { saved, restore } = captureDownloads();
    try {
      renderApp('/audit?outcome=denied&actor=ann%40example.com');
      await screen.findByRole('table', { name: 'Audit entries' });
      await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
      await waitFor(() => expect(saved).toHaveLength(1));
      expect(exports.at(-1)?.get('format')).toBe('csv');
      expect(exports.at(-1)?.get('outcome')).toBe('denied');
      expect(exports.at(-1)?.get('actor')).toBe('ann@example.com');
      await waitFor(() => expect(saved[0]?.name).toBe('audit-2026-11-20T10-00-00.csv'));
      expect(await saved[0]?.text).toContain('41,2026');

      await userEvent.click(screen.getByRole('button', { name: 'Export NDJSON' }));
      await waitFor(() => expect(saved).toHaveLength(2));
      expect(exports.at(-1)?.get('format')).toBe('ndjson');
      expect(await saved[1]?.text).toBe('{"seq":41}\n');
      expect(await screen.findByText('Audit log exported')).toBeInTheDocument();
    } finally {
      restore();
    }
  });
});
