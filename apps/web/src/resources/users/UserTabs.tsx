import { Badge, DataTable, EmptyState, StatusBadge, type DataTableColumn } from '@backoffice/ui';
import { Descriptions, Flex, Progress, Typography } from 'antd';
import { Link } from 'react-router';
import type { AuditEntry, BudgetItem, UserDetail, UserSession } from '../../api/types.ts';
import { describeAgent } from '../../components/SessionsTable.tsx';
import { MaskedText } from '../../components/PayloadView.tsx';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { formatAgo, formatDateTime, formatMoney, formatNumber } from '../../format.ts';
import { useUserSessions } from './queries.ts';
import { ActorCell, OUTCOME_TONES, SourceBadge, actorOf, timeColumns } from '../audit/columns.tsx';
import { UserState } from './UserState.tsx';

const listOf = <T,>(rows: T[] | undefined) =>
  rows === undefined ? undefined : { data: rows, page: 1, limit: rows.length, total: rows.length };

function When({ iso }: { iso: string | null }) {
  return (
    <span title={formatDateTime(iso)}>
      {formatDateTime(iso)}
      {iso === null ? null : (
        <Typography.Text type="secondary"> ({formatAgo(iso)})</Typography.Text>
      )}
    </span>
  );
}

export function ProfileTab({ user }: { user: UserDetail }) {
  const verb = user.state === 'Disabled' ? 'Disabled' : 'Blocked';
  return (
    <Descriptions
      bordered
      size="small"
      column={{ xs: 1, lg: 2 }}
      items={[
        { key: 'state', label: 'State', children: <UserState user={user} /> },
        { key: 'role', label: 'Role', children: user.role },
        { key: 'email', label: 'Email', children: <MaskedText value={user.email} /> },
        { key: 'name', label: 'Name', children: <MaskedText value={user.name} /> },
        { key: 'registered', label: 'Registered', children: <When iso={user.createdAt} /> },
        { key: 'lastLogin', label: 'Last sign-in', children: <When iso={user.lastLoginAt} /> },
        { key: 'activity', label: 'Last activity', children: <When iso={user.lastActivityAt} /> },
        { key: 'updated', label: 'Profile updated', children: <When iso={user.updatedAt} /> },
        {
          key: 'sessions',
          label: 'Active sessions',
          children: formatNumber(user.activeSessions),
        },
        {
          key: 'transactions',
          label: 'Transactions',
          children: formatNumber(user.totalTransactions),
        },
        { key: 'budgets', label: 'Budgets', children: formatNumber(user.totalBudgets) },
        {
          key: 'id',
          label: 'User ID',
          children: <Typography.Text copyable>{user.id}</Typography.Text>,
        },
        ...(user.blockedAt === null
          ? []
          : [
              // The same columns say since when, by whom and why an account is disabled.
              { key: 'blockedAt', label: verb, children: <When iso={user.blockedAt} /> },
              {
                key: 'blockedBy',
                label: `${verb} by`,
                children:
                  user.blockedByActor === null ? (
                    'User Service (platform), naming no one'
                  ) : (
                    <ActorCell entry={{ actor: user.blockedByActor }} />
                  ),
              },
              { key: 'blockReason', label: 'Reason', children: user.blockReason ?? '—' },
            ]),
      ]}
    />
  );
}

const budgetColumns: DataTableColumn<BudgetItem>[] = [
  { key: 'name', title: 'Budget' },
  { key: 'amount', title: 'Amount', align: 'right', value: (b) => formatMoney(b.amount) },
  {
    key: 'spent',
    title: 'Spent',
    value: (b) => formatMoney(b.spent),
    render: (b) => {
      const amount = Number(b.amount);
      const percent = amount > 0 ? Math.round((Number(b.spent) / amount) * 100) : 0;
      return (
        <Flex vertical style={{ minWidth: 140 }}>
          <span>
            {formatMoney(b.spent)} <Typography.Text type="secondary">({percent} %)</Typography.Text>
          </span>
          <Progress
            percent={Math.min(100, percent)}
            size="small"
            showInfo={false}
            status={percent > 100 ? 'exception' : 'normal'}
            aria-label={`${b.name}: ${percent} % spent`}
          />
        </Flex>
      );
    },
  },
  { key: 'periodType', title: 'Period', value: (b) => b.periodType.toLowerCase() },
  {
    key: 'status',
    title: 'Status',
    render: (b) => <StatusBadge status={b.status.toLowerCase()} />,
  },
  { key: 'updatedAt', title: 'Updated', value: (b) => formatDateTime(b.updatedAt) },
  { key: 'id', title: 'Budget ID', hiddenByDefault: true },
];

