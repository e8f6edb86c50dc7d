import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { staffApi } from '../../api/access.ts';
import type { StaffFilter } from '../../api/types.ts';

export const staffKeys = {
  all: ['staff'] as const,
  list: (filter: StaffFilter, page: number, limit: number) =>
    [...staffKeys.all, 'list', filter, page, limit] as const,
  one: (id: string) => [...staffKeys.all, id] as const,
  /** Without an id: every staff session query (the list of all, and each account's). */
  sessions: (staffId?: string) => (staffId === undefined ? ['sessions'] : ['sessions', staffId]),
};

export function useStaffList(filter: StaffFilter, page: number, limit: number) {
  return useQuery({
    queryKey: staffKeys.list(filter, page, limit),
    queryFn: () => staffApi.list(filter, { page, limit }),
    placeholderData: keepPreviousData,
  });
}

export function useStaff(id: string) {
  return useQuery({ queryKey: staffKeys.one(id), queryFn: () => staffApi.get(id) });
}

export function useStaffSessions(staffId?: string) {
  return useQuery({
    queryKey: [...staffKeys.sessions(staffId), 'list'],
    queryFn: () => staffApi.sessions(staffId),
  });
}
