import { StatusBadge, type DataTableColumn } from '@backoffice/ui';
import { Button, Typography } from 'antd';
import type { AuditEntry } from '../../api/types.ts';
import { formatDateTime } from '../../format.ts';

export const OUTCOME_TONES = { success: 'success', denied: 'warning', failed: 'error' } as const;

/** Who acted: the staff member's email, or the id or kind of the actor. */
export function actorOf(entry: AuditEntry): string {
  return entry.actor.email ?? entry.actor.id ?? entry.actor.type;
}

/** `user 6f1c…` : the kind of resource and its id. */
export function resourceOf(entry: AuditEntry): string {
  return entry.resource.id === null
    ? entry.resource.type
    : `${entry.resource.type} ${entry.resource.id}`;
}

export function auditListColumns(open: (id: string) => void): DataTableColumn<AuditEntry>[] {
  return [
    { key: 'seq', title: '#', align: 'right', width: 72 },
    {
      key: 'at',
      title: 'When',
      value: (e) => formatDateTime(e.at),
      render: (e) => (
        <Button
          type="link"
          size="small"
          style={{ padding: 0 }}
          onClick={() => open(e.id)}
          aria-label={`Open audit entry ${e.seq}: ${e.action} at ${formatDateTime(e.at)}`}
        >
          {formatDateTime(e.at)}
        </Button>
      ),
    },
    { key: 'actor', title: 'Actor', value: actorOf },
    {
      key: 'action',
      title: 'Action',
      value: (e) => e.action,
      render: (e) => <Typography.Text code>{e.action}</Typography.Text>,
    },
    {
      key: 'resource',
      title: 'Resource',
      value: resourceOf,
      render: (e) => (
        <Typography.Text ellipsis={{ tooltip: resourceOf(e) }} style={{ maxWidth: 260 }}>
          {resourceOf(e)}
        </Typography.Text>
      ),
    },
    {
      key: 'outcome',
      title: 'Outcome',
      value: (e) => e.outcome,
      render: (e) => <StatusBadge status={e.outcome} tones={OUTCOME_TONES} />,
    },
    {
      key: 'reason',
      title: 'Reason',
      value: (e) => e.reason ?? '',
      render: (e) =>
        e.reason === null ? (
          '—'
        ) : (
          <Typography.Text ellipsis={{ tooltip: e.reason }} style={{ maxWidth: 280 }}>
            {e.reason}
          </Typography.Text>
        ),
    },
    { key: 'actorType', title: 'Actor type', hiddenByDefault: true, value: (e) => e.actor.type },
    { key: 'correlationId', title: 'Correlation id', hiddenByDefault: true },
    { key: 'hash', title: 'Hash', hiddenByDefault: true },
  ];
}
