import { z } from 'zod';

/**
 * NUL, which PostgreSQL stores in neither text nor jsonb, and unpaired UTF-16 surrogates, which are not
 * text at all (they have no UTF-8 form). A paired surrogate is one code point in `u` mode: not matched.
 */
const UNSAFE_CHARACTER = /[\0\p{Cs}]/u;

export const isSafeText = (text: string): boolean => !UNSAFE_CHARACTER.test(text);

/**
 * Every text field of a request (query, body, params) starts here, so that every route refuses what
 * the database cannot hold with the same 400, instead of failing on it.
 */
export const TextSchema = z
  .string()
  .refine(isSafeText, 'must not contain NUL characters or unpaired surrogates');

/**
 * An instant with its offset (ISO 8601), in years 0001–9999 both as written and in UTC: PostgreSQL has
 * no year 0000, and beyond 9999 neither it nor JavaScript reads the text back.
 */
export const DateTimeSchema = z.iso.datetime({ offset: true }).refine((text) => {
  const written = Number(text.slice(0, 4));
  const utc = new Date(text).getUTCFullYear();
  return written >= 1 && utc >= 1 && utc <= 9999;
}, 'must be a date between the years 0001 and 9999');

/**
 * An enum in a query string, accepted in any case as people type them (`state=active`), and answered
 * as the canonical value.
 */
export function queryEnum<const T extends readonly [string, ...string[]]>(values: T) {
  const canonical = new Map(values.map((value) => [value.toLowerCase(), value]));
  const schema = z.preprocess(
    (input) => (typeof input === 'string' ? (canonical.get(input.toLowerCase()) ?? input) : input),
    z.enum(values),
  );
  // Typed (and documented) as what clients should send: the canonical values.
  return schema as unknown as z.ZodType<T[number], T[number]>;
}

/** `true`/`false` in a query string (any case). */
export const BooleanQuerySchema = queryEnum(['true', 'false']).transform((v) => v === 'true');

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
export const ReasonSchema = TextSchema.trim().min(3).max(1000);
