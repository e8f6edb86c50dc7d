import { ClockCircleOutlined } from '@ant-design/icons';
import { Badge, StatusBadge } from '@backoffice/ui';
import type { UserListItem } from '../../api/types.ts';
import { formatAgo } from '../../format.ts';

const STATE_TONES = { Active: 'success', Blocked: 'error', Disabled: 'warning' } as const;

/**
 * The user's state; while a change made here awaits the User Service's confirming event, marked
 * "pending confirmation" (the read model shows it at once, the event makes it final).
 */
export function UserState({
  user,
}: {
  user: Pick<UserListItem, 'state' | 'pending' | 'pendingSince'>;
}) {
  return (
    <span>
      <StatusBadge status={user.state} label={user.state} tones={STATE_TONES} />
      {user.pending ? (
        <Badge
          tone="warning"
          icon={<ClockCircleOutlined aria-hidden />}
          title={`Waiting for the User Service to confirm the change (since ${formatAgo(user.pendingSince)})`}
        >
          Pending confirmation
        </Badge>
      ) : null}
    </span>
  );
}
