import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDatabase } from '../src/platform/db/database.ts';
import { startEmbeddedPostgres } from '@backoffice/embedded-pg';
import { migrateToLatest } from '../src/platform/db/migrations.ts';
import { adminQuery } from './helpers/admin.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A URL of the test server with a user allowed to create databases; its path names no database. */
    postgresUrl: string;
    /** A migrated database that every test file clones (CREATE DATABASE … TEMPLATE). */
    templateDatabase: string;
  }
}

/**
 * One PostgreSQL for the whole run: DATABASE_URL when given, otherwise an embedded server in a fresh
 * temporary directory (fsync off: test data need not survive a power cut). Migrations run once, into a
 * template database.
 */
export default async function setup(project: TestProject) {
  let serverUrl: string;
  let stopServer = async () => {};
  const tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'backoffice-test-'));
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

  const templateDatabase = `backoffice_template_${process.pid}`;
  const teardown = async () => {
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`);
    await stopServer();
    await fs.rm(tmpDir, { recursive: true, force: true });
  };

  try {
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${templateDatabase}`);
    await adminQuery(serverUrl, `CREATE DATABASE ${templateDatabase}`);
    const template = createDatabase(withDatabase(serverUrl, templateDatabase));
    try {
      await migrateToLatest(template.db);
    } finally {
      await template.close();
    }
  } catch (error) {
    // Vitest does not run the teardown of a setup that failed: do not leave a server running.
    await teardown().catch(() => undefined);
    throw error;
  }

  project.provide('postgresUrl', serverUrl);
  project.provide('templateDatabase', templateDatabase);
  return teardown;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
