import type { ConnectionState } from '@backoffice/ui';
import { LiveBadge } from '@backoffice/ui';
import type { ReactNode } from 'react';
import { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react';

interface Status {
  state: ConnectionState;
  detail?: string;
}

const ConnectionContext = createContext<(status: Status | undefined) => void>(() => undefined);
const ConnectionValue = createContext<Status | undefined>(undefined);

/** The header's connection slot: the screen on show says how its data stays fresh. */
export function ConnectionStatusProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<Status | undefined>(undefined);
  return (
    <ConnectionContext value={setStatus}>
      <ConnectionValue value={status}>{children}</ConnectionValue>
    </ConnectionContext>
  );
}

/** Declares, while the calling screen is shown, how its data is kept fresh. */
export function useConnectionStatus(state: ConnectionState, detail?: string): void {
  const set = useContext(ConnectionContext);
  useEffect(() => {
    set(detail === undefined ? { state } : { state, detail });
    return () => set(undefined);
  }, [set, state, detail]);
}

function subscribeOnline(callback: () => void) {
  window.addEventListener('online', callback);
  window.addEventListener('offline', callback);
  return () => {
    window.removeEventListener('online', callback);
    window.removeEventListener('offline', callback);
  };
}

export function ConnectionIndicator() {
  const status = useContext(ConnectionValue);
  const online = useSyncExternalStore(subscribeOnline, () => navigator.onLine);
  if (!online) return <LiveBadge state="offline" detail="no network" />;
  if (status === undefined) return null;
  return (
    <LiveBadge
      state={status.state}
      {...(status.detail === undefined ? {} : { detail: status.detail })}
    />
  );
}
