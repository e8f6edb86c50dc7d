import {
  MASK,
  maskChange,
  maskJson,
  maskValue,
  piiRegistry,
  piiSubjects,
  PERSONAL_DATA_PERMISSION,
} from '@backoffice/contracts';
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { can, revealedSubjects } from './principal.ts';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  out?: z.ZodType;
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

function children(def: Def): z.ZodType[] {
  return [
    ...Object.values(def.shape ?? {}),
    ...(def.options ?? []),
    ...[def.element, def.innerType, def.valueType, def.out].filter(
      (s): s is z.ZodType => s !== undefined,
    ),
  ];
}

const hasPiiCache = new WeakMap<z.ZodType, boolean>();

/** Whether anything in the schema is marked as personal data (cached: schemas are built once). */
export function containsPii(schema: z.ZodType, seen = new Set<z.ZodType>()): boolean {
  const cached = hasPiiCache.get(schema);
  if (cached !== undefined) return cached;
  if (seen.has(schema)) return false;
  seen.add(schema);
  const def = defOf(schema);
  const result =
    piiRegistry.has(schema) ||
    children(def).some((child) => containsPii(child, seen)) ||
    (def.type === 'lazy' && def.getter !== undefined && containsPii(def.getter(), seen));
  hasPiiCache.set(schema, result);
  return result;
}

const NOBODY: ReadonlySet<string> = new Set();

/**
 * A copy of `value` with every field its schema marks as personal data masked — but for the
 * `revealed` people's. A schema that names its subject (`piiSubject`) opens that person's scope: its
 * marked fields stay unmasked when that subject is revealed, while a nested schema naming another
 * subject (the actor of an entry about the revealed person, say) opens a scope of its own.
 */
export function maskPii(
  schema: z.ZodType,
  value: unknown,
  revealed: ReadonlySet<string> = NOBODY,
  inRevealedScope = false,
): unknown {
  if (value === null || value === undefined) return value;
  let scope = inRevealedScope;
  const subjectOf = revealed.size === 0 ? undefined : piiSubjects.get(schema)?.subjectOf;
  if (subjectOf !== undefined) {
    const subject = subjectOf(value);
    scope = typeof subject === 'string' && revealed.has(subject);
  }
  const marked = piiRegistry.get(schema);
  if (marked !== undefined && scope) return value;
  // Free-form JSON keeps its shape with personal values masked; any other marked non-string is hidden whole.
  if (marked?.pii === 'json') return maskJson(value);
  if (marked?.pii === 'change') return maskChange(value);
  if (marked !== undefined) return typeof value === 'string' ? maskValue(value, marked.pii) : MASK;
  if (!containsPii(schema)) return value;
  const def = defOf(schema);
  const inner = (child: z.ZodType, v: unknown) => maskPii(child, v, revealed, scope);
  switch (def.type) {
    case 'object': {
      if (typeof value !== 'object') return value;
      const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      for (const [key, child] of Object.entries(def.shape ?? {})) {
        if (key in out) out[key] = inner(child, out[key]);
      }
      return out;
    }
    case 'array':
      return Array.isArray(value) && def.element !== undefined
        ? value.map((v) => inner(def.element as z.ZodType, v))
        : value;
    case 'record': {
      if (typeof value !== 'object' || def.valueType === undefined) return value;
      const valueType = def.valueType;
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inner(valueType, v)]));
    }
    case 'union': {
      const option = def.options?.find((o) => o.safeParse(value).success);
      return option === undefined ? value : inner(option, value);
    }
    case 'pipe':
      return def.out === undefined ? value : inner(def.out, value);
    case 'lazy':
      return def.getter === undefined ? value : inner(def.getter(), value);
    default:
      return def.innerType === undefined ? value : inner(def.innerType, value);
  }
}

function isZod(schema: unknown): schema is z.ZodType {
  return typeof schema === 'object' && schema !== null && '_zod' in schema;
}

/**
 * Masks personal data in every response for callers without the personal-data permission, driven by the route's
 * response schema: fields marked with `pii()` in packages/contracts are masked, nothing else changes.
 * The masked response still satisfies the schema, so masked data shows as masked, never as an error.
 * A response no schema describes is masked by its keys (`email`, `name`, `ip`… at any depth), so a
 * route that forgets to declare its schema does not leak. Streams (exports) and WebSocket messages
 * do not pass here: they call `maskPii` with their own schema. People the caller revealed (for a
 * while, with a justification) stay unmasked in HTTP responses only: exports and live feeds are
 * read in bulk, where a reveal of one person is no reason to unmask.
 */
export function registerPiiMasking(app: FastifyInstance): void {
  // The reveals come with the principal (cached with it, evicted when one is granted): no query here.
  app.addHook('preSerialization', async (request, reply, payload) => {
    const principal = request.principal ?? null;
    if (principal === null || can(principal, PERSONAL_DATA_PERMISSION)) return payload;
    const responses = (request.routeOptions.schema?.response ?? {}) as Record<string, unknown>;
    const schema = responses[reply.statusCode] ?? responses[`${String(reply.statusCode)[0]}xx`];
    if (!isZod(schema)) return maskJson(payload);
    if (!containsPii(schema)) return payload;
    return maskPii(schema, payload, revealedSubjects(principal));
  });
}
