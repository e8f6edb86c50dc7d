import { Badge, DataTable, EmptyState, type DataTableColumn } from '@backoffice/ui';
import { Button, Tooltip } from 'antd';
import type { StaffSession } from '../api/types.ts';
import { formatAgo, formatDateTime } from '../format.ts';

/** Browser and system, shortened from the user agent. */
export function describeAgent(userAgent: string | null): string {
  if (userAgent === null || userAgent === '') return 'Unknown device';
  const browser = /(Edg|Firefox|Chrome|Chromium|Safari)\/[\d.]+/.exec(userAgent)?.[1];
  const system = /(Windows|Mac OS X|Linux|Android|iPhone|iPad)/.exec(userAgent)?.[1];
  const name = browser === 'Edg' ? 'Edge' : browser;
  return [name, system].filter(Boolean).join(' on ') || userAgent.slice(0, 60);
}

/** Live sessions with a revoke action per row. */
export function SessionsTable({
  label,
  sessions,
  loading,
  showOwner = false,
  onRevoke,
}: {
  label: string;
  sessions: StaffSession[] | undefined;
  loading: boolean;
  showOwner?: boolean;
  onRevoke: (session: StaffSession) => void;
}) {
  const columns: DataTableColumn<StaffSession>[] = [
    ...(showOwner
      ? [{ key: 'staffEmail', title: 'Staff' } satisfies DataTableColumn<StaffSession>]
      : []),
    {
      key: 'userAgent',
      title: 'Device',
      value: (s) => describeAgent(s.userAgent),
      render: (s) => (
        <>
          {describeAgent(s.userAgent)}{' '}
          {s.current ? <Badge tone="success">This session</Badge> : null}
        </>
      ),
    },
    { key: 'ip', title: 'IP address', value: (s) => s.ip ?? '—' },
    { key: 'createdAt', title: 'Signed in', value: (s) => formatDateTime(s.createdAt) },
    {
      key: 'lastSeenAt',
      title: 'Last active',
      value: (s) => formatAgo(s.lastSeenAt),
      render: (s) => <span title={formatDateTime(s.lastSeenAt)}>{formatAgo(s.lastSeenAt)}</span>,
    },
    {
      key: 'expiresAt',
      title: 'Expires',
      value: (s) => formatDateTime(s.expiresAt),
      hiddenByDefault: true,
    },
    { key: 'provider', title: 'Provider', hiddenByDefault: true },
    {
      key: 'actions',
      title: 'Actions',
      exportable: false,
      render: (s) =>
        s.current ? (
          <Tooltip title="Use Sign out to end this session">
            <Button size="small" disabled>
              Revoke
            </Button>
          </Tooltip>
        ) : (
          <Button
            size="small"
            danger
            aria-label={`Revoke session of ${s.staffEmail} on ${describeAgent(s.userAgent)}, signed in ${formatDateTime(s.createdAt)}`}
            onClick={() => onRevoke(s)}
          >
            Revoke
          </Button>
        ),
    },
  ];
  return (
    <DataTable<StaffSession>
      label={label}
      columns={columns}
      rowKey={(s) => s.id}
      result={
        sessions === undefined
          ? undefined
          : { data: sessions, page: 1, limit: sessions.length, total: sessions.length }
      }
      loading={loading}
      empty={<EmptyState compact title="No live sessions" />}
      skeletonRows={2}
    />
  );
}
