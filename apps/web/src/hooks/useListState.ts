import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

export const PAGE_SIZES = [10, 25, 50, 100] as const;

export interface ListState<F extends Record<string, string | undefined>> {
  filter: F;
  page: number;
  limit: number;
  /** New filters start again at page 1. */
  setFilter: (filter: F) => void;
  setPage: (page: number, limit: number) => void;
}

function positiveInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const number = Number.parseInt(value, 10);
  return number >= 1 ? number : undefined;
}

/**
 * A list's filters, page and page size, kept in the URL's search parameters: a list can be shared,
 * bookmarked and reloaded, and the back button undoes a page change.
 */
export function useListState<F extends Record<string, string | undefined>>(
  keys: readonly (keyof F & string)[],
  defaultLimit = 25,
): ListState<F> {
  const [params, setParams] = useSearchParams();
  const serialized = params.toString();
  const keyList = keys.join(',');

  // Rebuilt only when the URL changes, so it can be part of a query key.
  const filter = useMemo(() => {
    const current = new URLSearchParams(serialized);
    const entries = keyList.split(',').map((key) => [key, current.get(key) ?? undefined] as const);
    return Object.fromEntries(entries.filter(([, v]) => v !== undefined && v !== '')) as F;
  }, [serialized, keyList]);
  const page = positiveInt(params.get('page')) ?? 1;
  const requested = positiveInt(params.get('limit'));
  const limit = requested !== undefined && requested <= 100 ? requested : defaultLimit;

  const write = useCallback(
    (values: Record<string, string | number | undefined>, replace: boolean) => {
      const next = new URLSearchParams();
      for (const [key, value] of Object.entries(values)) {
        if (value !== undefined && value !== '') next.set(key, String(value));
      }
      setParams(next, { replace });
    },
    [setParams],
  );

  const setFilter = useCallback(
    (next: F) => write({ ...next, limit: limit === defaultLimit ? undefined : limit }, true),
    [write, limit, defaultLimit],
  );
  const setPage = useCallback(
    (nextPage: number, nextLimit: number) =>
      write(
        {
          ...filter,
          page: nextPage === 1 ? undefined : nextPage,
          limit: nextLimit === defaultLimit ? undefined : nextLimit,
        },
        false,
      ),
    [write, filter, defaultLimit],
  );

  return { filter, page, limit, setFilter, setPage };
}
