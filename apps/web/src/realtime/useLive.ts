import { CHANNELS, type Channel, type ServerMessage } from '@backoffice/contracts';
import { useEffect, useRef, useState } from 'react';
import { isHttpError } from '../api/client.ts';
import { dashboardApi } from '../api/dashboard.ts';
import type { CanAccess } from '../auth/access.ts';
import { useAuth } from '../auth/AuthProvider.tsx';
import { LiveConnection, type LiveState } from './liveConnection.ts';

export interface LiveStatus {
  state: LiveState;
  /** While reconnecting: when the next attempt is due (epoch ms). */
  retryAt?: number;
}

/** The channels among these that the person's permissions open (the server refuses the others). */
export function allowedChannels(channels: readonly Channel[], canAccess: CanAccess): Channel[] {
  return channels.filter((channel) => {
    const [resource, action] = CHANNELS[channel].split(':') as [string, string];
    return (canAccess as (r: string, a: string) => boolean)(resource, action);
  });
}

/**
 * Keeps a live connection to these channels while the calling screen is shown, handing every server
 * message to `onMessage`. A closed session (close code 4401, or a 401 for the ticket) ends the session
 * as any 401 does.
 */
export function useLive(
  channels: readonly Channel[],
  onMessage: (message: ServerMessage) => void,
): LiveStatus {
  const { token, canAccess, sessionEnded } = useAuth();
  const [status, setStatus] = useState<LiveStatus>({ state: 'connecting' });
  const handler = useRef(onMessage);
  handler.current = onMessage;
  const allowed = allowedChannels(channels, canAccess).join(',');

  useEffect(() => {
    if (token === null || allowed === '') return undefined;
    const connection = new LiveConnection({
      channels: allowed.split(',') as Channel[],
      ticket: async () => (await dashboardApi.ticket()).ticket,
      isFatal: (error) => isHttpError(error) && error.status === 401,
      onMessage: (message) => handler.current(message),
      onState: (state, retryInMs) =>
        setStatus(retryInMs === undefined ? { state } : { state, retryAt: Date.now() + retryInMs }),
      onSessionEnded: sessionEnded,
    });
    connection.start();
    return () => connection.stop();
  }, [token, allowed, sessionEnded]);

  return status;
}
