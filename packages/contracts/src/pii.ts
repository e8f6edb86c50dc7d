import { z } from 'zod';

/**
 * Fields holding a customer's personal data, marked in the response schemas that carry them:
 * `email: pii(z.string(), 'email')`. The server masks every marked field, in one place, for callers
 * without `users:read_pii` — so a new endpoint gets masking by marking its schema.
 */
export type PiiKind = 'email' | 'name' | 'text' | 'ip' | 'json' | 'change';

export const piiRegistry = z.registry<{ pii: PiiKind }>();

export function pii<T extends z.ZodType>(schema: T, kind: PiiKind): T {
  piiRegistry.add(schema, { pii: kind });
  return schema;
}

/**
 * Whose personal data a schema's values hold (`user => user.id`): a staff member who revealed that
 * person's data (POST /v1/admin/users/{id}/reveal) sees it unmasked while the reveal lasts.
 */
export const piiSubjects = z.registry<{ subjectOf: (value: unknown) => unknown }>();

export function piiSubject<T extends z.ZodType>(
  schema: T,
  subjectOf: (value: z.output<T>) => string | null,
): T {
  piiSubjects.add(schema, { subjectOf: subjectOf as (value: unknown) => unknown });
  return schema;
}

export const MASK = '***';

export function maskValue(value: string, kind: PiiKind): string {
  switch (kind) {
    case 'email': {
      const at = value.lastIndexOf('@');
      if (at <= 0) return MASK;
      return `${value[0] ?? ''}${MASK}${value.slice(at)}`;
    }
    case 'name':
      return value
        .split(/\s+/)
        .filter(Boolean)
        .map((part) => `${part[0] ?? ''}${MASK}`)
        .join(' ');
    case 'ip':
    case 'text':
    case 'json':
    case 'change':
      return MASK;
  }
}

/** Keys whose values are personal data wherever they appear in free-form JSON (audit before/after). */
const PERSONAL_KEYS: [RegExp, PiiKind][] = [
  [/e-?mail/i, 'email'],
  [/(^|_)(first_?|last_?|full_?|display_?)?name$/i, 'name'],
  [/(^|_)(ip|ip_?address|phone|address|user_?agent)$/i, 'text'],
];

const personalKindOf = (key: string): PiiKind | undefined =>
  PERSONAL_KEYS.find(([re]) => re.test(key))?.[1];

/**
 * Masks the personal data inside free-form JSON (before/after snapshots): string values under keys
 * that name personal data, at any depth. Everything else is kept, so a diff still shows what changed.
 */
export function maskJson(value: unknown, kind?: PiiKind): unknown {
  if (typeof value === 'string') return kind === undefined ? value : maskValue(value, kind);
  // A number under a personal key (a phone number stored as digits) is personal data too.
  if (typeof value === 'number') return kind === undefined ? value : MASK;
  if (Array.isArray(value)) return value.map((item) => maskJson(item, kind));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      key,
      maskJson(child, personalKindOf(key) ?? kind),
    ]),
  );
}

/**
 * Masks one change of a diff between two free-form JSON snapshots, `{ path, before, after }`: the
 * values are personal data when a key on the JSON pointer names personal data (`/email`,
 * `/profile/first_name`), exactly as they would be inside the snapshots themselves.
 */
export function maskChange(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('path' in value)) return maskJson(value);
  const change = value as { path: unknown; before?: unknown; after?: unknown };
  const kind =
    typeof change.path === 'string'
      ? change.path
          .split('/')
          .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
          .reduce<PiiKind | undefined>(
            (inherited, key) => personalKindOf(key) ?? inherited,
            undefined,
          )
      : undefined;
  return { ...change, before: maskJson(change.before, kind), after: maskJson(change.after, kind) };
}
