import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { auditApi } from '../../api/audit.ts';
import type { AuditFilter, Job } from '../../api/types.ts';

export const auditKeys = {
  all: ['audit'] as const,
  list: (filter: AuditFilter, limit: number) => [...auditKeys.all, 'list', filter, limit] as const,
  one: (id: string) => [...auditKeys.all, 'one', id] as const,
  job: (id: string) => ['jobs', id] as const,
};

/** How often a running verification is asked for its progress. */
export const JOB_POLL_MS = 500;

/** The filtered trail, newest first, a page at a time by cursor (older pages appended below). */
export function useAuditList(filter: AuditFilter, limit: number) {
  return useInfiniteQuery({
    queryKey: auditKeys.list(filter, limit),
    queryFn: ({ pageParam }) => auditApi.list(filter, limit, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useAuditEntry(id: string | undefined) {
  return useQuery({
    queryKey: auditKeys.one(id ?? ''),
    queryFn: () => auditApi.get(id ?? ''),
    enabled: id !== undefined,
  });
}

export const isFinished = (job: Job | undefined) =>
  job?.status === 'succeeded' || job?.status === 'failed';

/** A background job, polled until it succeeds or fails. */
export function useJob(id: string | undefined) {
  return useQuery({
    queryKey: auditKeys.job(id ?? ''),
    queryFn: () => auditApi.job(id ?? ''),
    enabled: id !== undefined,
    refetchInterval: (query) => (isFinished(query.state.data) ? false : JOB_POLL_MS),
  });
}
