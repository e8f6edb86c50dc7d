import {
  Card,
  DataTable,
  EmptyState,
  StatusBadge,
  type DataTableColumn,
  type Tone,
} from '@backoffice/ui';
import { Descriptions, Flex, Typography } from 'antd';
import { Link } from 'react-router';
import type { DashboardHealth, ServiceHealth } from '../../api/types.ts';
import { formatAgo, formatDateTime, formatNumber } from '../../format.ts';
import { sourceIdentityColumns } from '../ingestion/sourceColumns.tsx';

type Source = DashboardHealth['sources'][number];

const STATUS_TONES: Record<string, Tone> = {
  up: 'success',
  degraded: 'warning',
  down: 'error',
  closed: 'success',
  'half-open': 'warning',
  open: 'error',
  isolated: 'error',
};

const latency = (ms: number | null) => (ms === null ? '—' : `${formatNumber(ms, 1)} ms`);

const serviceColumns: DataTableColumn<ServiceHealth>[] = [
  {
    key: 'name',
    title: 'Service',
    render: (s) => (
      <span title={s.url}>
        <Typography.Text strong>{s.name}</Typography.Text>
      </span>
    ),
  },
  {
    key: 'status',
    title: 'Status',
    render: (s) => <StatusBadge status={s.status} tones={STATUS_TONES} />,
  },
  { key: 'latencyMs', title: 'Latency', align: 'right', value: (s) => latency(s.latencyMs) },
  {
    key: 'circuit',
    title: 'Circuit',
    render: (s) => (
      <StatusBadge
        status={s.circuit}
        tones={STATUS_TONES}
        title="The circuit breaker: open means calls fail fast until the service recovers"
      />
    ),
  },
  {
    key: 'checkedAt',
    title: 'Checked',
    value: (s) => formatDateTime(s.checkedAt),
    render: (s) => <span title={formatDateTime(s.checkedAt)}>{formatAgo(s.checkedAt)}</span>,
  },
  {
    key: 'error',
    title: 'Error',
    value: (s) => s.error ?? '',
    render: (s) =>
      s.error === null ? '—' : <Typography.Text type="danger">{s.error}</Typography.Text>,
  },
];

const sourceColumns: DataTableColumn<Source>[] = [
  ...sourceIdentityColumns<Source>(),
  {
    key: 'lag',
    title: 'Lag',
    align: 'right',
    value: (s) => (s.lag === null ? 'n/a' : formatNumber(s.lag)),
  },
  {
    key: 'eventsPerSecond',
    title: 'Events/s',
    align: 'right',
    value: (s) => formatNumber(s.eventsPerSecond, 1),
  },
  {
    key: 'lastEventAt',
    title: 'Last event',
    value: (s) => formatDateTime(s.lastEventAt),
    render: (s) => <span title={formatDateTime(s.lastEventAt)}>{formatAgo(s.lastEventAt)}</span>,
  },
];

const listOf = <T,>(rows: T[] | undefined) =>
  rows === undefined ? undefined : { data: rows, page: 1, limit: rows.length, total: rows.length };

/** Each platform service (status, latency, circuit), the database, and each event source with its lag. */
export function HealthPanel({
  health,
  showSystemLink,
}: {
  health: DashboardHealth | undefined;
  showSystemLink: boolean;
}) {
  return (
    <Card
      title="Platform health"
      extra={
        health === undefined ? undefined : (
          <Typography.Text type="secondary" title={formatDateTime(health.checkedAt)}>
            checked {formatAgo(health.checkedAt)}
          </Typography.Text>
        )
      }
    >
      <Flex vertical gap={16}>
        <DataTable<ServiceHealth>
          label="Platform services"
          size="small"
          columns={serviceColumns}
          rowKey={(s) => s.service}
          result={listOf(health?.services)}
          skeletonRows={3}
          empty={
            <EmptyState
              compact
              title="No platform service configured"
              description="Set USER_SERVICE_URL and the other service URLs to call them."
            />
          }
        />
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2 }}
          items={[
            {
              key: 'database',
              label: 'Database',
              children:
                health === undefined ? (
                  '—'
                ) : (
                  <StatusBadge status={health.database.status} tones={STATUS_TONES} />
                ),
            },
            {
              key: 'latency',
              label: 'Database latency',
              children: latency(health?.database.latencyMs ?? null),
            },
          ]}
        />
        <DataTable<Source>
          label="Event sources"
          size="small"
          columns={sourceColumns}
          rowKey={(s) => s.name}
          result={listOf(health?.sources)}
          skeletonRows={1}
          empty={<EmptyState compact title="No event source is enabled" />}
        />
        {showSystemLink ? (
          <Link to="/system/ingestion">Ingestion details and dead letters</Link>
        ) : null}
      </Flex>
    </Card>
  );
}
