import { createHash } from 'node:crypto';

/**
 * The audit hash chain, exactly as a third party re-computes it (README "Audit"):
 *
 *   hash(n) = hex(SHA-256( hash(n-1) + canonical(entry n) )),   hash(0) = 64 × "0"
 *
 * canonical() is RFC 8785 (JSON Canonicalization Scheme) for the values an entry holds: object keys
 * sorted by UTF-16 code units, no whitespace, strings and numbers as ECMAScript's JSON.stringify writes
 * them. The hashed document has every field of `HashedEntry`, absent values as null, timestamps as
 * ISO 8601 UTC with milliseconds — except `occurredAt`, which entries written before it was stored do
 * not have: they hash without the key, as they always did, and every later entry hashes with it.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface HashedEntry {
  seq: number;
  id: string;
  at: string;
  occurredAt?: string;
  actor: { type: string; id: string | null; email: string | null };
  action: string;
  resource: { type: string; id: string | null };
  outcome: string;
  reason: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
  userAgent: string | null;
  correlationId: string | null;
  eventId: string | null;
  metadata: unknown;
}

export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value))
        throw new Error('canonical JSON has no representation for a non-finite number');
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
    }
    default:
      throw new Error(`canonical JSON has no representation for ${typeof value}`);
  }
}

export function chainHash(previousHash: string, entry: HashedEntry): string {
  return createHash('sha256')
    .update(previousHash, 'utf8')
    .update(canonicalJson(entry), 'utf8')
    .digest('hex');
}