export function BudgetsTab({ budgets }: { budgets: BudgetItem[] }) {
  return (
    <DataTable<BudgetItem>
      label="Budgets"
      columns={budgetColumns}
      rowKey={(b) => b.id}
      result={listOf(budgets)}
      empty={<EmptyState compact title="No budgets" />}
    />
  );
}

const sessionColumns: DataTableColumn<UserSession>[] = [
  { key: 'userAgent', title: 'Device', value: (s) => describeAgent(s.userAgent) },
  {
    key: 'ip',
    title: 'IP address',
    value: (s) => s.ip ?? '',
    render: (s) => <MaskedText value={s.ip} />,
  },
  { key: 'createdAt', title: 'Signed in', value: (s) => formatDateTime(s.createdAt) },
  { key: 'expiresAt', title: 'Expires', value: (s) => formatDateTime(s.expiresAt) },
  { key: 'sessionId', title: 'Session ID', hiddenByDefault: true },
];

export function SessionsTab({ userId, pending }: { userId: string; pending: boolean }) {
  const sessions = useUserSessions(userId, pending);
  if (sessions.isError)
    return <ErrorView error={sessions.error} onRetry={() => void sessions.refetch()} />;
  return (
    <DataTable<UserSession>
      label="Sessions"
      columns={sessionColumns}
      rowKey={(s) => s.sessionId}
      result={listOf(sessions.data?.data)}
      loading={sessions.isFetching}
      skeletonRows={2}
      empty={<EmptyState compact title="No active sessions" />}
    />
  );
}

export function auditColumns(linkEntries: boolean): DataTableColumn<AuditEntry>[] {
  return [
    ...timeColumns((e) =>
      linkEntries ? (
        <Link
          to={`/audit?resourceType=${encodeURIComponent(e.resource.type)}&resourceId=${encodeURIComponent(e.resource.id ?? '')}&entry=${e.id}`}
          aria-label={`Open audit entry ${e.seq}: ${e.action}, happened ${formatDateTime(e.occurredAt)}`}
        >
          {formatDateTime(e.occurredAt)}
        </Link>
      ) : (
        formatDateTime(e.occurredAt)
      ),
    ),
    { key: 'source', title: 'Source', render: (e) => <SourceBadge entry={e} /> },
    { key: 'actor', title: 'Actor', value: actorOf, render: (e) => <ActorCell entry={e} /> },
    {
      key: 'action',
      title: 'Action',
      render: (e) => <Typography.Text code>{e.action}</Typography.Text>,
      value: (e) => e.action,
    },
    {
      key: 'outcome',
      title: 'Outcome',
      render: (e) => <StatusBadge status={e.outcome} tones={OUTCOME_TONES} />,
    },
    {
      key: 'reason',
      title: 'Reason',
      value: (e) => e.reason ?? '—',
      render: (e) => (
        <div style={{ maxWidth: 280, whiteSpace: 'normal', overflowWrap: 'anywhere' }}>
          {e.reason ?? '—'}
        </div>
      ),
    },
  ];
}

export function AuditTab({
  userId,
  entries,
  canOpenAudit,
}: {
  userId: string;
  entries: AuditEntry[];
  canOpenAudit: boolean;
}) {
  return (
    <Flex vertical gap={8}>
      <DataTable<AuditEntry>
        label="Recent audit entries"
        columns={auditColumns(canOpenAudit)}
        rowKey={(e) => e.id}
        result={listOf(entries)}
        empty={<EmptyState compact title="Nothing about this user in the audit log yet" />}
      />
      {canOpenAudit ? (
        <Link to={`/audit?resourceType=user&resourceId=${encodeURIComponent(userId)}`}>
          Everything about this user in the audit log
        </Link>
      ) : (
        <Badge>The audit log needs the permission audit:read</Badge>
      )}
    </Flex>
  );
}
