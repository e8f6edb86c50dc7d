import { ArrowLeftOutlined } from '@ant-design/icons';
import {
  Badge,
  Card,
  PageHeader,
  SaveBar,
  StatusBadge,
  useConfirm,
  useToast,
} from '@backoffice/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Descriptions, Flex, Input, Select, Skeleton } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { staffApi } from '../../api/access.ts';
import type { Staff } from '../../api/types.ts';
import { ME_KEY, useAuth } from '../../auth/AuthProvider.tsx';
import { SessionsTable } from '../../components/SessionsTable.tsx';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { refreshAfterChange } from '../../query.ts';
import { formatAgo, formatDateTime } from '../../format.ts';
import { useRevokeSession } from '../sessions/useRevokeSession.tsx';
import { roleKeys, useRoles } from '../roles/queries.ts';
import { staffKeys, useStaff, useStaffSessions } from './queries.ts';

function RolesEditor({ staff }: { staff: Staff }) {
  const roles = useRoles();
  const queryClient = useQueryClient();
  const toast = useToast();
  const assigned = staff.roles.map((r) => r.id);
  const [draft, setDraft] = useState<string[] | undefined>(undefined);
  const [reason, setReason] = useState('');
  const current = draft ?? assigned;
  const dirty = draft !== undefined && [...draft].sort().join() !== [...assigned].sort().join();
  const save = useMutation({
    mutationFn: () =>
      staffApi.setRoles(staff.id, current, reason.trim() === '' ? undefined : reason.trim()),
    // Role counts, and your own permissions if these are your roles.
    meta: { refreshes: [staffKeys.all, roleKeys.all, ME_KEY] },
    onSuccess: (saved) => {
      queryClient.setQueryData(staffKeys.one(staff.id), saved);
      setDraft(undefined);
      setReason('');
      toast.success('Roles saved', saved.roles.map((r) => r.name).join(', '));
    },
  });
  return (
    <Card title="Roles">
      <Select
        mode="multiple"
        aria-label="Roles"
        style={{ width: '100%' }}
        value={current}
        loading={roles.isLoading}
        optionFilterProp="label"
        options={
          roles.data?.data.map((r) => ({ value: r.id, label: r.name })) ??
          staff.roles.map((r) => ({ value: r.id, label: r.name }))
        }
        onChange={(ids: string[]) => setDraft(ids)}
      />
      <SaveBar
        dirty={dirty}
        saving={save.isPending}
        message="Roles changed"
        saveLabel="Save roles"
        onSave={() => save.mutate()}
        onDiscard={() => {
          setDraft(undefined);
          setReason('');
        }}
      >
        <Input
          aria-label="Reason for the role change"
          placeholder="Reason (recorded in the role history)"
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
      </SaveBar>
    </Card>
  );
}

function StaffSessions({ staffId }: { staffId: string }) {
  const sessions = useStaffSessions(staffId);
  const [revoke, dialog] = useRevokeSession();
  return (
    <Card title="Live sessions">
      {sessions.isError ? (
        <ErrorView error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : (
        <SessionsTable
          label="Live sessions"
          sessions={sessions.data?.data}
          loading={sessions.isFetching}
          onRevoke={revoke}
        />
      )}
      {dialog}
    </Card>
  );
}

export function StaffShow() {
  const { id = '' } = useParams();
  const staff = useStaff(id);
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [confirm, dialog] = useConfirm();

  const back = (
    <Link to="/access/staff">
      <ArrowLeftOutlined aria-hidden /> Staff
    </Link>
  );
  if (staff.isError)
    return (
      <ErrorView
        error={staff.error}
        what="staff account"
        list={{ to: '/access/staff', label: 'Go to the staff accounts' }}
        onRetry={() => void staff.refetch()}
      />
    );
  const data = staff.data;
  if (data === undefined) {
    return (
      <>
        <PageHeader title={<Skeleton.Input active size="small" />} breadcrumb={back} />
        <Skeleton active paragraph={{ rows: 8 }} />
      </>
    );
  }
  const self = me?.user.id === data.id;

  const updated = async (saved: unknown, message: string) => {
    if (saved === null) return;
    toast.success(message);
    await refreshAfterChange(queryClient, [staffKeys.all, staffKeys.sessions()]);
  };

  const toggleStatus = async () => {
    const disabling = data.status === 'active';
    const values = await confirm(
      disabling
        ? {
            title: `Disable ${data.email}?`,
            consequences:
              'They are signed out everywhere at once and cannot sign in until the account is enabled again.',
            confirmLabel: 'Disable account',
            danger: true,
            typedConfirmation: 'DISABLE',
            reason: 'required',
            action: (v) => staffApi.setStatus(data.id, 'disabled', v.reason),
          }
        : {
            title: `Enable ${data.email}?`,
            consequences: 'They can sign in again with their password.',
            confirmLabel: 'Enable account',
            reason: 'required',
            action: (v) => staffApi.setStatus(data.id, 'active', v.reason),
          },
    );
    await updated(values, disabling ? 'Account disabled' : 'Account enabled');
  };

  const resetMfa = async () => {
    const values = await confirm({
      title: `Reset two-factor authentication of ${data.email}?`,
      consequences:
        'Their authenticator and recovery codes stop working and their sessions end. They set up a new authenticator at their next sign-in.',
      confirmLabel: 'Reset two-factor',
      danger: true,
      reason: 'required',
      action: (v) => staffApi.resetMfa(data.id, v.reason ?? ''),
    });
    await updated(values, 'Two-factor authentication reset');
  };

  return (
    <>
      <PageHeader
        breadcrumb={back}
        title={data.name ?? data.email}
        subtitle={data.email}
        actions={
          <>
            <Button onClick={() => void resetMfa()} disabled={!data.mfaEnrolled}>
              Reset two-factor
            </Button>
            <Button
              danger={data.status === 'active'}
              disabled={self}
              title={self ? 'You cannot disable your own account' : undefined}
              onClick={() => void toggleStatus()}
            >
              {data.status === 'active' ? 'Disable account' : 'Enable account'}
            </Button>
          </>
        }
      />
      <Flex vertical gap={16}>
        <Card title="Account">
          <Descriptions
            column={{ xs: 1, md: 2 }}
            items={[
              { key: 'status', label: 'Status', children: <StatusBadge status={data.status} /> },
              {
                key: 'mfa',
                label: 'Two-factor',
                children: data.mfaEnrolled ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>,
              },
              { key: 'provider', label: 'Sign-in', children: data.provider },
              {
                key: 'last',
                label: 'Last sign-in',
                children: (
                  <span title={formatDateTime(data.lastLoginAt)}>
                    {formatAgo(data.lastLoginAt)}
                  </span>
                ),
              },
              { key: 'created', label: 'Created', children: formatDateTime(data.createdAt) },
            ]}
          />
        </Card>
        <RolesEditor key={data.roles.map((r) => r.id).join()} staff={data} />
        <StaffSessions staffId={data.id} />
      </Flex>
      {dialog}
    </>
  );
}
