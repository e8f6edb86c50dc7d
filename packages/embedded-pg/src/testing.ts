import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from './index.ts';

/** Runs one statement on the server's maintenance database (CREATE/DROP DATABASE cannot run in a pool). */
export async function adminQuery(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The same server URL, naming another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export interface TestPostgres {
  /** A URL of the server with a user allowed to create databases. */
  serverUrl: string;
  /** A migrated database every test file clones (CREATE DATABASE … TEMPLATE). */
  templateDatabase: string;
  teardown: () => Promise<void>;
}

/**
 * One PostgreSQL for a test run (a vitest global setup): DATABASE_URL when given, otherwise an
 * embedded server in a fresh temporary directory (fsync off: test data need not survive a power cut).
 * `migrate` runs once, into a template database named after `prefix`.
 */
export async function startTestPostgres(options: {
  prefix: string;
  migrate: (templateUrl: string) => Promise<void>;
}): Promise<TestPostgres> {
  let serverUrl: string;
  let stopServer = async () => {};
  const tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), `${options.prefix}-test-`));
  await fs.chmod(tmpDir, 0o755);

  if (process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '') {
    serverUrl = process.env.DATABASE_URL;
  } else {
    const embedded = await startEmbeddedPostgres({
      dir: path.join(tmpDir, 'postgres'),
      port: 0,
      ephemeral: true,
      database: 'postgres',
    });
    serverUrl = embedded.url;
    stopServer = () => embedded.stop();
  }

  const templateDatabase = `${options.prefix}_template_${process.pid}`;
  const teardown = async () => {
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`);
    await stopServer();
    await fs.rm(tmpDir, { recursive: true, force: true });
  };

  try {
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${templateDatabase}`);
    await adminQuery(serverUrl, `CREATE DATABASE ${templateDatabase}`);
    await options.migrate(withDatabase(serverUrl, templateDatabase));
  } catch (error) {
    // Vitest does not run the teardown of a setup that failed: do not leave a server running.
    await teardown().catch(() => undefined);
    throw error;
  }
  return { serverUrl, templateDatabase, teardown };
}
