import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { UserFilter } from '../../api/types.ts';
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

export function useUser(id: string) {
  return useQuery({
    queryKey: userKeys.one(id),
    queryFn: () => usersApi.get(id),
    refetchInterval: (query) => (query.state.data?.pending === true ? PENDING_REFRESH_MS : false),
  });
}

export function useUserSessions(id: string) {
  return useQuery({ queryKey: userKeys.sessions(id), queryFn: () => usersApi.sessions(id) });
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
