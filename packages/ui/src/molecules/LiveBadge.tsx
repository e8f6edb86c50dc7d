import { Badge } from 'antd';

export type ConnectionState = 'live' | 'reconnecting' | 'offline' | 'polling';

const STATES: Record<
  ConnectionState,
  { label: string; status: 'success' | 'warning' | 'error' | 'processing' }
> = {
  live: { label: 'Live', status: 'success' },
  reconnecting: { label: 'Reconnecting…', status: 'warning' },
  offline: { label: 'Offline', status: 'error' },
  polling: { label: 'Polling', status: 'processing' },
};

export interface LiveBadgeProps {
  state: ConnectionState;
  /** More about the state, e.g. "every 5 s" or "next attempt in 4 s"; shown next to the label. */
  detail?: string;
}

/** Whether what the screen shows is live. Announced politely when it changes. */
export function LiveBadge({ state, detail }: LiveBadgeProps) {
  const { label, status } = STATES[state];
  const text = detail === undefined ? label : `${label} · ${detail}`;
  return (
    <span role="status" aria-live="polite" aria-label={`Connection: ${text}`} data-state={state}>
      <Badge status={status} text={text} />
    </span>
  );
}
