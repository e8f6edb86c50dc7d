import { Card, DataTable, LiveBadge, PageHeader, type DataTableColumn } from '@backoffice/ui';
import { useQuery } from '@tanstack/react-query';
import { Tag, Typography } from 'antd';
import { systemApi } from '../../api/system.ts';
import type { Schedule } from '../../api/types.ts';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { formatAgo, formatDateTime, formatNumber } from '../../format.ts';
import { useConnectionStatus } from '../../layout/ConnectionStatus.tsx';

export const SCHEDULES_REFRESH_MS = 10_000;

/** "every 5 s", "every 12 h". */
export function formatPeriod(ms: number): string {
  if (ms % 3_600_000 === 0) return `every ${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `every ${ms / 60_000} min`;
  if (ms % 1_000 === 0) return `every ${ms / 1_000} s`;
  return `every ${ms} ms`;
}

const when = (iso: string | null) => (
  <span title={formatDateTime(iso)}>{iso === null ? '—' : formatAgo(iso)}</span>
);

const columns: DataTableColumn<Schedule>[] = [
  {
    key: 'name',
    title: 'Task',
    value: (s) => s.name,
    render: (s) => (
      <div style={{ maxWidth: 320 }}>
        <Typography.Text code>{s.name}</Typography.Text>
        <br />
        <Typography.Text type="secondary">{s.description}</Typography.Text>
      </div>
    ),
  },
  {
    key: 'scope',
    title: 'Schedule',
    value: (s) =>
      `${formatPeriod(s.everyMs)} ${s.scope === 'cluster' ? 'once' : 'on each instance'}`,
    render: (s) => (
      <>
        {formatPeriod(s.everyMs)}
        <br />
        <Typography.Text type="secondary">
          {s.scope === 'cluster' ? 'once across instances' : 'on each instance'}
        </Typography.Text>
      </>
    ),
  },
  {
    key: 'lastStartedAt',
    title: 'Last run',
    value: (s) => formatDateTime(s.lastStartedAt),
    render: (s) => when(s.lastStartedAt),
  },
  {
    key: 'lastOutcome',
    title: 'Outcome',
    value: (s) => (s.running ? 'running' : (s.lastOutcome ?? 'not run yet')),
    render: (s) =>
      s.running ? (
        <Tag color="processing">running</Tag>
      ) : s.lastOutcome === null ? (
        <Typography.Text type="secondary">not run yet</Typography.Text>
      ) : (
        <Tag color={s.lastOutcome === 'succeeded' ? 'success' : 'error'}>
          {s.lastOutcome}
          {s.lastDurationMs === null ? '' : ` in ${formatNumber(s.lastDurationMs)} ms`}
        </Tag>
      ),
  },
  {
    key: 'lastError',
    title: 'Last error',
    value: (s) => s.lastError ?? '',
    render: (s) =>
      s.lastError === null ? '—' : <Typography.Text type="danger">{s.lastError}</Typography.Text>,
  },
  {
    key: 'nextRunAt',
    title: 'Next run',
    value: (s) => formatDateTime(s.nextRunAt),
    render: (s) => when(s.nextRunAt),
  },
  {
    key: 'runs',
    title: 'Runs (failed)',
    align: 'right',
    value: (s) => `${formatNumber(s.runs)} (${formatNumber(s.failures)})`,
    render: (s) => (
      <>
        {formatNumber(s.runs)}{' '}
        <Typography.Text type={s.failures > 0 ? 'danger' : 'secondary'}>
          ({formatNumber(s.failures)})
        </Typography.Text>
      </>
    ),
  },
  { key: 'lastInstance', title: 'Last instance', hiddenByDefault: true },
];

/** The scheduler's periodic tasks, refreshed every 10 seconds. */
export function SchedulesPage() {
  const list = useQuery({
    queryKey: ['system', 'schedules'],
    queryFn: () => systemApi.schedules(),
    refetchInterval: SCHEDULES_REFRESH_MS,
  });
  const failing = list.isError && list.data !== undefined;
  useConnectionStatus(failing ? 'reconnecting' : 'polling', 'every 10 s');

  if (list.isError && list.data === undefined)
    return <ErrorView error={list.error} onRetry={() => void list.refetch()} />;
  const tasks = list.data?.data;
  return (
    <>
      <PageHeader
        title="Schedules"
        subtitle="Periodic work: how often each task runs, where, and how its last run ended."
        actions={
          <LiveBadge
            state={failing ? 'reconnecting' : 'polling'}
            detail={`updated ${formatAgo(list.dataUpdatedAt === 0 ? null : new Date(list.dataUpdatedAt).toISOString())}`}
          />
        }
      />
      <Card
        title="Tasks"
        extra={
          list.data === undefined ? undefined : (
            <Typography.Text type="secondary">
              Per-instance tasks as instance {list.data.instance} sees them
            </Typography.Text>
          )
        }
      >
        <DataTable<Schedule>
          label="Scheduled tasks"
          columns={columns}
          rowKey={(s) => s.name}
          result={
            tasks === undefined
              ? undefined
              : { data: tasks, page: 1, limit: tasks.length, total: tasks.length }
          }
          skeletonRows={4}
        />
      </Card>
    </>
  );
}
