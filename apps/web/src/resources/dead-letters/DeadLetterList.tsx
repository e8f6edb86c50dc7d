import { DEAD_LETTER_STATUSES } from '@backoffice/contracts';
import {
  DataTable,
  EmptyState,
  FilterToolbar,
  PageHeader,
  StatusBadge,
  humanize,
  type DataTableColumn,
} from '@backoffice/ui';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Typography } from 'antd';
import { useState } from 'react';
import { systemApi } from '../../api/system.ts';
import type { DeadLetter, DeadLetterFilter } from '../../api/types.ts';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { formatDateTime } from '../../format.ts';
import { IgnoredFilters } from '../../components/IgnoredFilters.tsx';
import { anyText, oneOf, useListState, type FilterFields } from '../../hooks/useListState.ts';
import { DeadLetterDrawer } from './DeadLetterDrawer.tsx';

type Filter = { status?: string; reason?: string; source?: string; eventType?: string };
const FILTERS: FilterFields<Filter> = {
  status: oneOf(DEAD_LETTER_STATUSES),
  reason: anyText,
  source: anyText,
  eventType: anyText,
};

function apiFilter(filter: Filter): DeadLetterFilter {
  const status = DEAD_LETTER_STATUSES.find((s) => s === filter.status);
  return {
    ...(status === undefined ? {} : { status }),
    ...(filter.reason === undefined ? {} : { reason: filter.reason }),
    ...(filter.source === undefined ? {} : { source: filter.source }),
    ...(filter.eventType === undefined ? {} : { eventType: filter.eventType }),
  };
}

export function DeadLetterList() {
  const { filter, rejected, page, limit, setFilter, setPage } = useListState<Filter>(FILTERS);
  const query = apiFilter(filter);
  const [open, setOpen] = useState<number | undefined>(undefined);
  const list = useQuery({
    queryKey: ['system', 'dead-letters', 'list', query, page, limit],
    queryFn: () => systemApi.deadLetters(query, { page, limit }),
    placeholderData: keepPreviousData,
  });

  const columns: DataTableColumn<DeadLetter>[] = [
    {
      key: 'id',
      title: '#',
      render: (d) => (
        <Button
          type="link"
          size="small"
          onClick={() => setOpen(d.id)}
          aria-label={`Open dead letter ${d.id}`}
        >
          {d.id}
        </Button>
      ),
      value: (d) => d.id,
    },
    { key: 'receivedAt', title: 'Received', value: (d) => formatDateTime(d.receivedAt) },
    { key: 'source', title: 'Source' },
    { key: 'eventType', title: 'Event type', value: (d) => d.eventType ?? '—' },
    { key: 'reason', title: 'Reason', value: (d) => humanize(d.reason) },
    {
      key: 'detail',
      title: 'Detail',
      render: (d) => (
        <Typography.Text ellipsis={{ tooltip: d.detail }} style={{ maxWidth: 320 }}>
          {d.detail}
        </Typography.Text>
      ),
    },
    { key: 'status', title: 'Status', render: (d) => <StatusBadge status={d.status} /> },
    { key: 'attempts', title: 'Attempts', align: 'right' },
    { key: 'eventId', title: 'Event id', hiddenByDefault: true, value: (d) => d.eventId ?? '' },
    {
      key: 'resolvedBy',
      title: 'Resolved by',
      hiddenByDefault: true,
      value: (d) => d.resolvedBy ?? '',
    },
  ];

  return (
    <>
      <PageHeader
        title="Dead letters"
        subtitle="Events that could not be projected, kept for inspection and replay."
      />
      <IgnoredFilters rejected={rejected} />
      {list.isError ? (
        <ErrorView error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <DataTable<DeadLetter>
          label="Dead letters"
          columns={columns}
          rowKey={(d) => String(d.id)}
          result={list.data}
          loading={list.isFetching}
          onPageChange={setPage}
          toolbar={
            <FilterToolbar<Filter>
              value={filter}
              onChange={setFilter}
              filters={[
                {
                  type: 'select',
                  key: 'status',
                  label: 'Status',
                  options: DEAD_LETTER_STATUSES.map((s) => ({ value: s, label: humanize(s) })),
                },
                { type: 'text', key: 'reason', label: 'Reason' },
                { type: 'text', key: 'source', label: 'Source', width: 140 },
                { type: 'text', key: 'eventType', label: 'Event type' },
              ]}
            />
          }
          empty={
            <EmptyState compact title="No dead letters" description="Every event was projected." />
          }
        />
      )}
      <DeadLetterDrawer id={open} onClose={() => setOpen(undefined)} />
    </>
  );
}
