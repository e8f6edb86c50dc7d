import { StatusBadge, useConfirm, useToast } from '@backoffice/ui';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Descriptions, Drawer, Flex, Skeleton, Typography } from 'antd';
import { systemApi } from '../../api/system.ts';
import type { DeadLetter, ReplayResult } from '../../api/types.ts';
import { useCanAccess } from '../../auth/AuthProvider.tsx';
import { PayloadView } from '../../components/PayloadView.tsx';
import { ErrorView } from '../../errors/ErrorViews.tsx';
import { refreshAfterChange } from '../../query.ts';
import { formatDateTime } from '../../format.ts';

export function replayMessage(result: ReplayResult): string {
  if (result.replayed && result.duplicate)
    return 'It had been processed already: marked as replayed.';
  if (result.replayed) return 'Replayed: the event is in the read model now.';
  return `It failed again and stays pending: ${result.deadLetter.reason} — ${result.deadLetter.detail}`;
}

export function DeadLetterDrawer({ id, onClose }: { id: number | undefined; onClose: () => void }) {
  const canAccess = useCanAccess();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [confirm, dialog] = useConfirm();
  const letter = useQuery({
    queryKey: ['system', 'dead-letters', id],
    queryFn: () => systemApi.deadLetter(id ?? 0),
    enabled: id !== undefined,
  });
  const data: DeadLetter | undefined = letter.data;

  const refresh = async () => {
    // The list, this letter, and the sources' counters.
    await refreshAfterChange(queryClient, [['system']]);
  };

  const replay = async (d: DeadLetter) => {
    let result: ReplayResult | undefined;
    const values = await confirm({
      title: `Replay dead letter #${d.id}?`,
      consequences:
        'The event goes through the projector again. If it fails again it stays pending with the new reason.',
      confirmLabel: 'Replay',
      action: async () => {
        result = await systemApi.replay(d.id);
      },
    });
    if (values === null || result === undefined) return;
    if (result.replayed) toast.success('Dead letter replayed', replayMessage(result));
    else toast.warning('Replay failed', replayMessage(result));
    await refresh();
  };

  const discard = async (d: DeadLetter) => {
    const values = await confirm({
      title: `Discard dead letter #${d.id}?`,
      consequences:
        'The event will not be projected. The dead letter is kept, marked discarded, with your reason.',
      confirmLabel: 'Discard',
      danger: true,
      reason: 'required',
      action: (v) => systemApi.discard(d.id, v.reason ?? ''),
    });
    if (values === null) return;
    toast.success('Dead letter discarded');
    await refresh();
  };

  const actionable = data?.status === 'pending' && canAccess('events', 'replay');
  return (
    <Drawer
      open={id !== undefined}
      onClose={onClose}
      title={id === undefined ? 'Dead letter' : `Dead letter #${id}`}
      size={640}
      destroyOnHidden
      extra={
        actionable && data !== undefined ? (
          <Flex gap={8}>
            <Button onClick={() => void replay(data)}>Replay</Button>
            <Button danger onClick={() => void discard(data)}>
              Discard
            </Button>
          </Flex>
        ) : undefined
      }
    >
      {letter.isError ? (
        <ErrorView error={letter.error} what="dead letter" onRetry={() => void letter.refetch()} />
      ) : data === undefined ? (
        <Skeleton active paragraph={{ rows: 10 }} />
      ) : (
        <Flex vertical gap={16}>
          <Descriptions
            column={1}
            size="small"
            bordered
            items={[
              { key: 'status', label: 'Status', children: <StatusBadge status={data.status} /> },
              { key: 'reason', label: 'Reason', children: data.reason },
              { key: 'detail', label: 'Detail', children: data.detail },
              { key: 'source', label: 'Source', children: data.source },
              {
                key: 'position',
                label: 'Position',
                children:
                  data.position.topic === null
                    ? '—'
                    : `${data.position.topic} / ${data.position.partition ?? '—'} @ ${data.position.offset ?? '—'}`,
              },
              { key: 'eventId', label: 'Event id', children: data.eventId ?? '—' },
              { key: 'eventType', label: 'Event type', children: data.eventType ?? '—' },
              { key: 'received', label: 'Received', children: formatDateTime(data.receivedAt) },
              {
                key: 'attempts',
                label: 'Attempts',
                children: `${data.attempts} (last ${formatDateTime(data.lastAttemptAt)})`,
              },
              ...(data.resolvedAt === null
                ? []
                : [
                    {
                      key: 'resolved',
                      label: 'Resolved',
                      children: `${formatDateTime(data.resolvedAt)} by ${data.resolvedBy ?? '—'}${data.resolution === null ? '' : `: ${data.resolution}`}`,
                    },
                  ]),
            ]}
          />
          <div>
            <Typography.Title level={2} style={{ fontSize: 16 }}>
              Payload
            </Typography.Title>
            <PayloadView value={data.payload} label="Payload" />
          </div>
          {data.raw === null ? null : (
            <div>
              <Typography.Title level={2} style={{ fontSize: 16 }}>
                {data.rawEncoding === 'base64'
                  ? 'As received (base64: the bytes were not UTF-8 text)'
                  : 'As received'}
              </Typography.Title>
              <PayloadView value={data.raw} label="Raw message" />
            </div>
          )}
        </Flex>
      )}
      {dialog}
    </Drawer>
  );
}
