import { Badge, Card, PageHeader, useConfirm, useToast } from '@backoffice/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Descriptions, Flex, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { authApi } from '../../api/auth.ts';
import { ME_KEY, OWN_SESSIONS, useAuth } from '../../auth/AuthProvider.tsx';
import { ChangePasswordForm } from '../../auth/ChangePasswordForm.tsx';
import { RecoveryCodes } from '../../auth/RecoveryCodes.tsx';
import { SessionsTable } from '../../components/SessionsTable.tsx';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { formatDateTime } from '../../format.ts';
import { refreshAfterChange } from '../../query.ts';
import { staffKeys } from '../staff/queries.ts';

function TwoFactor() {
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [confirm, dialog] = useConfirm();
  const [codes, setCodes] = useState<string[] | undefined>(undefined);
  const navigate = useNavigate();
  const enrolled = me?.mfa.enrolled === true;
  const required = me?.mfa.required === true;

  const disable = async () => {
    const values = await confirm({
      title: 'Turn off two-factor authentication?',
      consequences:
        'Signing in will need only your password. Your authenticator and recovery codes stop working.',
      confirmLabel: 'Turn off',
      danger: true,
      totp: true,
      action: (v) => authApi.disableTotp(v.totp ?? ''),
    });
    if (values === null) return;
    toast.success('Two-factor authentication is off');
    await refreshAfterChange(queryClient, [ME_KEY]);
  };

  const regenerate = async () => {
    let fresh: string[] | undefined;
    const values = await confirm({
      title: 'Replace your recovery codes?',
      consequences: 'The codes you have now stop working; you get ten new ones.',
      confirmLabel: 'Replace codes',
      totp: true,
      action: async (v) => {
        fresh = (await authApi.regenerateRecoveryCodes(v.totp ?? '')).recoveryCodes;
      },
    });
    if (values !== null && fresh !== undefined) setCodes(fresh);
  };

  return (
    <Card title="Two-factor authentication">
      <Flex justify="space-between" align="center" wrap gap={12}>
        <div>
          {enrolled ? <Badge tone="success">On</Badge> : <Badge tone="warning">Off</Badge>}{' '}
          <Typography.Text type="secondary">
            {required ? 'Your role requires it.' : 'An authenticator code at each sign-in.'}
            {me?.mfa.verifiedAt === null || me?.mfa.verifiedAt === undefined
              ? ''
              : ` Last verified in this session ${formatDateTime(me.mfa.verifiedAt)}.`}
          </Typography.Text>
        </div>
        <Flex gap={8} wrap>
          {enrolled ? (
            <>
              <Button onClick={() => void regenerate()}>New recovery codes</Button>
              {required ? null : (
                <Button danger onClick={() => void disable()}>
                  Turn off
                </Button>
              )}
            </>
          ) : (
            <Button type="primary" onClick={() => void navigate('/account/mfa')}>
              Set up
            </Button>
          )}
        </Flex>
      </Flex>
      <Modal open={codes !== undefined} title="New recovery codes" footer={null} closable={false}>
        {codes === undefined ? null : (
          <RecoveryCodes codes={codes} continueLabel="Done" onSaved={() => setCodes(undefined)} />
        )}
      </Modal>
      {dialog}
    </Card>
  );
}

function OwnSessions() {
  const sessions = useQuery({ queryKey: OWN_SESSIONS, queryFn: () => authApi.sessions() });
  const toast = useToast();
  const revoke = useMutation({
    mutationFn: (id: string) => authApi.revokeSession(id),
    meta: { refreshes: [OWN_SESSIONS, staffKeys.sessions()] },
    onSuccess: () => toast.success('Session ended'),
  });
  const [confirm, dialog] = useConfirm();
  return (
    <Card title="Your sessions">
      {sessions.isError ? (
        <ErrorView error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : (
        <SessionsTable
          label="Your sessions"
          sessions={sessions.data?.data}
          loading={sessions.isFetching}
          onRevoke={(session) =>
            void confirm({
              title: 'Sign out that device?',
              consequences: 'The session ends at once; signing in there again needs your password.',
              confirmLabel: 'Revoke session',
              danger: true,
              action: () => revoke.mutateAsync(session.id),
            })
          }
        />
      )}
      {dialog}
    </Card>
  );
}

/** The signed-in person's own account: who they are, password, second factor, sessions. */
export function AccountPage() {
  const { me } = useAuth();
  if (me === undefined) return <ErrorView error={new Error('Not signed in')} />;
  const builtin = me.provider === 'builtin';
  return (
    <>
      <PageHeader title="Your account" subtitle={me.user.email} />
      <Flex vertical gap={16}>
        <Card title="Profile">
          <Descriptions
            column={{ xs: 1, md: 2 }}
            items={[
              { key: 'name', label: 'Name', children: me.user.name ?? '—' },
              { key: 'email', label: 'Email', children: me.user.email },
              { key: 'roles', label: 'Roles', children: me.user.roles.join(', ') },
              { key: 'provider', label: 'Signed in with', children: me.provider },
              {
                key: 'since',
                label: 'This session since',
                children: formatDateTime(me.session.createdAt),
              },
              { key: 'until', label: 'Expires', children: formatDateTime(me.session.expiresAt) },
            ]}
          />
        </Card>
        {builtin ? (
          <Card title="Password">
            <div style={{ maxWidth: 420 }}>
              <ChangePasswordForm />
            </div>
          </Card>
        ) : null}
        {builtin ? <TwoFactor /> : null}
        <OwnSessions />
      </Flex>
    </>
  );
}
