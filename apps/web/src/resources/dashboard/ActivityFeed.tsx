import type { ActivityItem } from '@backoffice/contracts';
import { Card, EmptyState, Badge, type Tone } from '@backoffice/ui';
import { Flex, Skeleton, Typography } from 'antd';
import { Link } from 'react-router';
import { MaskedText } from '../../components/PayloadView.tsx';
import { formatDateTime, formatMoney } from '../../format.ts';

const KINDS: Record<string, { label: string; tone: Tone }> = {
  'user.created': { label: 'Signed up', tone: 'success' },
  'user.updated': { label: 'Profile updated', tone: 'info' },
  'user.blocked': { label: 'Blocked', tone: 'error' },
  'user.unblocked': { label: 'Unblocked', tone: 'success' },
  'user.disabled': { label: 'Account disabled', tone: 'error' },
  'user.enabled': { label: 'Account enabled', tone: 'success' },
  'session.created': { label: 'Signed in', tone: 'info' },
  'session.ended': { label: 'Signed out', tone: 'neutral' },
  'transaction.created': { label: 'Transaction', tone: 'processing' },
  'transaction.updated': { label: 'Transaction corrected', tone: 'warning' },
  'transaction.deleted': { label: 'Transaction deleted', tone: 'neutral' },
};

function kindOf(kind: string) {
  return KINDS[kind] ?? { label: kind, tone: 'neutral' as const };
}

function time(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString();
}

function Who({ item, linkUsers }: { item: ActivityItem; linkUsers: boolean }) {
  const text =
    item.email === undefined || item.email === null ? (
      `User ${item.userId.slice(0, 8)}`
    ) : (
      <MaskedText value={item.email} />
    );
  return linkUsers ? <Link to={`/users/${item.userId}`}>{text}</Link> : <>{text}</>;
}

/** What users are doing right now (users.activity and transactions.activity), newest first. */
export function ActivityFeed({
  items,
  loading,
  linkUsers,
}: {
  items: ActivityItem[];
  loading: boolean;
  linkUsers: boolean;
}) {
  return (
    <Card title="Recent activity">
      {loading && items.length === 0 ? (
        <Skeleton active title={false} paragraph={{ rows: 8 }} />
      ) : items.length === 0 ? (
        <EmptyState compact title="Nothing yet" description="New activity appears here live." />
      ) : (
        <ol
          aria-label="Recent activity"
          style={{ listStyle: 'none', margin: 0, padding: 0, maxHeight: 420, overflowY: 'auto' }}
          // Scrollable with the keyboard.
          tabIndex={0}
        >
          {items.map((item, index) => {
            const kind = kindOf(item.kind);
            return (
              <li
                key={`${item.at}-${item.kind}-${item.userId}-${index}`}
                style={{ paddingBlock: 6, borderBottom: '1px solid rgba(127,127,127,0.15)' }}
              >
                <Flex justify="space-between" align="center" gap={8} wrap>
                  <span>
                    <Badge tone={kind.tone}>{kind.label}</Badge>
                    <Who item={item} linkUsers={linkUsers} />
                  </span>
                  <span>
                    {item.amount === undefined ? null : (
                      <Typography.Text
                        type={item.transactionType === 'INCOME' ? 'success' : undefined}
                        style={{ marginInlineEnd: 8 }}
                      >
                        {item.transactionType === 'INCOME' ? '+' : '−'}
                        {formatMoney(item.amount)}
                      </Typography.Text>
                    )}
                    <Typography.Text type="secondary" title={formatDateTime(item.at)}>
                      <time dateTime={item.at}>{time(item.at)}</time>
                    </Typography.Text>
                  </span>
                </Flex>
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}
