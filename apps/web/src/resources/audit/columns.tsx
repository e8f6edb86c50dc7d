import { Badge, StatusBadge, type DataTableColumn } from '@backoffice/ui';
import { Button, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { AuditEntry } from '../../api/types.ts';
import { MaskedText } from '../../components/PayloadView.tsx';
import { formatDateTime } from '../../format.ts';

export const OUTCOME_TONES = { success: 'success', denied: 'warning', failed: 'error' } as const;

/** Who acted, as text: a staff member's name, or "User Service (platform)" and its account. */
export function actorOf(entry: AuditEntry): string {
  return entry.actor.person === null
    ? entry.actor.label
    : `${entry.actor.label}: ${entry.actor.person}`;
}

/** The resource as text: its name or email when known, else its kind and id. */
export function resourceOf(entry: AuditEntry): string {
  const name = entry.resource.email ?? entry.resource.label;
  if (name !== null) return name;
  return entry.resource.id === null
    ? entry.resource.type
    : `${entry.resource.type} ${entry.resource.id}`;
}

/** The screen a resource has, if any. */
export function resourcePath(entry: AuditEntry): string | undefined {
  const id = entry.resource.id;
  if (id === null) return undefined;
  switch (entry.resource.type) {
    case 'user':
      return `/users/${encodeURIComponent(id)}`;
    case 'staff':
      return `/access/staff/${encodeURIComponent(id)}`;
    case 'role':
      return `/access/roles/${encodeURIComponent(id)}`;
    default:
      return undefined;
  }
}

/** Whether the trail recorded it later than it happened (platform events arrive after the fact). */
const recordedLater = (entry: AuditEntry) =>
  Math.abs(Date.parse(entry.at) - Date.parse(entry.occurredAt)) >= 60_000;

export function SourceBadge({ entry }: { entry: AuditEntry }) {
  return entry.source === 'platform' ? (
    <Badge tone="info" title={`Reported by ${entry.sourceService ?? 'a platform service'}`}>
      Platform
    </Badge>
  ) : (
    <Badge tone="neutral" title="Done through the backoffice">
      Backoffice
    </Badge>
  );
}

export function ActorCell({ entry }: { entry: Pick<AuditEntry, 'actor'> }) {
  return (
    <Flex vertical>
      <span>{entry.actor.label}</span>
      {entry.actor.person === null ? null : (
        <Typography.Text type="secondary">
          account <MaskedText value={entry.actor.person} />
        </Typography.Text>
      )}
    </Flex>
  );
}

export function ResourceCell({ entry }: { entry: AuditEntry }) {
  const path = resourcePath(entry);
  const text =
    entry.resource.email === null ? resourceOf(entry) : <MaskedText value={entry.resource.email} />;
  return (
    <div style={{ maxWidth: 180, overflowWrap: 'anywhere' }}>
      {path === undefined ? (
        text
      ) : (
        <Link to={path} aria-label={`Open ${entry.resource.type} ${resourceOf(entry)}`}>
          {text}
        </Link>
      )}
    </div>
  );
}

/** Free text wraps in a bounded width: the table stays in its container and nothing is cut off. */
function Wrapped({ text, width }: { text: string | null; width: number }) {
  return text === null ? (
    '—'
  ) : (
    <div style={{ maxWidth: width, whiteSpace: 'normal', overflowWrap: 'anywhere' }}>{text}</div>
  );
}

/** "Happened" and "Recorded" columns: when it happened opens the entry. */
export function timeColumns(open: (entry: AuditEntry) => ReactNode): DataTableColumn<AuditEntry>[] {
  return [
    {
      key: 'occurredAt',
      title: 'Happened',
      value: (e) => formatDateTime(e.occurredAt),
      render: open,
    },
    {
      key: 'at',
      title: 'Recorded',
      value: (e) => formatDateTime(e.at),
      render: (e) =>
        recordedLater(e) ? (
          <span title="Recorded by the backoffice later than it happened">
            {formatDateTime(e.at)}
          </span>
        ) : (
          <Typography.Text type="secondary" title="Recorded as it happened">
            {formatDateTime(e.at)}
          </Typography.Text>
        ),
    },
  ];
}

export function auditListColumns(open: (id: string) => void): DataTableColumn<AuditEntry>[] {
  return [
    { key: 'seq', title: '#', align: 'right', width: 64 },
    ...timeColumns((e) => (
      <Button
        type="link"
        size="small"
        style={{ padding: 0 }}
        onClick={() => open(e.id)}
        aria-label={`Open audit entry ${e.seq}: ${e.action}, happened ${formatDateTime(e.occurredAt)}`}
      >
        {formatDateTime(e.occurredAt)}
      </Button>
    )),
    {
      key: 'source',
      title: 'Source',
      value: (e) => e.source,
      render: (e) => <SourceBadge entry={e} />,
    },
    { key: 'actor', title: 'Actor', value: actorOf, render: (e) => <ActorCell entry={e} /> },
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
      render: (e) => <ResourceCell entry={e} />,
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
      render: (e) => <Wrapped text={e.reason} width={200} />,
    },
    { key: 'actorType', title: 'Actor type', hiddenByDefault: true, value: (e) => e.actor.type },
    { key: 'correlationId', title: 'Correlation id', hiddenByDefault: true },
    { key: 'hash', title: 'Hash', hiddenByDefault: true },
  ];
}
