import { USER_SORTS, USER_STATES } from '@backoffice/contracts';
import {
  DataTable,
  EmptyState,
  FilterToolbar,
  PageHeader,
  type DataTableColumn,
  type SortState,
} from '@backoffice/ui';
import { Typography } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useRuns } from '../../auth/AuthProvider.tsx';
import type { UserFilter, UserListItem, UserSort } from '../../api/types.ts';
import { usersApi } from '../../api/users.ts';
import { ExportButtons } from '../../components/ExportButtons.tsx';
import { MaskedText } from '../../components/PayloadView.tsx';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { dayToIso, formatAgo, formatDateTime, formatNumber } from '../../format.ts';
import { IgnoredFilters } from '../../components/IgnoredFilters.tsx';
import {
  anyText,
  calendarDay,
  integerIn,
  oneOf,
  useListState,
  type FilterFields,
} from '../../hooks/useListState.ts';
import { useBulkActions } from './BulkActions.tsx';
import { useUserList } from './queries.ts';
import { UserState } from './UserState.tsx';

type Filter = {
  q?: string;
  state?: string;
  role?: string;
  registeredFrom?: string;
  registeredTo?: string;
  activeWithinDays?: string;
  hasActiveSession?: string;
  sort?: string;
};

/** The server's default order. */
const DEFAULT_SORT: UserSort = '-createdAt';

const STATES = USER_STATES;
const ROLES = ['Customer', 'Staff', 'Admin'] as const;

const FILTERS: FilterFields<Filter> = {
  q: anyText,
  state: oneOf(STATES),
  role: oneOf(ROLES),
  registeredFrom: calendarDay,
  registeredTo: calendarDay,
  activeWithinDays: integerIn(1, 3650),
  hasActiveSession: oneOf(['true', 'false']),
  sort: oneOf(USER_SORTS),
};

/** The URL's filter as the API takes it; what a hand-edited URL gets wrong is left out. */
export function apiFilter(filter: Filter): UserFilter {
  const state = STATES.find((s) => s === filter.state);
  const role = ROLES.find((r) => r === filter.role);
  const days = Number.parseInt(filter.activeWithinDays ?? '', 10);
  const sort = USER_SORTS.find((s) => s === filter.sort);
  const from = dayToIso(filter.registeredFrom, 'start');
  const to = dayToIso(filter.registeredTo, 'end');
  const q = filter.q?.trim();
  return {
    ...(q === undefined || q === '' ? {} : { q: q.slice(0, 320) }),
    ...(state === undefined ? {} : { state }),
    ...(role === undefined ? {} : { role }),
    ...(from === undefined ? {} : { registeredFrom: from }),
    ...(to === undefined ? {} : { registeredTo: to }),
    ...(Number.isInteger(days) && days >= 1 && days <= 3650 ? { activeWithinDays: days } : {}),
    ...(filter.hasActiveSession === 'true' || filter.hasActiveSession === 'false'
      ? { hasActiveSession: filter.hasActiveSession }
      : {}),
    ...(sort === undefined ? {} : { sort }),
  };
}

export function sortStateOf(sort: UserSort): SortState {
  return sort.startsWith('-') ? { key: sort.slice(1), order: 'desc' } : { key: sort, order: 'asc' };
}

function sortOf(state: SortState | undefined): UserSort | undefined {
  if (state === undefined) return undefined;
  const sort = `${state.order === 'desc' ? '-' : ''}${state.key}`;
  return USER_SORTS.find((s) => s === sort);
}

const columns: DataTableColumn<UserListItem>[] = [
  {
    key: 'email',
    title: 'Email',
    sortable: true,
    render: (u) => (
      <Link to={`/users/${u.id}`}>
        {u.email === '' ? `User ${u.id.slice(0, 8)}` : <MaskedText value={u.email} />}
      </Link>
    ),
  },
  {
    key: 'name',
    title: 'Name',
    value: (u) => u.name ?? '',
    render: (u) => <MaskedText value={u.name} />,
  },
  { key: 'role', title: 'Role' },
  {
    key: 'state',
    title: 'State',
    value: (u) => (u.pending ? `${u.state} (pending)` : u.state),
    render: (u) => <UserState user={u} />,
  },
  {
    key: 'createdAt',
    title: 'Registered',
    sortable: true,
    value: (u) => formatDateTime(u.createdAt),
  },
  {
    key: 'lastLoginAt',
    title: 'Last sign-in',
    sortable: true,
    value: (u) => formatDateTime(u.lastLoginAt),
    render: (u) => <span title={formatDateTime(u.lastLoginAt)}>{formatAgo(u.lastLoginAt)}</span>,
  },
  { key: 'activeSessions', title: 'Sessions', align: 'right' },
  {
    key: 'totalTransactions',
    title: 'Transactions',
    align: 'right',
    value: (u) => formatNumber(u.totalTransactions),
  },
  { key: 'totalBudgets', title: 'Budgets', align: 'right', hiddenByDefault: true },
  {
    key: 'lastActivityAt',
    title: 'Last activity',
    hiddenByDefault: true,
    value: (u) => formatDateTime(u.lastActivityAt),
  },
  { key: 'id', title: 'User ID', hiddenByDefault: true },
];

