import { startTestPostgres } from '@backoffice/embedded-pg/testing';
import type { TestProject } from 'vitest/node';
import { createDatabase } from '../src/platform/db/database.ts';
import { migrateToLatest } from '../src/platform/db/migrations.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A URL of the test server with a user allowed to create databases; its path names no database. */
    postgresUrl: string;
    /** A migrated database that every test file clones (CREATE DATABASE … TEMPLATE). */
    templateDatabase: string;
  }
}

/** One PostgreSQL for the whole run, with the migrations applied once into a template database. */
export default async function setup(project: TestProject) {
  const postgres = await startTestPostgres({
    prefix: 'backoffice',
    async migrate(url) {
      const template = createDatabase(url);
      try {
        await migrateToLatest(template.db);
      } finally {
        await template.close();
      }
    },
  });
  project.provide('postgresUrl', postgres.serverUrl);
  project.provide('templateDatabase', postgres.templateDatabase);
  return postgres.teardown;
}
