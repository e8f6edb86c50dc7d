import fs from 'node:fs';
import pg from 'pg';
import { createDatabase, type DatabaseHandle } from '../../apps/server/src/platform/db/database.ts';
import { migrateToLatest } from '../../apps/server/src/platform/db/migrations.ts';

/**
 * The PostgreSQL server the benchmarks use: BENCH_POSTGRES_URL (a superuser or a role with CREATEDB), by
 * default the local server on 127.0.0.1:5432. Every database a benchmark creates is named
 * `backoffice_bench_*`; the cached, loaded ones are kept between runs, the others are dropped.
 */
export const ADMIN_URL =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery<R extends pg.QueryResultRow = Record<string, unknown>>(
  text: string,
  values: unknown[] = [],
  url = ADMIN_URL,
): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

const NAME = /^backoffice_bench_[a-z0-9_]+$/;

function checked(name: string): string {
  if (!NAME.test(name))
    throw new Error(`refusing to touch database ${name}: not backoffice_bench_*`);
  return name;
}

export async function databaseExists(name: string): Promise<boolean> {
  const rows = await adminQuery('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  return rows.length > 0;
}

export async function createEmptyDatabase(name: string, template?: string): Promise<void> {
  await adminQuery(
    `CREATE DATABASE ${checked(name)}${template === undefined ? '' : ` TEMPLATE ${checked(template)}`}`,
  );
}

export async function dropDatabase(name: string): Promise<void> {
  await adminQuery(`DROP DATABASE IF EXISTS ${checked(name)} WITH (FORCE)`);
}

/** A new database with the server's migrations applied, as the server leaves it at its first start. */
export async function createMigratedDatabase(name: string): Promise<void> {
  await createEmptyDatabase(name);
  const handle = open(name, 2);
  try {
    await migrateToLatest(handle.db);
  } finally {
    await handle.close();
  }
}

export function open(name: string, poolMax = 4): DatabaseHandle {
  return createDatabase(databaseUrl(name), { poolMax, applicationName: 'backoffice-bench' });
}

/** Metadata kept on a cached database (COMMENT ON DATABASE), so a half-loaded one is never reused. */
export async function readMarker<T>(name: string): Promise<T | undefined> {
  const rows = await adminQuery<{ comment: string | null }>(
    `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
    [name],
  );
  const comment = rows[0]?.comment;
  if (comment == null) return undefined;
  try {
    return JSON.parse(comment) as T;
  } catch {
    return undefined;
  }
}

export async function writeMarker(name: string, marker: unknown): Promise<void> {
  const literal = JSON.stringify(marker).replaceAll("'", "''");
  await adminQuery(`COMMENT ON DATABASE ${checked(name)} IS '${literal}'`);
}

/** "PostgreSQL 15.20 — server at 127.0.0.1:5432 (BENCH_POSTGRES_URL / DATABASE_URL)", for the report. */
export async function describePostgres(): Promise<string> {
  const [row] = await adminQuery<{ version: string; shared_buffers: string }>(
    `SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS shared_buffers`,
  );
  const url = new URL(ADMIN_URL);
  return (
    `${row?.version ?? '?'} — a server at ${url.host} given to the backoffice as DATABASE_URL ` +
    `(not the embedded one); shared_buffers ${row?.shared_buffers ?? '?'}`
  );
}

export async function databaseSize(name: string): Promise<string> {
  const [row] = await adminQuery<{ size: string }>(
    'SELECT pg_size_pretty(pg_database_size($1)) AS size',
    [name],
  );
  return row?.size ?? '?';
}

/**
 * CPU seconds used so far by every PostgreSQL process on this machine (Linux /proc; 0 elsewhere). The
 * server's pool keeps its backends for the whole run, so the difference over a window is what the
 * database spent in it (a backend that exits inside the window takes its share with it).
 */
export function postgresCpuSeconds(): number {
  const ticks = 100; // USER_HZ
  let total = 0;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (name !== 'postgres' && !name.startsWith('postgres:')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}
