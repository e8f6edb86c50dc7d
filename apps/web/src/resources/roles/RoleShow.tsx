import { ArrowLeftOutlined, DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { Badge, PageHeader, useConfirm, useToast } from '@backoffice/ui';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Skeleton, Tabs, Tooltip } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { rolesApi } from '../../api/access.ts';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { refreshAfterChange } from '../../query.ts';
import { PermissionMatrix } from './PermissionMatrix.tsx';
import { roleKeys, useRole } from './queries.ts';
import { RoleFormDialog } from './RoleFormDialog.tsx';
import { RoleHistory } from './RoleHistory.tsx';

export function RoleShow() {
  const { id = '' } = useParams();
  const role = useRole(id);
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'history' ? 'history' : 'permissions';
  const [editing, setEditing] = useState(false);
  const [confirm, confirmDialog] = useConfirm();
  const queryClient = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();

  if (role.isError)
    return (
      <ErrorView
        error={role.error}
        what="role"
        list={{ to: '/access/roles', label: 'Go to the roles' }}
        onRetry={() => void role.refetch()}
      />
    );
  const data = role.data;
  const back = (
    <Link to="/access/roles">
      <ArrowLeftOutlined aria-hidden /> Roles
    </Link>
  );
  if (data === undefined) {
    return (
      <>
        <PageHeader title={<Skeleton.Input active size="small" />} breadcrumb={back} />
        <Skeleton active paragraph={{ rows: 8 }} />
      </>
    );
  }

  const remove = async () => {
    const values = await confirm({
      title: `Delete the role ${data.name}?`,
      consequences:
        'The role and its permissions are removed. Its history is kept. This cannot be undone.',
      confirmLabel: 'Delete role',
      danger: true,
      typedConfirmation: 'DELETE',
      reason: 'optional',
      action: (v) => rolesApi.remove(data.id, v.reason),
    });
    if (values === null) return;
    toast.success(`Role ${data.name} deleted`);
    queryClient.removeQueries({ queryKey: roleKeys.one(data.id) });
    await refreshAfterChange(queryClient, [roleKeys.list()]);
    await navigate('/access/roles', { replace: true });
  };

  const deleteBlocked = data.staffCount > 0;
  return (
    <>
      <PageHeader
        breadcrumb={back}
        title={
          <>
            {data.name} {data.builtin ? <Badge tone="info">Built-in</Badge> : null}
          </>
        }
        subtitle={data.description === '' ? undefined : data.description}
        actions={
          data.builtin ? undefined : (
            <>
              <Button icon={<EditOutlined aria-hidden />} onClick={() => setEditing(true)}>
                Rename
              </Button>
              <Tooltip
                title={
                  deleteBlocked
                    ? `${data.staffCount} staff account(s) hold this role: unassign it first`
                    : undefined
                }
              >
                <Button
                  danger
                  icon={<DeleteOutlined aria-hidden />}
                  disabled={deleteBlocked}
                  onClick={() => void remove()}
                >
                  Delete
                </Button>
              </Tooltip>
            </>
          )
        }
      />
      <Tabs
        activeKey={tab}
        onChange={(key) =>
          setParams(key === 'history' ? { tab: 'history' } : {}, { replace: true })
        }
        items={[
          { key: 'permissions', label: 'Permissions', children: <PermissionMatrix role={data} /> },
          { key: 'history', label: 'History', children: <RoleHistory roleId={data.id} /> },
        ]}
      />
      <RoleFormDialog open={editing} role={data} onClose={() => setEditing(false)} />
      {confirmDialog}
    </>
  );
}
