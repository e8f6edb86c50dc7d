import { z } from 'zod';

/** Pieces shared by the three services' HTTP schemas. */

export const timestamp = z.iso.datetime({ offset: true });
export const decimal = z
  .string()
  .regex(/^-?\d{1,12}\.\d{2}$/, 'must be a decimal string like "89.99"');

export const IdParams = z.object({ id: z.uuid() });
export const UserIdParams = z.object({ userId: z.uuid() });

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type PageRequest = z.infer<typeof PageQuery>;

export interface Page<T> {
  data: T[];
  page: number;
  limit: number;
  total: number;
}

/** Lists answer `{ data, page, limit, total }`, like the backoffice's own API. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
  });
}

export const HealthSchema = z.object({ status: z.literal('ok'), service: z.string() });

/**
 * Lists that page by cursor (the Virtual Pet services'): `limit` items, newest first, and the cursor of
 * the next page (null on the last one). The cursor is opaque to callers.
 */
export const CursorQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(200).optional(),
});
export type CursorRequest = z.infer<typeof CursorQuery>;

export interface CursorPage<T> {
  data: T[];
  next_cursor: string | null;
}

export function cursorPageSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}
