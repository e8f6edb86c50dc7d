import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { DB } from '../../db/schema.ts';

export type Database = Kysely<DB>;

// date → 'YYYY-MM-DD' (a JS Date would shift it to local midnight); bigint → number (counts, ids and
// offsets all stay below 2^53). numeric stays a string: amounts are exact decimals.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

const parseTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ) as (
  value: string,
) => Date;

/**
 * A timestamptz that came back as text — cast `::text` inside json_agg, where JSON would give it in
 * another format — parsed exactly as the driver parses a timestamptz column: the same Date.
 */
export function timestampFromText(text: string): Date;
export function timestampFromText(text: string | null): Date | null;
export function timestampFromText(text: string | null): Date | null {
  return text === null ? null : parseTimestamptz(text);
}

export interface DatabaseHandle {
  db: Database;
  pool: pg.Pool;
  /** The URL with its password masked, for logs and error messages. */
  safeUrl: string;
  close(): Promise<void>;
}

export class DatabaseUnreachableError extends Error {
  override name = 'DatabaseUnreachableError';
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable database URL>';
  }
}

export function createDatabase(
  url: string,
  options: { poolMax?: number; applicationName?: string } = {},
): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    application_name: options.applicationName ?? 'backoffice',
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (database restart) must not crash the process;
  // the pool discards it and the next query reconnects.
  pool.on('error', () => undefined);
  // The same for a client that is checked out but between queries when its connection ends (a
  // terminated backend, a dropped database): pg emits 'error' on it, which would be uncaught. Its next
  // query fails with the reason, and the holder releases it as usual.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    db,
    pool,
    safeUrl: redactUrl(url),
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

/**
 * Waits until the database answers, retrying for `timeoutMs` (a database started next to us may still be
 * coming up), then fails with one clear line that names the server but not the password.
 */
export async function waitForDatabase(url: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: Error | undefined;
  do {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch (error) {
      lastError = error as Error;
      await client.end().catch(() => undefined);
      // Wrong password or missing database will not fix themselves.
      const code = (error as { code?: string }).code;
      if (code === '28P01' || code === '28000' || code === '3D000') break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } while (Date.now() < deadline);
  throw new DatabaseUnreachableError(
    `Cannot connect to PostgreSQL at ${redactUrl(url)}: ${lastError?.message ?? 'unknown error'}. ` +
      'Check DATABASE_URL, or unset it to use the embedded PostgreSQL.',
  );
}

/**
 * The one unit of work: runs `work` in the caller's transaction when `db` is one, or in a new
 * transaction otherwise. Services and repositories take the executor they are given and open a
 * transaction only through here (features.test.ts checks it).
 */
export function inTransaction<T>(
  db: Database,
  work: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  return db.isTransaction ? work(db as Transaction<DB>) : db.transaction().execute(work);
}
