import { z } from 'zod';

/** Offset pagination as every list takes it: 1-based page, limit ≤ 100. */
export const PageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

/** Every list answers `{ data, page, limit, total }`. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    data: z.array(item),
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
  });
}

export const IdParamsSchema = z.object({ id: z.uuid() });

/** A reason is required for actions that change someone's access or data. */
export const ReasonSchema = z.string().trim().min(3).max(1000);
