import { startTestPostgres } from '@backoffice/embedded-pg/testing';
import type { TestProject } from 'vitest/node';
import { createPool, migrateToLatest } from '../src/db/database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test server, as a user allowed to create databases. */
    sandboxPostgresUrl: string;
    /** A migrated database every test file clones (CREATE DATABASE … TEMPLATE). */
    sandboxTemplateDatabase: string;
  }
}

/** One PostgreSQL for the sandbox's tests, with the migrations applied once into a template database. */
export default async function setup(project: TestProject) {
  const postgres = await startTestPostgres({
    prefix: 'sandbox',
    async migrate(url) {
      const template = createPool(url);
      try {
        await migrateToLatest(template);
      } finally {
        await template.destroy();
      }
    },
  });
  project.provide('sandboxPostgresUrl', postgres.serverUrl);
  project.provide('sandboxTemplateDatabase', postgres.templateDatabase);
  return postgres.teardown;
}