/** How many users match, as the server counted them: exactly, about, or more than (a search). */
function matchCount(list: {
  total: number;
  totalIsEstimate: boolean;
  totalIsLowerBound: boolean;
}): string {
  const users = list.total === 1 && !list.totalIsLowerBound ? 'user matches' : 'users match';
  const how = list.totalIsLowerBound ? 'More than ' : list.totalIsEstimate ? 'About ' : '';
  return `${how}${formatNumber(list.total)} ${users}.`;
}

/** Search customers (email, id or name), filter, sort, select for bulk actions, export. */
export function UserList() {
  const { filter, rejected, page, limit, setFilter, setPage } = useListState<Filter>(FILTERS);
  const runs = useRuns();
  // The counts of features this instance runs (Virtual Pet alone has no transactions or budgets).
  const shownColumns = useMemo(
    () =>
      columns.filter(
        (c) =>
          (c.key !== 'totalTransactions' || runs('transactions')) &&
          (c.key !== 'totalBudgets' || runs('budgets')),
      ),
    [runs],
  );
  const query = apiFilter(filter);
  const list = useUserList(query, page, limit);
  const [selected, setSelected] = useState<string[]>([]);
  // The emails of the users seen, to name the selected ones in the bulk results.
  const seen = useRef(new Map<string, string>());
  for (const user of list.data?.data ?? [])
    seen.current.set(user.id, user.email === '' ? user.id : user.email);
  const bulk = useBulkActions({ names: seen.current, setSelected });
  const sort = useMemo(() => sortStateOf(query.sort ?? DEFAULT_SORT), [query.sort]);

  return (
    <>
      <PageHeader
        title="Users"
        subtitle={
          list.data === undefined
            ? 'The platform’s customers, from the read model.'
            : matchCount(list.data)
        }
      />
      <IgnoredFilters rejected={rejected} />
      {list.isError ? (
        <ErrorView error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <DataTable<UserListItem>
          label="Users"
          columns={shownColumns}
          rowKey={(u) => u.id}
          result={list.data}
          loading={list.isFetching}
          sort={sort}
          onSortChange={(next) => {
            const value = sortOf(next);
            setFilter({ ...filter, sort: value === DEFAULT_SORT ? undefined : value });
          }}
          onPageChange={setPage}
          selection={{
            selectedKeys: selected,
            onChange: setSelected,
            rowLabel: (u) => (u.email === '' ? u.id : u.email),
            actions: bulk.buttons,
          }}
          toolbar={
            <FilterToolbar<Filter>
              value={filter}
              onChange={setFilter}
              search={{
                key: 'q',
                label: 'Search users',
                placeholder: 'Email, name or user ID',
              }}
              filters={[
                {
                  type: 'select',
                  key: 'state',
                  label: 'State',
                  width: 120,
                  // Disabled exists where the account switch runs (the Virtual Pet pack).
                  options: STATES.filter((s) => s !== 'Disabled' || runs('accounts')).map((s) => ({
                    value: s,
                    label: s,
                  })),
                },
                {
                  type: 'select',
                  key: 'role',
                  label: 'Role',
                  width: 120,
                  options: ROLES.map((r) => ({ value: r, label: r })),
                },
                { type: 'date', key: 'registeredFrom', label: 'Registered from' },
                { type: 'date', key: 'registeredTo', label: 'Registered until' },
                {
                  type: 'select',
                  key: 'activeWithinDays',
                  label: 'Active within',
                  width: 150,
                  options: [
                    { value: '1', label: 'Last 24 hours' },
                    { value: '7', label: 'Last 7 days' },
                    { value: '30', label: 'Last 30 days' },
                    { value: '90', label: 'Last 90 days' },
                  ],
                },
                {
                  type: 'select',
                  key: 'hasActiveSession',
                  label: 'Active session',
                  width: 150,
                  options: [
                    { value: 'true', label: 'Signed in now' },
                    { value: 'false', label: 'Not signed in' },
                  ],
                },
              ]}
              actions={
                <ExportButtons
                  title="Users exported"
                  disabled={list.data === undefined || list.data.total === 0}
                  run={(format) => usersApi.export(query, format)}
                />
              }
            />
          }
          empty={
            <EmptyState
              compact
              title="No user matches"
              description={
                <Typography.Text type="secondary">
                  Search by the whole email, part of the name, or the user ID.
                </Typography.Text>
              }
            />
          }
        />
      )}
      {bulk.dialogs}
    </>
  );
}
