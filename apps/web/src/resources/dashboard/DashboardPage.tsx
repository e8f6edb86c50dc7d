import type { Channel, ServerMessage } from '@backoffice/contracts';
import { PageHeader, StatCard, type ConnectionState } from '@backoffice/ui';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Col, Row } from 'antd';
import { useCallback, useState } from 'react';
import { dashboardApi } from '../../api/dashboard.ts';
import { CatchingUpBanner } from '../../components/CatchingUpBanner.tsx';
import type { DashboardHealth } from '../../api/types.ts';
import { useCanAccess, useRuns } from '../../auth/AuthProvider.tsx';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { formatAgo, formatDateTime, formatMoney } from '../../format.ts';
import { useConnectionStatus } from '../../layout/ConnectionStatus.tsx';
import { useLive, type LiveStatus } from '../../realtime/useLive.ts';
import { ActivityFeed } from './ActivityFeed.tsx';
import { GrowthChart, VolumeChart } from './charts.tsx';
import { HealthPanel } from './HealthPanel.tsx';
import { NO_ACTIVITY, activityAfter, feedOf, healthOf, metricsOf, type Activity } from './live.ts';

/** While the live connection is down, the REST endpoints are polled this often. */
export const POLL_MS = 10_000;
/**
 * The live channel carries the services' checks but not the sources' lag and rate: the health is
 * also polled, less often, while live.
 */
export const HEALTH_POLL_LIVE_MS = 15_000;

export const dashboardKeys = {
  metrics: ['dashboard', 'metrics'] as const,
  health: ['dashboard', 'health'] as const,
};

const CHANNELS: readonly Channel[] = [
  'dashboard.metrics',
  'system.health',
  'users.activity',
  'transactions.activity',
];

function connectionOf(live: LiveStatus): { state: ConnectionState; detail?: string } {
  switch (live.state) {
    case 'live':
      return { state: 'live' };
    case 'connecting':
      return { state: 'polling', detail: 'connecting' };
    case 'reconnecting':
      return { state: 'reconnecting', detail: `polling every ${POLL_MS / 1000} s meanwhile` };
    case 'ended':
      return { state: 'offline' };
  }
}

/**
 * The PRD's statistics, growth and volume charts, platform health and live activity. Kept current over
 * the WebSocket (a snapshot on connecting, then updates); polled over REST while it is down.
 */
export function DashboardPage() {
  const canAccess = useCanAccess();
  const runs = useRuns();
  const queryClient = useQueryClient();
  const [activity, setActivity] = useState<Activity>(NO_ACTIVITY);

  const onMessage = useCallback(
    (message: ServerMessage) => {
      const metrics = metricsOf(message);
      if (metrics !== undefined) queryClient.setQueryData(dashboardKeys.metrics, metrics);
      const health = healthOf(
        message,
        queryClient.getQueryData<DashboardHealth>(dashboardKeys.health),
      );
      if (health !== undefined) queryClient.setQueryData(dashboardKeys.health, health);
      setActivity((previous) => activityAfter(message, previous));
    },
    [queryClient],
  );
  const live = useLive(CHANNELS, onMessage);
  const isLive = live.state === 'live';
  const connection = connectionOf(live);
  useConnectionStatus(connection.state, connection.detail);

  const metrics = useQuery({
    queryKey: dashboardKeys.metrics,
    queryFn: () => dashboardApi.metrics(),
    refetchInterval: isLive ? false : POLL_MS,
  });
  const health = useQuery({
    queryKey: dashboardKeys.health,
    queryFn: () => dashboardApi.health(),
    refetchInterval: isLive ? HEALTH_POLL_LIVE_MS : POLL_MS,
  });

  if (metrics.isError && metrics.data === undefined)
    return <ErrorView error={metrics.error} onRetry={() => void metrics.refetch()} />;

  const m = metrics.data;
  const loading = m === undefined;
  const users = m?.users;
  const today = m?.transactions.today;
  const showActivity = canAccess('users', 'read') || canAccess('transactions', 'read');

  const cards = [
    { label: 'Total users', value: users?.total },
    {
      label: 'Active in the last 30 days',
      value: users?.active30d,
      footer:
        m?.active30dComputedAt === null || m === undefined ? undefined : (
          <span title={formatDateTime(m.active30dComputedAt)}>
            counted {formatAgo(m.active30dComputedAt)}
          </span>
        ),
    },
    { label: 'Blocked users', value: users?.blocked },
    { label: 'Users with active sessions', value: users?.withActiveSessions },
    { label: 'Active sessions', value: users?.activeSessions },
    { label: 'Registrations, last 7 days', value: users?.registrations7d },
    { label: 'Registrations, last 30 days', value: users?.registrations30d },
    // Money Planner's transactions, where that feature runs.
    ...(runs('transactions')
      ? [
          { label: 'Transactions today', value: today?.count },
          {
            label: 'Volume today',
            value: today === undefined ? undefined : formatMoney(today.volume),
            footer:
              today === undefined ? undefined : (
                <span>
                  income {formatMoney(today.income)} · expenses {formatMoney(today.expense)}
                </span>
              ),
          },
        ]
      : []),
    // The figures of the domain packs that run (pets, failed payments…).
    ...(m?.tiles ?? []).map((tile) => ({ label: tile.label, value: tile.value })),
  ];

  return (
    <>
      <PageHeader
        title="Dashboard"
        subtitle={
          m === undefined
            ? 'Users, activity and the platform’s health, live.'
            : `Users, activity and the platform’s health, live. As of ${formatDateTime(m.computedAt)}.`
        }
      />
      <CatchingUpBanner catchingUp={m?.catchingUp} />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        {cards.map((card) => (
          <Col key={card.label} xs={24} sm={12} lg={8}>
            <StatCard
              label={card.label}
              value={card.value}
              loading={loading}
              {...(card.footer === undefined ? {} : { footer: card.footer })}
            />
          </Col>
        ))}
      </Row>
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} xl={runs('transactions') ? 12 : 24}>
          <GrowthChart growth={m?.growth} />
        </Col>
        {runs('transactions') ? (
          <Col xs={24} xl={12}>
            <VolumeChart daily={m?.transactions.daily} />
          </Col>
        ) : null}
      </Row>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={showActivity ? 14 : 24}>
          <HealthPanel health={health.data} showSystemLink={canAccess('system', 'read')} />
        </Col>
        {showActivity ? (
          <Col xs={24} xl={10}>
            <ActivityFeed
              items={feedOf(activity)}
              loading={live.state === 'connecting'}
              linkUsers={canAccess('users', 'read')}
            />
          </Col>
        ) : null}
      </Row>
    </>
  );
}
