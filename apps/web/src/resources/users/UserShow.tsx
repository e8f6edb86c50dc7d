import { ArrowLeftOutlined } from '@ant-design/icons';
import { USER_STATE_TARGETS, type UserStateAction } from '@backoffice/contracts';
import { PageHeader, useConfirm, useToast } from '@backoffice/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Skeleton, Tabs, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { UserDetail } from '../../api/types.ts';
import { usersApi } from '../../api/users.ts';
import { useCanAccess, useRuns } from '../../auth/AuthProvider.tsx';
import { MaskedText } from '../../components/PayloadView.tsx';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { refreshAfterChange } from '../../query.ts';
import { formatDateTime, isMasked, plural } from '../../format.ts';
import { IgnoredFilters } from '../../components/IgnoredFilters.tsx';
import { calendarDay, useListState, type FilterFields } from '../../hooks/useListState.ts';
import { EditUserDialog } from './EditUserDialog.tsx';
import { showUnconfirmed, userKeys, useUser } from './queries.ts';
import { DeclaredTable, useResourcesAboutUsers } from '../declared/DeclaredTable.tsx';
import { AuditTab, BudgetsTab, ProfileTab, SessionsTab } from './UserTabs.tsx';
import { UserState } from './UserState.tsx';
import { UserTransactions, type TransactionsFilter } from './UserTransactions.tsx';

const TABS = ['profile', 'transactions', 'budgets', 'sessions', 'audit'] as const;
/** Declared resources with a tab of their own here, shown from the 360° query instead. */
const SHOWN_AS_TABS: ReadonlySet<string> = new Set(['budgets']);
const TAB_FILTERS: FilterFields<TransactionsFilter> = {
  // One of TABS, or a declared resource about users (pets, payments, sign-ins…: known once described).
  tab: (raw) =>
    /^[a-z][a-z0-9-]*$/.test(raw.trim().toLowerCase()) ? raw.trim().toLowerCase() : undefined,
  from: calendarDay,
  to: calendarDay,
};

const DONE = {
  block: ['User blocked', 'blocked'],
  unblock: ['User unblocked', 'active'],
  disable: ['Account disabled', 'disabled'],
  enable: ['Account enabled', 'enabled'],
} as const;

/** What each state change asks before it is done. */
const CONFIRMATIONS = {
  block: {
    verb: 'Block',
    consequences:
      'The User Service blocks the account: they cannot sign in and their sessions end.',
    confirmLabel: 'Block user',
    danger: true,
    typedConfirmation: 'BLOCK',
  },
  unblock: {
    verb: 'Unblock',
    consequences: 'They can sign in again.',
    confirmLabel: 'Unblock user',
  },
  disable: {
    verb: 'Disable the account of',
    consequences:
      'The User Service disables the account: they cannot sign in and their sessions end, until it is enabled again.',
    confirmLabel: 'Disable account',
    danger: true,
    typedConfirmation: 'DISABLE',
  },
  enable: {
    verb: 'Enable the account of',
    consequences: 'They can sign in again.',
    confirmLabel: 'Enable account',
  },
} as const;

/**
 * Blocking, unblocking, disabling and enabling, shown at once (optimistically: the state changes,
 * marked pending) and rolled back if the User Service refuses or cannot be reached.
 */
function useStateChange(user: UserDetail | undefined) {
  const queryClient = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: ({ action, reason }: { action: UserStateAction; reason: string }) =>
      usersApi.setState(user?.id ?? '', action, reason),
    meta: { refreshes: [userKeys.all] },
    onMutate: async ({ action }) => {
      if (user === undefined) return { previous: undefined };
      const key = userKeys.one(user.id);
      await queryClient.cancelQueries({ queryKey: key });
      const previous = queryClient.getQueryData<UserDetail>(key);
      if (previous !== undefined) {
        queryClient.setQueryData<UserDetail>(key, {
          ...previous,
          state: USER_STATE_TARGETS[action],
          pending: true,
          pendingSince: new Date().toISOString(),
        });
      }
      return { previous };
    },
    onError: (_error, _variables, context) => {
      if (user !== undefined && context?.previous !== undefined)
        queryClient.setQueryData(userKeys.one(user.id), context.previous);
    },
    onSuccess: (result, { action }) => {
      const [done, already] = DONE[action];
      if (!result.changed) toast.info(`Nothing to do: the user was ${already} already`);
      else toast.success(done);
    },
  });
}

