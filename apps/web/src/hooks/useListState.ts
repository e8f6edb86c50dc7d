import { useCallback, useMemo, useRef } from 'react';
import { useSearchParams } from 'react-router';

export const PAGE_SIZES = [10, 25, 50, 100] as const;

/**
 * Reads one filter value from the URL: the value as the list uses it (an enum in its own spelling),
 * or undefined when it is not one the list understands.
 */
export type FilterParser = (raw: string) => string | undefined;

/** The list's filters, each with its parser. */
export type FilterFields<F> = { readonly [K in keyof F & string]-?: FilterParser };

/** Any text. */
export const anyText: FilterParser = (raw) => (raw.trim() === '' ? undefined : raw);

/** One of these values, however its letters are cased (people type `active` for `Active`). */
export function oneOf(values: readonly string[]): FilterParser {
  return (raw) => values.find((v) => v.toLowerCase() === raw.trim().toLowerCase());
}

/** A calendar day, `YYYY-MM-DD`, that exists. */
export const calendarDay: FilterParser = (raw) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return undefined;
  const date = new Date(`${raw}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(raw) ? raw : undefined;
};

/** A whole number in [min, max]. */
export function integerIn(min: number, max: number): FilterParser {
  return (raw) => {
    if (!/^\d+$/.test(raw.trim())) return undefined;
    const value = Number.parseInt(raw, 10);
    return value >= min && value <= max ? String(value) : undefined;
  };
}

/** A filter value from the URL that the list could not use, and so does not apply. */
export interface RejectedFilter {
  key: string;
  value: string;
}

export interface ListState<F extends Record<string, string | undefined>> {
  /** Only the values the list understands: what is applied, and what its controls show. */
  filter: F;
  /** The values in the URL it does not understand: ignored, and said so (see IgnoredFilters). */
  rejected: readonly RejectedFilter[];
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
 * bookmarked and reloaded, and the back button undoes a page change. Every list reads its filters
 * through this, with a parser for each: a value it does not understand (a hand-edited or outdated
 * link) is neither applied nor shown as applied, but reported in `rejected`.
 */
export function useListState<F extends Record<string, string | undefined>>(
  fields: FilterFields<F>,
  defaultLimit = 25,
): ListState<F> {
  const [params, setParams] = useSearchParams();
  const serialized = params.toString();
  // The parsers are fixed per list: only the URL decides when the filter changes.
  const parsers = useRef(fields);

  // Rebuilt only when the URL changes, so it can be part of a query key.
  const { filter, rejected } = useMemo(() => {
    const current = new URLSearchParams(serialized);
    const accepted: Record<string, string> = {};
    const refused: RejectedFilter[] = [];
    for (const [key, parse] of Object.entries<FilterParser>(parsers.current)) {
      const raw = current.get(key);
      if (raw === null || raw === '') continue;
      const value = parse(raw);
      if (value === undefined) refused.push({ key, value: raw });
      else accepted[key] = value;
    }
    return { filter: accepted as F, rejected: refused };
  }, [serialized]);
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

  return { filter, rejected, page, limit, setFilter, setPage };
}
