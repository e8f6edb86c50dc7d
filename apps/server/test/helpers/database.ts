import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/platform/db/database.ts';
import { adminQuery, withDatabase } from '@backoffice/embedded-pg/testing';

export interface TestDatabase extends DatabaseHandle {
  name: string;
  url: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** A fresh, migrated database of this test file's own, cloned from the run's template in milliseconds. */
export async function createTestDatabase(
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  const serverUrl = inject('postgresUrl');
  const name = `backoffice_test_${randomBytes(6).toString('hex')}`;
  const template = options.migrated === false ? 'template0' : inject('templateDatabase');
  await adminQuery(serverUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = withDatabase(serverUrl, name);
  const handle = createDatabase(url, { poolMax: 10 });
  return {
    ...handle,
    name,
    url,
    async drop() {
      await handle.close();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
