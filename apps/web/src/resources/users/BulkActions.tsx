import { Badge, DataTable, useConfirm, type DataTableColumn } from '@backoffice/ui';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Modal, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import type { BulkResult } from '../../api/types.ts';
import { usersApi, type BulkAction } from '../../api/users.ts';
import { useCanAccess } from '../../auth/AuthProvider.tsx';
import { MaskedText } from '../../components/PayloadView.tsx';
import { plural } from '../../format.ts';
import { refreshAfterChange } from '../../query.ts';
import { userKeys } from './queries.ts';

const ACTIONS: Record<
  BulkAction,
  { button: string; verb: string; consequences: string; danger: boolean; typed?: string }
> = {
  block: {
    button: 'Block',
    verb: 'Block',
    consequences:
      'Each user is blocked at the User Service: they cannot sign in and their sessions end.',
    danger: true,
    typed: 'BLOCK',
  },
  unblock: {
    button: 'Unblock',
    verb: 'Unblock',
    consequences: 'Each user can sign in again.',
    danger: false,
  },
  'force-logout': {
    button: 'Force logout',
    verb: 'Sign out',
    consequences: 'Every session of each user ends at once; they must sign in again.',
    danger: true,
  },
};

type Row = BulkResult['results'][number];

interface Summary {
  action: BulkAction;
  result: BulkResult;
  /** How to name each user (their email as listed), by id. */
  names: ReadonlyMap<string, string>;
}

function outcome(row: Row) {
  if (!row.ok) return <Badge tone="error">Failed</Badge>;
  if (row.changed === false) return <Badge>No change</Badge>;
  return <Badge tone="success">Done</Badge>;
}

/** Each user's outcome of a bulk action: what succeeded, what failed and why. */
export function BulkResultDialog({
  summary,
  onClose,
}: {
  summary: Summary | undefined;
  onClose: () => void;
}) {
  const columns: DataTableColumn<Row>[] = [
    {
      key: 'userId',
      title: 'User',
      value: (r) => summary?.names.get(r.userId) ?? r.userId,
      render: (r) => <MaskedText value={summary?.names.get(r.userId) ?? r.userId} />,
    },
    {
      key: 'ok',
      title: 'Result',
      value: (r) => (r.ok ? (r.changed === false ? 'no change' : 'done') : 'failed'),
      render: outcome,
    },
    {
      key: 'error',
      title: 'Error',
      value: (r) => r.error ?? '',
      render: (r) =>
        r.error === null ? (
          '—'
        ) : (
          <Typography.Text type="danger">
            {r.error} ({r.status})
          </Typography.Text>
        ),
    },
  ];
  const result = summary?.result;
  return (
    <Modal
      open={summary !== undefined}
      title={summary === undefined ? 'Bulk action' : `${ACTIONS[summary.action].verb}: results`}
      onCancel={onClose}
      width={720}
      footer={
        <Button type="primary" onClick={onClose}>
          Done
        </Button>
      }
    >
      {result === undefined ? null : (
        <>
          <Typography.Paragraph role="status">
            {plural(result.succeeded, 'user')} succeeded, {plural(result.failed, 'user')} failed.
            {result.failed > 0 ? ' The failed users stay selected, to try again.' : ''}
          </Typography.Paragraph>
          <DataTable<Row>
            label="Results per user"
            size="small"
            columns={columns}
            rowKey={(r) => r.userId}
            result={{
              data: result.results,
              page: 1,
              limit: result.results.length,
              total: result.results.length,
            }}
          />
        </>
      )}
    </Modal>
  );
}

/**
 * Block, unblock and force logout for the selected users: a reason (and for blocking, a typed
 * confirmation), then one request; the server asks for a recent second factor (step-up) first.
 * Afterwards each user's outcome is shown, and the failed ones stay selected.
 */
export function useBulkActions({
  names,
  setSelected,
}: {
  names: ReadonlyMap<string, string>;
  setSelected: (ids: string[]) => void;
}): { buttons: (ids: readonly string[]) => ReactNode; dialogs: ReactNode } {
  const canAccess = useCanAccess();
  const queryClient = useQueryClient();
  const [confirm, confirmDialog] = useConfirm();
  const [summary, setSummary] = useState<Summary | undefined>(undefined);

  const run = async (action: BulkAction, ids: readonly string[]) => {
    const spec = ACTIONS[action];
    let result: BulkResult | undefined;
    const values = await confirm({
      title: `${spec.verb} ${plural(ids.length, 'user')}?`,
      consequences: spec.consequences,
      confirmLabel: `${spec.button} ${plural(ids.length, 'user')}`,
      danger: spec.danger,
      reason: 'required',
      ...(spec.typed === undefined ? {} : { typedConfirmation: spec.typed }),
      action: async (v) => {
        result = await usersApi.bulk(action, ids, v.reason ?? '');
      },
    });
    if (values === null || result === undefined) return;
    const done = result;
    setSummary({ action, result: done, names: new Map(names) });
    setSelected(done.results.filter((r) => !r.ok).map((r) => r.userId));
    await refreshAfterChange(queryClient, [userKeys.all]);
  };

  const buttons = (ids: readonly string[]) => (
    <>
      {canAccess('users', 'block') ? (
        <>
          <Button danger onClick={() => void run('block', ids)}>
            Block selected
          </Button>
          <Button onClick={() => void run('unblock', ids)}>Unblock selected</Button>
        </>
      ) : null}
      {canAccess('users', 'sessions') ? (
        <Button onClick={() => void run('force-logout', ids)}>Force logout selected</Button>
      ) : null}
    </>
  );

  return {
    buttons,
    dialogs: (
      <>
        {confirmDialog}
        <BulkResultDialog summary={summary} onClose={() => setSummary(undefined)} />
      </>
    ),
  };
}
