import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createPool, type Database } from '../../src/db/database.ts';
import { adminQuery, withDatabase } from '@backoffice/embedded-pg/testing';

export interface TestDatabase {
  db: Database;
  url: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** A migrated database of this test file's own, cloned from the run's template in milliseconds. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('sandboxPostgresUrl');
  const name = `sandbox_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(
    serverUrl,
    `CREATE DATABASE ${name} TEMPLATE ${inject('sandboxTemplateDatabase')}`,
  );
  const url = withDatabase(serverUrl, name);
  const db = createPool(url);
  return {
    db,
    url,
    async drop() {
      await db.destroy();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * The URL of a database that does not exist yet, for code that creates and migrates its own (the
 * sandbox does on start), and a function dropping it afterwards.
 */
export function freshDatabaseUrl(): { url: string; drop(): Promise<void> } {
  const serverUrl = inject('sandboxPostgresUrl');
  const name = `sandbox_fresh_${randomBytes(6).toString('hex')}`;
  return {
    url: withDatabase(serverUrl, name),
    drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
