import { Badge, DataTable, EmptyState, FilterToolbar, type DataTableColumn } from '@backoffice/ui';
import { Alert, Button, Descriptions, Drawer, Flex, Skeleton, Typography } from 'antd';
import { useState } from 'react';
import type { TransactionItem } from '../../api/types.ts';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { dayToIso, formatDateTime, formatMoney } from '../../format.ts';
import type { ListState } from '../../hooks/useListState.ts';
import { useTransaction, useUserTransactions } from './queries.ts';

export type TransactionsFilter = { tab?: string; from?: string; to?: string };

function signed(t: Pick<TransactionItem, 'amount' | 'transactionType'>): string {
  return `${t.transactionType === 'INCOME' ? '+' : '−'}${formatMoney(t.amount)}`;
}

function TypeBadge({ type }: { type: TransactionItem['transactionType'] }) {
  return type === 'INCOME' ? <Badge tone="success">Income</Badge> : <Badge>Expense</Badge>;
}

/** One transaction as the Transaction Service has it; our copy, marked stale, when it is down. */
export function TransactionDrawer({
  id,
  onClose,
}: {
  id: string | undefined;
  onClose: () => void;
}) {
  const transaction = useTransaction(id);
  const data = transaction.data;
  return (
    <Drawer
      open={id !== undefined}
      onClose={onClose}
      title="Transaction"
      size={560}
      destroyOnHidden
      extra={data?.stale === true ? <Badge tone="warning">Stale copy</Badge> : undefined}
    >
      {transaction.isError ? (
        <ErrorView
          error={transaction.error}
          what="transaction"
          onRetry={() => void transaction.refetch()}
        />
      ) : data === undefined ? (
        <Skeleton active paragraph={{ rows: 8 }} />
      ) : (
        <Flex vertical gap={16}>
          {data.stale ? (
            <Alert
              type="warning"
              showIcon
              title="Stale copy"
              description="The Transaction Service did not answer: this is the backoffice’s own copy from its read model, which may lag behind."
            />
          ) : null}
          <Descriptions
            column={1}
            size="small"
            bordered
            items={[
              {
                key: 'amount',
                label: 'Amount',
                children: <Typography.Text strong>{signed(data)}</Typography.Text>,
              },
              { key: 'type', label: 'Type', children: <TypeBadge type={data.transactionType} /> },
              { key: 'description', label: 'Description', children: data.description ?? '—' },
              {
                key: 'category',
                label: 'Category',
                children: data.categoryName ?? data.categoryId ?? '—',
              },
              { key: 'date', label: 'Date', children: formatDateTime(data.date) },
              { key: 'created', label: 'Created', children: formatDateTime(data.createdAt) },
              { key: 'updated', label: 'Updated', children: formatDateTime(data.updatedAt) },
              {
                key: 'source',
                label: 'Source',
                children:
                  data.source === 'transaction-service' ? 'Transaction Service' : 'Read model',
              },
              {
                key: 'reviewed',
                label: 'Reviewed',
                children:
                  data.reviewedAt === null
                    ? 'Not reviewed'
                    : `${formatDateTime(data.reviewedAt)} by ${data.reviewedBy ?? '—'}`,
              },
              {
                key: 'id',
                label: 'Transaction ID',
                children: <Typography.Text copyable>{data.id}</Typography.Text>,
              },
            ]}
          />
        </Flex>
      )}
    </Drawer>
  );
}

/** The user's transactions, newest first, in a date range (kept in the URL with the tab). */
export function UserTransactions({
  userId,
  list,
}: {
  userId: string;
  list: ListState<TransactionsFilter>;
}) {
  const { filter, page, limit, setFilter, setPage } = list;
  const from = dayToIso(filter.from, 'start');
  const to = dayToIso(filter.to, 'end');
  const range = { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
  const transactions = useUserTransactions(userId, range, page, limit);
  const [open, setOpen] = useState<string | undefined>(undefined);

  const columns: DataTableColumn<TransactionItem>[] = [
    {
      key: 'date',
      title: 'Date',
      value: (t) => formatDateTime(t.date),
      render: (t) => (
        <Button
          type="link"
          size="small"
          style={{ paddingInline: 0 }}
          aria-label={`Open transaction of ${formatDateTime(t.date)}, ${signed(t)}`}
          onClick={() => setOpen(t.id)}
        >
          {formatDateTime(t.date)}
        </Button>
      ),
    },
    { key: 'description', title: 'Description', value: (t) => t.description ?? '—' },
    { key: 'categoryName', title: 'Category', value: (t) => t.categoryName ?? t.categoryId ?? '—' },
    {
      key: 'transactionType',
      title: 'Type',
      render: (t) => <TypeBadge type={t.transactionType} />,
    },
    {
      key: 'amount',
      title: 'Amount',
      align: 'right',
      value: (t) => signed(t),
      render: (t) => (
        <Typography.Text type={t.transactionType === 'INCOME' ? 'success' : undefined}>
          {signed(t)}
        </Typography.Text>
      ),
    },
    { key: 'id', title: 'Transaction ID', hiddenByDefault: true },
  ];

  return (
    <>
      {transactions.isError ? (
        <ErrorView error={transactions.error} onRetry={() => void transactions.refetch()} />
      ) : (
        <DataTable<TransactionItem>
          label="Transactions"
          columns={columns}
          rowKey={(t) => t.id}
          result={transactions.data}
          loading={transactions.isFetching}
          onPageChange={setPage}
          toolbar={
            <FilterToolbar<TransactionsFilter>
              value={filter}
              onChange={(next) => setFilter({ ...next, tab: 'transactions' })}
              filters={[
                { type: 'date', key: 'from', label: 'From' },
                { type: 'date', key: 'to', label: 'To' },
              ]}
            />
          }
          empty={<EmptyState compact title="No transactions in this period" />}
        />
      )}
      <TransactionDrawer id={open} onClose={() => setOpen(undefined)} />
    </>
  );
}