/** A reveal ends on the server at `until`: read the user again then, to show it masked again. */
function useRefreshWhenRevealEnds(userId: string | undefined, until: string | null | undefined) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (userId === undefined || until == null) return;
    const timer = setTimeout(
      () => void queryClient.invalidateQueries({ queryKey: userKeys.one(userId) }),
      Math.max(0, Date.parse(until) - Date.now()) + 1_000,
    );
    return () => clearTimeout(timer);
  }, [queryClient, userId, until]);
}

const REVEAL_REASON_MIN = 10;

/** One user: profile, transactions, budgets, sessions and audit, with the support actions. */
export function UserShow() {
  const { id = '' } = useParams();
  const user = useUser(id);
  const canAccess = useCanAccess();
  const runs = useRuns();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [confirm, dialog] = useConfirm();
  const [editing, setEditing] = useState(false);
  const list = useListState<TransactionsFilter>(TAB_FILTERS);
  const stateChange = useStateChange(user.data);
  useRefreshWhenRevealEnds(user.data?.id, user.data?.piiRevealedUntil);
  const aboutUser = useResourcesAboutUsers(SHOWN_AS_TABS);

  const back = (
    <Link to="/users">
      <ArrowLeftOutlined aria-hidden /> Users
    </Link>
  );
  if (user.isError)
    return (
      <ErrorView
        error={user.error}
        what="user"
        list={{ to: '/users', label: 'Go to the users' }}
        onRetry={() => void user.refetch()}
      />
    );
  const data = user.data;
  if (data === undefined) {
    return (
      <>
        <PageHeader title={<Skeleton.Input active size="small" />} breadcrumb={back} />
        <Skeleton active paragraph={{ rows: 10 }} />
      </>
    );
  }

  const who = data.email === '' ? data.id : data.email;
  // What the state allows: a blocked user is unblocked, a disabled account enabled; an active one
  // blocked or (where the account switch runs) disabled.
  const stateActions: UserStateAction[] =
    data.state === 'Blocked'
      ? ['unblock']
      : data.state === 'Disabled'
        ? ['enable']
        : runs('accounts')
          ? ['disable', 'block']
          : ['block'];

  const changeState = async (action: UserStateAction) => {
    const { verb, ...asked } = CONFIRMATIONS[action];
    const values = await confirm({ ...asked, title: `${verb} ${who}?`, reason: 'required' });
    if (values === null) return;
    stateChange.mutate({ action, reason: values.reason ?? '' });
  };

  const forceLogout = async () => {
    let ended = 0;
    const values = await confirm({
      title: `Sign ${who} out everywhere?`,
      consequences: 'Every session of this user ends at once; they must sign in again.',
      confirmLabel: 'Force logout',
      danger: true,
      reason: 'optional',
      action: async (v) => {
        ended = (await usersApi.forceLogout(data.id, v.reason)).ended;
      },
    });
    if (values === null) return;
    toast.success('Signed out everywhere', `${plural(ended, 'session')} ended.`);
    if (ended > 0) showUnconfirmed(queryClient, data.id, { activeSessions: 0 });
    await refreshAfterChange(queryClient, [userKeys.all]);
  };

  const canReveal =
    canAccess('users', 'reveal_pii') &&
    data.piiRevealedUntil === null &&
    (isMasked(data.email) || isMasked(data.name));
  const reveal = async () => {
    let until = '';
    const values = await confirm({
      title: `Reveal this user’s personal data?`,
      consequences:
        'You will see their email, name and addresses for a limited time. Your justification is ' +
        'recorded in the audit trail, on this user’s audit tab.',
      confirmLabel: 'Reveal',
      reason: 'required',
      reasonLabel: 'Justification',
      reasonMinLength: REVEAL_REASON_MIN,
      action: async (v) => {
        const result = await usersApi.reveal(data.id, v.reason ?? '');
        queryClient.setQueryData(userKeys.one(data.id), result.user);
        until = result.revealedUntil;
      },
    });
    if (values === null) return;
    toast.success('Personal data revealed', `Until ${formatDateTime(until)}.`);
    await refreshAfterChange(queryClient, [userKeys.all]);
  };

  // Tabs of features this instance runs (Virtual Pet alone has no transactions or budgets).
  const showTransactions = runs('transactions') && canAccess('transactions', 'read');
  const showBudgets = runs('budgets');
  const tabs = [
    ...TABS.filter(
      (t) => (t !== 'transactions' || showTransactions) && (t !== 'budgets' || showBudgets),
    ),
    ...aboutUser.map(({ resource }) => resource.name),
  ];
  const tab = tabs.find((t) => t === list.filter.tab) ?? 'profile';

  return (
    <>
      <PageHeader
        breadcrumb={back}
        title={
          <MaskedText
            value={data.name ?? (data.email === '' ? `User ${data.id.slice(0, 8)}` : data.email)}
          />
        }
        subtitle={
          <span>
            <MaskedText value={data.email} /> <UserState user={data} />
            {data.piiRevealedUntil === null ? null : (
              <Tag color="gold">Revealed to you until {formatDateTime(data.piiRevealedUntil)}</Tag>
            )}
          </span>
        }
        actions={
          <>
            {canReveal ? <Button onClick={() => void reveal()}>Reveal</Button> : null}
            {canAccess('users', 'write') ? (
              <Button onClick={() => setEditing(true)}>Edit profile</Button>
            ) : null}
            {canAccess('users', 'sessions') ? (
              <Button onClick={() => void forceLogout()}>Force logout</Button>
            ) : null}
            {canAccess('users', 'block')
              ? stateActions.map((action) => {
                  const undoes = action === 'unblock' || action === 'enable';
                  return (
                    <Button
                      key={action}
                      danger={!undoes}
                      type={undoes ? 'primary' : 'default'}
                      loading={stateChange.isPending && stateChange.variables.action === action}
                      disabled={stateChange.isPending}
                      onClick={() => void changeState(action)}
                    >
                      {CONFIRMATIONS[action].confirmLabel}
                    </Button>
                  );
                })
              : null}
          </>
        }
      />
      <IgnoredFilters rejected={list.rejected} />
      <Tabs
        activeKey={tab}
        onChange={(key) => list.setFilter(key === 'profile' ? {} : { tab: key })}
        items={[
          { key: 'profile', label: 'Profile', children: <ProfileTab user={data} /> },
          ...(showTransactions
            ? [
                {
                  key: 'transactions',
                  label: 'Transactions',
                  children: <UserTransactions userId={data.id} list={list} />,
                },
              ]
            : []),
          ...(showBudgets
            ? [
                {
                  key: 'budgets',
                  label: `Budgets (${data.budgets.length})`,
                  children: <BudgetsTab budgets={data.budgets} />,
                },
              ]
            : []),
          ...aboutUser.map(({ resource, field }) => ({
            key: resource.name,
            label: resource.title,
            children: <DeclaredTable resource={resource} filter={{ [field]: data.id }} />,
          })),
          {
            key: 'sessions',
            label: 'Sessions',
            children: <SessionsTab userId={data.id} pending={data.pending} />,
          },
          {
            key: 'audit',
            label: 'Audit',
            children: (
              <AuditTab
                userId={data.id}
                entries={data.recentAudit}
                canOpenAudit={canAccess('audit', 'read')}
              />
            ),
          },
        ]}
      />
      {editing ? <EditUserDialog user={data} open onClose={() => setEditing(false)} /> : null}
      {dialog}
    </>
  );
}
