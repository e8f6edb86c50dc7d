import { MASK } from '@backoffice/contracts';
import { EmptyState, StatusBadge } from '@backoffice/ui';
import { Descriptions, Drawer, Flex, Skeleton, Table, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { AuditEntryDetail } from '../../api/types.ts';
import { MaskedText, PayloadView } from '../../components/PayloadView.tsx';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { formatDateTime, isMasked } from '../../format.ts';
import { ActorCell, OUTCOME_TONES, ResourceCell, SourceBadge } from './columns.tsx';
import { useAuditEntry } from './queries.ts';

type Change = AuditEntryDetail['changes'][number];

/** A changed value as text: JSON for anything but a plain string. */
export function changeText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function ChangeValue({ value, kind }: { value: unknown; kind: 'before' | 'after' }) {
  const text = changeText(value);
  if (text === '') return <Typography.Text type="secondary">(none)</Typography.Text>;
  if (value === MASK || isMasked(value)) return <MaskedText value={text} />;
  const style = {
    padding: '0 4px',
    borderRadius: 4,
    textDecoration: 'none',
    wordBreak: 'break-all' as const,
    background: kind === 'before' ? 'rgba(255, 77, 79, 0.12)' : 'rgba(82, 196, 26, 0.14)',
  };
  // <del> and <ins> say "removed" and "added" to assistive technology as well as to the eye.
  return kind === 'before' ? (
    <del style={style}>
      <Typography.Text code>{text}</Typography.Text>
    </del>
  ) : (
    <ins style={style}>
      <Typography.Text code>{text}</Typography.Text>
    </ins>
  );
}

/** What changed between before and after, one row per changed value (JSON pointer). */
export function ChangesTable({ changes }: { changes: Change[] }) {
  if (changes.length === 0)
    return <EmptyState compact title="No recorded change" description="Nothing differs." />;
  return (
    <Table<Change>
      size="small"
      rowKey={(c) => c.path}
      pagination={false}
      dataSource={changes}
      components={{ table: (props: object) => <table {...props} aria-label="Changes" /> }}
      columns={[
        {
          key: 'path',
          title: 'Field',
          render: (_: unknown, c) => <Typography.Text code>{c.path}</Typography.Text>,
        },
        {
          key: 'before',
          title: 'Before',
          render: (_: unknown, c) => <ChangeValue value={c.before} kind="before" />,
        },
        {
          key: 'after',
          title: 'After',
          render: (_: unknown, c) => <ChangeValue value={c.after} kind="after" />,
        },
      ]}
    />
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section>
      <Typography.Title level={2} style={{ fontSize: 16 }}>
        {title}
      </Typography.Title>
      {children}
    </section>
  );
}

function Mono({ value }: { value: string | null }) {
  return value === null || value === '' ? (
    '—'
  ) : (
    <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
      {value}
    </Typography.Text>
  );
}

function EntryDetail({ entry }: { entry: AuditEntryDetail }) {
  return (
    <Flex vertical gap={20}>
      <Descriptions
        column={1}
        size="small"
        bordered
        items={[
          { key: 'occurredAt', label: 'Happened', children: formatDateTime(entry.occurredAt) },
          { key: 'at', label: 'Recorded', children: formatDateTime(entry.at) },
          {
            key: 'source',
            label: 'Source',
            children: (
              <Flex gap={6} align="center">
                <SourceBadge entry={entry} />
                {entry.sourceService === null ? null : (
                  <Typography.Text type="secondary">{entry.sourceService}</Typography.Text>
                )}
              </Flex>
            ),
          },
          { key: 'actor', label: 'Actor', children: <ActorCell entry={entry} /> },
          {
            key: 'action',
            label: 'Action',
            children: <Typography.Text code>{entry.action}</Typography.Text>,
          },
          { key: 'resource', label: 'Resource', children: <ResourceCell entry={entry} /> },
          {
            key: 'outcome',
            label: 'Outcome',
            children: <StatusBadge status={entry.outcome} tones={OUTCOME_TONES} />,
          },
          { key: 'reason', label: 'Reason', children: entry.reason ?? '—' },
          { key: 'ip', label: 'IP address', children: <MaskedText value={entry.ip} /> },
          { key: 'agent', label: 'User agent', children: entry.userAgent ?? '—' },
          {
            key: 'correlation',
            label: 'Correlation id',
            children: <Mono value={entry.correlationId} />,
          },
          { key: 'event', label: 'Event id', children: <Mono value={entry.eventId} /> },
          {
            key: 'linked',
            label: 'Confirmed by events',
            children:
              entry.linkedEventIds.length === 0 ? (
                '—'
              ) : (
                <Flex vertical gap={2}>
                  {entry.linkedEventIds.map((id) => (
                    <Mono key={id} value={id} />
                  ))}
                </Flex>
              ),
          },
        ]}
      />
      <Section title="Changes">
        <ChangesTable changes={entry.changes} />
      </Section>
      <Flex gap={12} wrap>
        <div style={{ flex: '1 1 260px', minWidth: 0 }}>
          <Section title="Before">
            <PayloadView value={entry.before} label="Before" />
          </Section>
        </div>
        <div style={{ flex: '1 1 260px', minWidth: 0 }}>
          <Section title="After">
            <PayloadView value={entry.after} label="After" />
          </Section>
        </div>
      </Flex>
      {entry.metadata === null || entry.metadata === undefined ? null : (
        <Section title="Metadata">
          <PayloadView value={entry.metadata} label="Metadata" />
        </Section>
      )}
      <Section title="Hash chain">
        <Descriptions
          column={1}
          size="small"
          bordered
          items={[
            { key: 'seq', label: 'Sequence', children: entry.seq.toLocaleString() },
            { key: 'prev', label: 'Previous hash', children: <Mono value={entry.prevHash} /> },
            { key: 'hash', label: 'Hash', children: <Mono value={entry.hash} /> },
          ]}
        />
      </Section>
    </Flex>
  );
}

/** One audit entry: who did what to which resource, and the before/after of the change. */
export function AuditEntryDrawer({ id, onClose }: { id: string | undefined; onClose: () => void }) {
  const entry = useAuditEntry(id);
  return (
    <Drawer
      open={id !== undefined}
      onClose={onClose}
      title={entry.data === undefined ? 'Audit entry' : `Audit entry #${entry.data.seq}`}
      size={720}
      destroyOnHidden
    >
      {entry.isError ? (
        <ErrorView error={entry.error} what="audit entry" onRetry={() => void entry.refetch()} />
      ) : entry.data === undefined ? (
        <Skeleton active paragraph={{ rows: 12 }} />
      ) : (
        <EntryDetail entry={entry.data} />
      )}
    </Drawer>
  );
}
