import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { UserDetail, UserFilter } from '../../api/types.ts';
import { usersApi } from '../../api/users.ts';

export const userKeys = {
  all: ['users'] as const,
  list: (filter: UserFilter, page: number, limit: number) =>
    [...userKeys.all, 'list', filter, page, limit] as const,
  one: (id: string) => [...userKeys.all, 'one', id] as const,
  sessions: (id: string) => [...userKeys.all, 'one', id, 'sessions'] as const,
  transactions: (id: string, range: { from?: string; to?: string }, page: number, limit: number) =>
    [...userKeys.all, 'one', id, 'transactions', range, page, limit] as const,
  transaction: (id: string) => ['transactions', id] as const,
};

/** While a change awaits the User Service's confirming event, the detail is re-read this often. */
export const PENDING_REFRESH_MS = 2_000;

export function useUserList(filter: UserFilter, page: number, limit: number) {
  return useQuery({
    queryKey: userKeys.list(filter, page, limit),
    queryFn: () => usersApi.list(filter, { page, limit }),
    placeholderData: keepPreviousData,
  });
}

/** What the User Service confirmed changing, and that the read model does not show yet. */
export interface Unconfirmed {
  fields: Partial<Pick<UserDetail, 'name' | 'email' | 'role' | 'activeSessions'>>;
  since: string;
}

/** A user as the details show it: the read model, with the changes still on their way laid over it. */
export type ShownUser = UserDetail & { unconfirmed?: Unconfirmed };

/** After this long, the read model is believed even if it never showed a change made here. */
export const UNCONFIRMED_MAX_MS = 120_000;

/**
 * The read model's user with the fields of `unconfirmed` it does not show yet laid over it, marked
 * pending. A change relayed to the User Service reaches the read model only with the service's event,
 * a moment later: re-reading the user at once would show the old values and, without this, keep them.
 */
export function withUnconfirmed(
  fresh: UserDetail,
  unconfirmed: Unconfirmed | undefined,
  now: number,
): ShownUser {
  if (unconfirmed === undefined || now - Date.parse(unconfirmed.since) > UNCONFIRMED_MAX_MS)
    return fresh;
  const waiting = Object.fromEntries(
    Object.entries(unconfirmed.fields).filter(
      ([field, value]) => fresh[field as keyof Unconfirmed['fields']] !== value,
    ),
  ) as Unconfirmed['fields'];
  if (Object.keys(waiting).length === 0) return fresh;
  return {
    ...fresh,
    ...waiting,
    pending: true,
    pendingSince: fresh.pending ? fresh.pendingSince : unconfirmed.since,
    unconfirmed: { fields: waiting, since: unconfirmed.since },
  };
}

/**
 * Shows at once what the User Service confirmed changing, until the read model has it too (the
 * details re-read it meanwhile, as for any pending change).
 */
export function showUnconfirmed(
  queryClient: ReturnType<typeof useQueryClient>,
  id: string,
  fields: Unconfirmed['fields'],
): void {
  const since = new Date().toISOString();
  queryClient.setQueryData<ShownUser>(userKeys.one(id), (previous) =>
    previous === undefined
      ? previous
      : {
          ...previous,
          ...fields,
          pending: true,
          pendingSince: previous.pending ? previous.pendingSince : since,
          unconfirmed: { fields: { ...previous.unconfirmed?.fields, ...fields }, since },
        },
  );
}

export function useUser(id: string) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: userKeys.one(id),
    queryFn: async (): Promise<ShownUser> =>
      withUnconfirmed(
        await usersApi.get(id),
        queryClient.getQueryData<ShownUser>(userKeys.one(id))?.unconfirmed,
        Date.now(),
      ),
    refetchInterval: (query) => (query.state.data?.pending === true ? PENDING_REFRESH_MS : false),
  });
}

/** While the user has a change pending, the sessions are re-read with the details. */
export function useUserSessions(id: string, pending = false) {
  return useQuery({
    queryKey: userKeys.sessions(id),
    queryFn: () => usersApi.sessions(id),
    refetchInterval: pending ? PENDING_REFRESH_MS : false,
  });
}

export function useUserTransactions(
  id: string,
  range: { from?: string; to?: string },
  page: number,
  limit: number,
) {
  return useQuery({
    queryKey: userKeys.transactions(id, range, page, limit),
    queryFn: () => usersApi.transactions(id, range, { page, limit }),
    placeholderData: keepPreviousData,
  });
}

export function useTransaction(id: string | undefined) {
  return useQuery({
    queryKey: userKeys.transaction(id ?? ''),
    queryFn: () => usersApi.transaction(id ?? ''),
    enabled: id !== undefined,
  });
}
