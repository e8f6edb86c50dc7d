import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { rolesApi } from '../../api/access.ts';

export const roleKeys = {
  all: ['roles'] as const,
  list: () => [...roleKeys.all, 'list'] as const,
  one: (id: string) => [...roleKeys.all, id] as const,
  matrix: (id: string) => [...roleKeys.all, id, 'matrix'] as const,
  history: (id: string, page: number, limit: number) =>
    [...roleKeys.all, id, 'history', page, limit] as const,
};

export function useRoles() {
  return useQuery({ queryKey: roleKeys.list(), queryFn: () => rolesApi.list() });
}

export function useRole(id: string) {
  return useQuery({ queryKey: roleKeys.one(id), queryFn: () => rolesApi.get(id) });
}

export function useRoleMatrix(id: string) {
  return useQuery({ queryKey: roleKeys.matrix(id), queryFn: () => rolesApi.matrix(id) });
}

export function useRoleHistory(id: string, page: number, limit: number) {
  return useQuery({
    queryKey: roleKeys.history(id, page, limit),
    queryFn: () => rolesApi.history(id, { page, limit }),
    placeholderData: keepPreviousData,
  });
}
