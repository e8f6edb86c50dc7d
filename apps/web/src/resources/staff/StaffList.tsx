import { PlusOutlined } from '@ant-design/icons';
import {
  Badge,
  DataTable,
  EmptyState,
  FilterToolbar,
  PageHeader,
  StatusBadge,
  fetchAllPages,
  type DataTableColumn,
} from '@backoffice/ui';
import { Button } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { staffApi } from '../../api/access.ts';
import type { Staff, StaffFilter } from '../../api/types.ts';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { formatAgo, formatDateTime } from '../../format.ts';
import { IgnoredFilters } from '../../components/IgnoredFilters.tsx';
import { anyText, oneOf, useListState, type FilterFields } from '../../hooks/useListState.ts';
import { useRoles } from '../roles/queries.ts';
import { CreateStaffDialog } from './CreateStaffDialog.tsx';
import { useStaffList } from './queries.ts';

type Filter = { search?: string; status?: string; role?: string };
const FILTERS: FilterFields<Filter> = {
  search: anyText,
  status: oneOf(['active', 'disabled']),
  role: anyText,
};

const columns: DataTableColumn<Staff>[] = [
  {
    key: 'email',
    title: 'Email',
    render: (s) => <Link to={`/access/staff/${s.id}`}>{s.email}</Link>,
  },
  { key: 'name', title: 'Name', value: (s) => s.name ?? '' },
  {
    key: 'status',
    title: 'Status',
    render: (s) => <StatusBadge status={s.status} />,
  },
  {
    key: 'roles',
    title: 'Roles',
    value: (s) => s.roles.map((r) => r.name).join(', '),
  },
  {
    key: 'mfaEnrolled',
    title: 'Two-factor',
    value: (s) => (s.mfaEnrolled ? 'On' : 'Off'),
    render: (s) => (s.mfaEnrolled ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>),
  },
  {
    key: 'lastLoginAt',
    title: 'Last sign-in',
    value: (s) => formatDateTime(s.lastLoginAt),
    render: (s) => <span title={formatDateTime(s.lastLoginAt)}>{formatAgo(s.lastLoginAt)}</span>,
  },
  { key: 'provider', title: 'Provider', hiddenByDefault: true },
  {
    key: 'createdAt',
    title: 'Created',
    value: (s) => formatDateTime(s.createdAt),
    hiddenByDefault: true,
  },
];

/** The URL's filter as the API takes it (an unknown status from a hand-edited URL is ignored). */
function apiFilter(filter: Filter): StaffFilter {
  const status =
    filter.status === 'active' || filter.status === 'disabled' ? filter.status : undefined;
  return {
    ...(filter.search === undefined ? {} : { search: filter.search }),
    ...(status === undefined ? {} : { status }),
    ...(filter.role === undefined ? {} : { role: filter.role }),
  };
}

export function StaffList() {
  const { filter, rejected, page, limit, setFilter, setPage } = useListState<Filter>(FILTERS);
  const query = apiFilter(filter);
  const list = useStaffList(query, page, limit);
  const roles = useRoles();
  const [creating, setCreating] = useState(false);

  return (
    <>
      <PageHeader
        title="Staff"
        subtitle="Who can sign in to the backoffice, with which roles."
        actions={
          <Button
            type="primary"
            icon={<PlusOutlined aria-hidden />}
            onClick={() => setCreating(true)}
          >
            New staff account
          </Button>
        }
      />
      <IgnoredFilters rejected={rejected} />
      {list.isError ? (
        <ErrorView error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <DataTable<Staff>
          label="Staff accounts"
          columns={columns}
          rowKey={(s) => s.id}
          result={list.data}
          loading={list.isFetching}
          onPageChange={setPage}
          toolbar={
            <FilterToolbar<Filter>
              value={filter}
              onChange={setFilter}
              search={{ key: 'search', label: 'Search staff', placeholder: 'Search email or name' }}
              filters={[
                {
                  type: 'select',
                  key: 'status',
                  label: 'Status',
                  options: [
                    { value: 'active', label: 'Active' },
                    { value: 'disabled', label: 'Disabled' },
                  ],
                },
                {
                  type: 'select',
                  key: 'role',
                  label: 'Role',
                  options: roles.data?.data.map((r) => ({ value: r.name, label: r.name })) ?? [],
                },
              ]}
            />
          }
          exportCsv={{
            fileName: 'staff.csv',
            fetchRows: () =>
              fetchAllPages((p, l) => staffApi.list(query, { page: p, limit: l }), { limit: 100 }),
          }}
          empty={<EmptyState compact title="No staff account matches" />}
        />
      )}
      <CreateStaffDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
