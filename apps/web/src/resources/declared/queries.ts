import type { ResourceDescription } from '@backoffice/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { QueryValue } from '../../api/client.ts';
import { resourcesApi } from '../../api/resources.ts';
import { useAuth } from '../../auth/AuthProvider.tsx';

export const declaredKeys = {
  all: ['declared'] as const,
  described: (who: string | undefined) => [...declaredKeys.all, 'described', who] as const,
  list: (name: string, query: Record<string, QueryValue>, page: number, limit: number) =>
    [...declaredKeys.all, name, 'list', query, page, limit] as const,
  one: (name: string, id: string) => [...declaredKeys.all, name, 'one', id] as const,
};

/**
 * The resources the packs declare that this person may read (the server lists only those): the
 * navigation's "Records" and the generic screens are built from it. Re-read when someone else signs in.
 */
export function useDeclaredResources() {
  const { me } = useAuth();
  return useQuery({
    queryKey: declaredKeys.described(me?.user.id),
    queryFn: resourcesApi.describe,
    enabled: me !== undefined,
    staleTime: 5 * 60_000,
    select: (answer) => answer.data,
  });
}

export function useDeclaredList(
  resource: ResourceDescription,
  query: Record<string, QueryValue>,
  page: number,
  limit: number,
) {
  return useQuery({
    queryKey: declaredKeys.list(resource.name, query, page, limit),
    queryFn: () => resourcesApi.list(resource.name, query, { page, limit }),
    placeholderData: keepPreviousData,
  });
}

export function useDeclaredItem(name: string, id: string) {
  return useQuery({
    queryKey: declaredKeys.one(name, id),
    queryFn: () => resourcesApi.get(name, id),
  });
}
