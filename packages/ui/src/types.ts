/** One page of a list, as every list endpoint of the API answers it. */
export interface ListPage<T> {
  data: T[];
  /** 1-based. */
  page: number;
  limit: number;
  total: number;
  /** More than `total` match: the count stopped there, and the last page is not known. */
  totalIsLowerBound?: boolean;
  /** Null on the last page, for lists that page by cursor too. */
  nextCursor?: string | null;
}

export type SortOrder = 'asc' | 'desc';

export interface SortState {
  key: string;
  order: SortOrder;
}

/**
 * What the kit needs to know about an error to show it: an RFC 9457 problem document, or anything
 * that carries one (`{ problem }`), or a plain Error.
 */
export interface ProblemLike {
  title: string;
  status?: number;
  detail?: string;
  correlationId?: string;
}

export interface Option {
  value: string;
  label: string;
}
