import { pageOf } from '@backoffice/contracts';

/**
 * Response shapes the server declares inline rather than in the contracts, built from the contracts'
 * item schemas. (`pageOf` is the contracts' own.)
 */
export interface Parser<T> {
  parse: (data: unknown) => T;
}

/** `{ data: T[] }`, the shape of the short lists that are not paged. */
export function dataListOf<T>(item: Parser<T>): Parser<{ data: T[] }> {
  return {
    parse(data: unknown) {
      const list = (data as { data?: unknown } | null)?.data;
      if (!Array.isArray(list)) throw new Error('expected an object with a "data" array');
      return { data: list.map((entry) => item.parse(entry)) };
    },
  };
}

/** `{ [key]: string }` with an ISO date-time, such as `{ verifiedAt }`. */
export function timestampOf<K extends string>(key: K): Parser<Record<K, string>> {
  return {
    parse(data: unknown) {
      const value = (data as Record<string, unknown> | null)?.[key];
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
        throw new Error(`expected "${key}" to be a date-time`);
      return { [key]: value } as Record<K, string>;
    },
  };
}

export { pageOf };
