import { DataTable, StatusBadge, type DataTableColumn } from '@backoffice/ui';
import { Typography } from 'antd';
import { useState } from 'react';
import type { RoleHistoryEntry } from '../../api/types.ts';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { formatDateTime } from '../../format.ts';
import { useRoleHistory } from './queries.ts';

const ACTIONS: Record<RoleHistoryEntry['action'], string> = {
  'role.created': 'Created',
  'role.updated': 'Renamed or described',
  'role.deleted': 'Deleted',
  'role.grants_changed': 'Permissions changed',
  'role.assigned': 'Assigned',
  'role.unassigned': 'Unassigned',
};

function grantsOf(value: unknown): string[] | undefined {
  const list = (value as { grants?: unknown } | null)?.grants;
  return Array.isArray(list) ? list.filter((g): g is string => typeof g === 'string') : undefined;
}

/** What changed, in a line: granted and revoked permissions, a new name, who was (un)assigned. */
export function describeChange(entry: RoleHistoryEntry): string {
  const before = grantsOf(entry.before);
  const after = grantsOf(entry.after);
  if (entry.action === 'role.grants_changed' && before !== undefined && after !== undefined) {
    const added = after.filter((g) => !before.includes(g));
    const removed = before.filter((g) => !after.includes(g));
    const parts = [
      ...(added.length > 0 ? [`granted ${added.join(', ')}`] : []),
      ...(removed.length > 0 ? [`revoked ${removed.join(', ')}`] : []),
    ];
    return parts.length > 0 ? parts.join('; ') : 'no change';
  }
  if (entry.action === 'role.assigned' || entry.action === 'role.unassigned') {
    return entry.staff?.email ?? '';
  }
  if (entry.action === 'role.updated') {
    const was = (entry.before as { name?: unknown } | null)?.name;
    const is = (entry.after as { name?: unknown } | null)?.name;
    return typeof was === 'string' && typeof is === 'string' && was !== is
      ? `${was} → ${is}`
      : 'description changed';
  }
  if (entry.action === 'role.created' && after !== undefined) {
    return after.length === 0 ? 'no permissions' : after.join(', ');
  }
  return '';
}

const columns: DataTableColumn<RoleHistoryEntry>[] = [
  { key: 'at', title: 'When', value: (e) => formatDateTime(e.at) },
  {
    key: 'action',
    title: 'Change',
    value: (e) => ACTIONS[e.action],
    render: (e) => (
      <StatusBadge
        status={e.action}
        label={ACTIONS[e.action]}
        tones={{
          'role.deleted': 'error',
          'role.grants_changed': 'warning',
          'role.created': 'success',
        }}
      />
    ),
  },
  {
    key: 'details',
    title: 'Details',
    value: describeChange,
    render: (e) => <Typography.Text>{describeChange(e)}</Typography.Text>,
  },
  { key: 'actor', title: 'By', value: (e) => e.actor.email ?? 'system' },
  { key: 'reason', title: 'Reason', value: (e) => e.reason ?? '' },
];

/** Every change to the role and its assignments, newest first. */
export function RoleHistory({ roleId }: { roleId: string }) {
  const [paging, setPaging] = useState({ page: 1, limit: 25 });
  const history = useRoleHistory(roleId, paging.page, paging.limit);
  if (history.isError)
    return <ErrorView error={history.error} onRetry={() => void history.refetch()} />;
  return (
    <DataTable<RoleHistoryEntry>
      label="Role history"
      columns={columns}
      rowKey={(e) => String(e.id)}
      result={history.data}
      loading={history.isFetching}
      onPageChange={(page, limit) => setPaging({ page, limit })}
    />
  );
}
