import { AUDIT_OUTCOMES, AUDIT_SOURCES } from '@backoffice/contracts';
import { DataTable, EmptyState, FilterToolbar, PageHeader, humanize } from '@backoffice/ui';
import { Button, Flex, Typography } from 'antd';
import { useMemo } from 'react';
import { auditApi } from '../../api/audit.ts';
import type { AuditEntry, AuditFilter } from '../../api/types.ts';
import { useCanAccess } from '../../auth/AuthProvider.tsx';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { dayToIso, formatNumber, plural } from '../../format.ts';
import { ExportButtons } from '../../components/ExportButtons.tsx';
import { IgnoredFilters } from '../../components/IgnoredFilters.tsx';
import {
  anyText,
  calendarDay,
  oneOf,
  useListState,
  type FilterFields,
} from '../../hooks/useListState.ts';
import { AuditEntryDrawer } from './AuditEntryDrawer.tsx';
import { auditListColumns } from './columns.tsx';
import { useAuditList } from './queries.ts';
import { VerifyChain } from './VerifyChain.tsx';

type Filter = {
  q?: string;
  actor?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  outcome?: string;
  source?: string;
  from?: string;
  to?: string;
  /** The entry open in the drawer: a link can point at one (the user details' audit tab does). */
  entry?: string;
};

export const AUDIT_PAGE_SIZE = 50;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const FILTERS: FilterFields<Filter> = {
  q: anyText,
  actor: anyText,
  action: anyText,
  resourceType: anyText,
  resourceId: anyText,
  outcome: oneOf(AUDIT_OUTCOMES),
  source: oneOf(AUDIT_SOURCES),
  from: calendarDay,
  to: calendarDay,
  entry: (raw) => (UUID.test(raw) ? raw : undefined),
};

/** Cut to the API's limit, or left out when empty. */
function text(value: string | undefined, max: number, min = 1): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed.length < min ? undefined : trimmed.slice(0, max);
}

/** The URL's filter as the API takes it; what a hand-edited URL gets wrong is left out. */
export function apiFilter(filter: Filter): AuditFilter {
  const outcome = AUDIT_OUTCOMES.find((o) => o === filter.outcome);
  const source = AUDIT_SOURCES.find((s) => s === filter.source);
  const from = dayToIso(filter.from, 'start');
  const to = dayToIso(filter.to, 'end');
  const q = text(filter.q, 200, 2);
  const actor = text(filter.actor, 320);
  const action = text(filter.action, 100);
  const resourceType = text(filter.resourceType, 100);
  const resourceId = text(filter.resourceId, 200);
  return {
    ...(q === undefined ? {} : { q }),
    ...(actor === undefined ? {} : { actor }),
    ...(action === undefined ? {} : { action }),
    ...(resourceType === undefined ? {} : { resourceType }),
    ...(resourceId === undefined ? {} : { resourceId }),
    ...(outcome === undefined ? {} : { outcome }),
    ...(source === undefined ? {} : { source }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  };
}

/** Export of the current filter, streamed by the server (CSV or NDJSON, with the hash columns). */
function AuditExportButtons({ filter }: { filter: AuditFilter }) {
  return (
    <ExportButtons title="Audit log exported" run={(format) => auditApi.export(filter, format)} />
  );
}

/** The audit trail: filter, page back in time, open an entry, verify the chain, export. */
export function AuditList() {
  const canAccess = useCanAccess();
  const { filter, rejected, limit, setFilter } = useListState<Filter>(FILTERS, AUDIT_PAGE_SIZE);
  const query = apiFilter(filter);
  const list = useAuditList(query, limit);
  const rows = useMemo(() => list.data?.pages.flatMap((page) => page.data) ?? [], [list.data]);
  const columns = useMemo(
    () => auditListColumns((id) => setFilter({ ...filter, entry: id })),
    [filter, setFilter],
  );
  const entry = filter.entry;

  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Actions taken through the backoffice and actions the platform's services reported, latest first by when they happened, in a tamper-evident chain."
        actions={
          <>
            {canAccess('audit', 'verify') ? <VerifyChain /> : null}
            {canAccess('audit', 'export') ? <AuditExportButtons filter={query} /> : null}
          </>
        }
      />
      <IgnoredFilters rejected={rejected} />
      {list.isError ? (
        <ErrorView error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          <DataTable<AuditEntry>
            label="Audit entries"
            columns={columns}
            rowKey={(e) => e.id}
            result={
              list.data === undefined
                ? undefined
                : { data: rows, page: 1, limit: rows.length, total: rows.length }
            }
            loading={list.isFetching && !list.isFetchingNextPage}
            skeletonRows={8}
            size="small"
            toolbar={
              <FilterToolbar<Filter>
                value={filter}
                onChange={(next) => setFilter({ ...next, entry: undefined })}
                search={{
                  key: 'q',
                  label: 'Search the audit log',
                  placeholder: 'Action, resource, actor or reason',
                }}
                filters={[
                  {
                    type: 'text',
                    key: 'actor',
                    label: 'Actor',
                    placeholder: 'Actor email or id',
                    width: 190,
                  },
                  {
                    type: 'text',
                    key: 'action',
                    label: 'Action',
                    placeholder: 'Action (users.*)',
                    width: 160,
                  },
                  { type: 'text', key: 'resourceType', label: 'Resource type', width: 140 },
                  { type: 'text', key: 'resourceId', label: 'Resource id', width: 180 },
                  {
                    type: 'select',
                    key: 'outcome',
                    label: 'Outcome',
                    width: 130,
                    options: AUDIT_OUTCOMES.map((o) => ({ value: o, label: humanize(o) })),
                  },
                  {
                    type: 'select',
                    key: 'source',
                    label: 'Source',
                    width: 140,
                    options: [
                      { value: 'backoffice', label: 'Backoffice' },
                      { value: 'platform', label: 'Platform' },
                    ],
                  },
                  { type: 'date', key: 'from', label: 'Happened from' },
                  { type: 'date', key: 'to', label: 'Happened until' },
                ]}
              />
            }
            empty={
              <EmptyState
                compact
                title="No audit entry matches"
                description="Widen the dates, or search a shorter part of the action or reason."
              />
            }
          />
          {list.data === undefined || rows.length === 0 ? null : (
            <Flex justify="center" align="center" gap={12} style={{ marginTop: 12 }}>
              <Typography.Text type="secondary">
                {list.hasNextPage
                  ? `Showing the latest ${formatNumber(rows.length)} entries.`
                  : `${plural(rows.length, 'entry', 'entries')}: the whole trail for this filter.`}
              </Typography.Text>
              {list.hasNextPage ? (
                <Button loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
                  Load older entries
                </Button>
              ) : null}
            </Flex>
          )}
        </>
      )}
      <AuditEntryDrawer id={entry} onClose={() => setFilter({ ...filter, entry: undefined })} />
    </>
  );
}
