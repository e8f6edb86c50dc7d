import { PlusOutlined } from '@ant-design/icons';
import { Badge, DataTable, EmptyState, PageHeader, type DataTableColumn } from '@backoffice/ui';
import { Button } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Role } from '../../api/types.ts';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { formatDateTime } from '../../format.ts';
import { useRoles } from './queries.ts';
import { RoleFormDialog } from './RoleFormDialog.tsx';

const columns: DataTableColumn<Role>[] = [
  {
    key: 'name',
    title: 'Name',
    render: (role) => <Link to={`/access/roles/${role.id}`}>{role.name}</Link>,
  },
  { key: 'description', title: 'Description' },
  {
    key: 'builtin',
    title: 'Type',
    value: (role) => (role.builtin ? 'Built-in' : 'Custom'),
    render: (role) =>
      role.builtin ? <Badge tone="info">Built-in</Badge> : <Badge tone="neutral">Custom</Badge>,
  },
  {
    key: 'grants',
    title: 'Permissions',
    value: (role) => (role.grants.includes('*') ? 'All' : role.grants.join(' ')),
    render: (role) => (role.grants.includes('*') ? 'All' : role.grants.length.toLocaleString()),
  },
  { key: 'staffCount', title: 'Staff', align: 'right' },
  { key: 'updatedAt', title: 'Updated', value: (role) => formatDateTime(role.updatedAt) },
];

export function RoleList() {
  const roles = useRoles();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);

  if (roles.isError) return <ErrorView error={roles.error} onRetry={() => void roles.refetch()} />;
  const data = roles.data?.data;
  return (
    <>
      <PageHeader
        title="Roles"
        subtitle="What each role may do. Assign roles to staff accounts under Staff."
        actions={
          <Button
            type="primary"
            icon={<PlusOutlined aria-hidden />}
            onClick={() => setCreating(true)}
          >
            New role
          </Button>
        }
      />
      <DataTable<Role>
        label="Roles"
        columns={columns}
        rowKey={(role) => role.id}
        result={
          data === undefined ? undefined : { data, page: 1, limit: data.length, total: data.length }
        }
        loading={roles.isFetching}
        empty={<EmptyState compact title="No roles" />}
      />
      <RoleFormDialog
        open={creating}
        onClose={(saved) => {
          setCreating(false);
          if (saved !== undefined) void navigate(`/access/roles/${saved.id}`);
        }}
      />
    </>
  );
}
