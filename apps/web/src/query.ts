import type { ToastApi } from '@backoffice/ui';
import { MutationCache, QueryCache, QueryClient, type QueryKey } from '@tanstack/react-query';
import { isHttpError } from './api/client.ts';

declare module '@tanstack/react-query' {
  interface Register {
    mutationMeta: {
      /** The screen shows this mutation's errors itself (form, dialog): no notification. */
      inlineErrors?: boolean;
      /** What the change makes stale (query key prefixes): re-read when it settles. */
      refreshes?: readonly QueryKey[];
    };
  }
}

/** Errors the person cannot fix by changing what they did: the server's, the network's. */
function isFailureOfOurs(error: unknown): boolean {
  return !isHttpError(error) || error.isServerFailure;
}

/** Every change is audited, and every audit query's key starts with this. */
const AUDIT_TRAIL: QueryKey = ['audit'];

/**
 * The one way a screen brings up to date what a change made stale: the queries under these key
 * prefixes, and the audit trail that recorded the change. Mutations name their keys in
 * `meta.refreshes` and the client calls this when they settle (a failed attempt is audited too, and an
 * optimistic update must meet the server's state again); an action run from a confirmation dialog
 * calls it when the dialog closes.
 */
export async function refreshAfterChange(
  queryClient: QueryClient,
  keys: readonly QueryKey[],
): Promise<void> {
  await Promise.all(
    [...keys, AUDIT_TRAIL].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
  );
}

/**
 * The one QueryClient. Error policy: a failed load shows in its screen (access denied, not found, or
 * the problem with a retry) and, when it is the server's or the network's fault, also as a notification
 * with the correlation id; a failed action is notified unless its screen shows it inline. 401 and
 * `requiredAction` 403s are handled before this, by the data-access layer's hooks.
 */
export function createQueryClient(toast: () => ToastApi | undefined): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (isHttpError(error) && (error.status === 401 || error.requiredAction !== undefined))
          return;
        if (isFailureOfOurs(error))
          toast()?.problem(error, { key: `query:${JSON.stringify(query.queryKey)}` });
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (isHttpError(error) && (error.status === 401 || error.requiredAction !== undefined))
          return;
        if (mutation.meta?.inlineErrors === true) return;
        toast()?.problem(error);
      },
      onSettled: (_data, _error, _variables, _context, mutation) =>
        refreshAfterChange(client, mutation.meta?.refreshes ?? []),
    }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        // Only what might pass on a second try: the server's failures, once.
        retry: (failures, error) =>
          failures < 1 && isHttpError(error) && error.isServerFailure && error.status !== 0,
      },
    },
  });
  return client;
}
