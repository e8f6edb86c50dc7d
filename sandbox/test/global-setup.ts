import { startEmbeddedPostgres } from '@backoffice/embedded-pg';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createPool, migrateToLatest } from '../src/db/database.ts';
import { adminQuery, withDatabase } from './helpers/admin.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test server, as a user allowed to create databases. */
    sandboxPostgresUrl: string;
    /** A migrated database every test file clones (CREATE DATABASE … TEMPLATE). */
    sandboxTemplateDatabase: string;
  }
}

/**
 * One PostgreSQL for the sandbox's tests: DATABASE_URL when given, otherwise an embedded server in a
 * temporary directory (fsync off). Migrations run once, into a template database.
 */
export default async function setup(project: TestProject) {
  let serverUrl: string;
  let stopServer = async () => {};
  const tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'sandbox-test-'));
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

  const templateDatabase = `sandbox_template_${process.pid}`;
  const teardown = async () => {
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${templateDatabase} WITH (FORCE)`);
    await stopServer();
    await fs.rm(tmpDir, { recursive: true, force: true });
  };

  try {
    await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${templateDatabase}`);
    await adminQuery(serverUrl, `CREATE DATABASE ${templateDatabase}`);
    const template = createPool(withDatabase(serverUrl, templateDatabase));
    try {
      await migrateToLatest(template);
    } finally {
      await template.destroy();
    }
  } catch (error) {
    // Vitest does not run the teardown of a setup that failed: do not leave a server running.
    await teardown().catch(() => undefined);
    throw error;
  }

  project.provide('sandboxPostgresUrl', serverUrl);
  project.provide('sandboxTemplateDatabase', templateDatabase);
  return teardown;
}
