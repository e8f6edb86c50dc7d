import { Migrator, type MigrationResult } from 'kysely';
import { migrations } from '../../db/migrations/index.ts';
import type { Database } from './database.ts';

export class MigrationError extends Error {
  override name = 'MigrationError';
}

function createMigrator(db: Database): Migrator {
  return new Migrator({
    db,
    // A static list rather than a folder scan: it works the same under tsx, Vitest and any bundler.
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
}

/**
 * Applies every pending migration. Safe to run from several instances at once: Kysely serialises
 * migrators with a lock row, and applied migrations are skipped.
 */
export async function migrateToLatest(db: Database): Promise<MigrationResult[]> {
  const { error, results } = await createMigrator(db).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new MigrationError(
      `Migration ${failed?.migrationName ?? '(unknown)'} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      { cause: error },
    );
  }
  return results ?? [];
}

/** Names of the migrations that exist in the code but are not applied to the database. */
export async function pendingMigrations(db: Database): Promise<string[]> {
  const migrations = await createMigrator(db).getMigrations();
  return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
