import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@backoffice/embedded-pg';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { migrations } from './migrations/index.ts';
import type { DB } from './schema.ts';

export type Database = Kysely<DB>;

export interface SandboxDatabase {
  db: Database;
  /** The URL with its password masked, for logs. */
  safeUrl: string;
  /** True when the sandbox runs its own embedded PostgreSQL. */
  embedded: boolean;
  /** Closes the pool, then stops the embedded PostgreSQL if this process started it. */
  close(): Promise<void>;
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

export function createPool(url: string): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    application_name: 'backoffice-sandbox',
  });
  // A dropped idle connection (database restart) must not crash the process.
  pool.on('error', () => undefined);
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * The sandbox's tables live in their own database (demo mode passes the backoffice server's `sandbox`
 * database); when that database does not exist yet, it is created, which needs CREATEDB on the server.
 */
async function ensureReachable(url: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      const code = (error as { code?: string }).code;
      if (code === '3D000') {
        await createDatabase(url);
        continue;
      }
      if (code === '28P01' || code === '28000' || Date.now() > deadline) {
        throw new Error(
          `Cannot connect to the sandbox database at ${redactUrl(url)}: ${(error as Error).message}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

async function createDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const client = new pg.Client({ connectionString: target.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } catch (error) {
    // Another process created it in the meantime: fine.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

/**
 * `databaseUrl` → that server; otherwise an embedded PostgreSQL in `<dataDir>/sandbox-postgres`, kept
 * across runs (so the sandbox seeds once). Migrations are applied before returning.
 */
export async function openSandboxDatabase(options: {
  databaseUrl: string | undefined;
  dataDir: string;
  logger: Logger;
}): Promise<SandboxDatabase> {
  let url = options.databaseUrl;
  let embedded: EmbeddedPostgresHandle | undefined;
  if (url === undefined) {
    embedded = await startEmbeddedPostgres({
      dir: path.join(options.dataDir, 'sandbox-postgres'),
      port: 0,
      database: 'sandbox',
      log: (message) => options.logger.info({ component: 'embedded-postgres' }, message),
    });
    url = embedded.url;
  }
  let db: Database | undefined;
  try {
    await ensureReachable(url);
    db = createPool(url);
    await migrateToLatest(db);
  } catch (error) {
    await db?.destroy();
    await embedded?.stop();
    throw error;
  }
  const pool = db;
  return {
    db: pool,
    safeUrl: redactUrl(url),
    embedded: embedded !== undefined,
    async close() {
      await pool.destroy();
      await embedded?.stop();
    },
  };
}

/**
 * Applies pending migrations. The bookkeeping tables have sandbox-specific names so that pointing the
 * sandbox at a database that also holds other Kysely migrations cannot mix the two histories.
 */
export async function migrateToLatest(db: Database): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    migrationTableName: 'sandbox_migration',
    migrationLockTableName: 'sandbox_migration_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(
      `Sandbox migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      { cause: error },
    );
  }
}
