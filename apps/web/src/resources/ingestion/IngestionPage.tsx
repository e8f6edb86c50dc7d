import {
  Card,
  DataTable,
  LiveBadge,
  PageHeader,
  StatCard,
  type DataTableColumn,
} from '@backoffice/ui';
import { useQuery } from '@tanstack/react-query';
import { Col, Row, Typography } from 'antd';
import { Link } from 'react-router';
import { systemApi } from '../../api/system.ts';
import type { SourceStatus } from '../../api/types.ts';
import { CatchingUpBanner } from '../../components/CatchingUpBanner.tsx';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { formatAgo, formatDateTime, formatNumber } from '../../format.ts';
import { sourceIdentityColumns } from './sourceColumns.tsx';
import { useConnectionStatus } from '../../layout/ConnectionStatus.tsx';

export const INGESTION_REFRESH_MS = 5_000;

const columns: DataTableColumn<SourceStatus>[] = [
  ...sourceIdentityColumns<SourceStatus>(),
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
  {
    key: 'lag',
    title: 'Lag',
    align: 'right',
    value: (s) => (s.lag === null ? 'n/a' : formatNumber(s.lag)),
    render: (s) =>
      s.lag === null ? (
        <Typography.Text type="secondary">n/a</Typography.Text>
      ) : (
        <span
          title={Object.entries(s.lagDetail)
            .map(([k, v]) => `${k}: ${v}`)
            .join('\n')}
        >
          {formatNumber(s.lag)}
        </span>
      ),
  },
  { key: 'processed', title: 'Processed', align: 'right', value: (s) => formatNumber(s.processed) },
  {
    key: 'duplicates',
    title: 'Duplicates',
    align: 'right',
    value: (s) => formatNumber(s.duplicates),
  },
  {
    key: 'deadLetters',
    title: 'Dead letters',
    align: 'right',
    value: (s) => s.deadLetters,
    render: (s) =>
      s.deadLetters > 0 ? (
        <Link to={`/system/dead-letters?source=${encodeURIComponent(s.name)}`}>
          {formatNumber(s.deadLetters)}
        </Link>
      ) : (
        '0'
      ),
  },
  { key: 'unknownTypes', title: 'Unknown types', align: 'right', hiddenByDefault: true },
  {
    key: 'lastError',
    title: 'Last error',
    value: (s) => s.lastError ?? '',
    render: (s) =>
      s.lastError === null ? (
        '—'
      ) : (
        <Typography.Text type="danger" title={formatDateTime(s.lastErrorAt)}>
          {s.lastError}
        </Typography.Text>
      ),
  },
];

/** Each event source, refreshed every 5 seconds. */
export function IngestionPage() {
  const status = useQuery({
    queryKey: ['system', 'ingestion'],
    queryFn: () => systemApi.ingestion(),
    refetchInterval: INGESTION_REFRESH_MS,
  });
  const failing = status.isError && status.data !== undefined;
  useConnectionStatus(failing ? 'reconnecting' : 'polling', 'every 5 s');

  if (status.isError && status.data === undefined)
    return <ErrorView error={status.error} onRetry={() => void status.refetch()} />;
  const sources = status.data?.sources;
  const totals = sources?.reduce(
    (sum, s) => ({
      rate: sum.rate + s.eventsPerSecond,
      processed: sum.processed + s.processed,
      duplicates: sum.duplicates + s.duplicates,
    }),
    { rate: 0, processed: 0, duplicates: 0 },
  );
  const loading = status.data === undefined;

  return (
    <>
      <PageHeader
        title="Ingestion"
        subtitle="Events from the platform’s services, by source."
        actions={
          <LiveBadge
            state={failing ? 'reconnecting' : 'polling'}
            detail={`updated ${formatAgo(status.dataUpdatedAt === 0 ? null : new Date(status.dataUpdatedAt).toISOString())}`}
          />
        }
      />
      <CatchingUpBanner catchingUp={status.data?.catchingUp} />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} sm={12} lg={6}>
          <StatCard
            label="Events per second"
            value={totals?.rate}
            precision={1}
            loading={loading}
          />
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <StatCard label="Processed" value={totals?.processed} loading={loading} />
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <StatCard label="Duplicates skipped" value={totals?.duplicates} loading={loading} />
        </Col>
        <Col xs={24} sm={12} lg={6}>
          <StatCard
            label="Pending dead letters"
            value={status.data?.pendingDeadLetters}
            loading={loading}
            footer={<Link to="/system/dead-letters?status=pending">Inspect dead letters</Link>}
          />
        </Col>
      </Row>
      <Card title="Sources">
        <DataTable<SourceStatus>
          label="Event sources"
          columns={columns}
          rowKey={(s) => s.name}
          result={
            sources === undefined
              ? undefined
              : { data: sources, page: 1, limit: sources.length, total: sources.length }
          }
          skeletonRows={2}
        />
      </Card>
    </>
  );
}
