import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { migrateToLatest, pendingMigrations } from './migrations.ts';

describe('migrations', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
  });
  afterAll(async () => {
    await database.drop();
  });

  async function tables(): Promise<string[]> {
    const result = await sql<{ table_name: string }>`
      SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'public' ORDER BY table_name`.execute(database.db);
    return result.rows.map((r) => r.table_name);
  }

  it('applies every migration to an empty database', async () => {
    expect((await pendingMigrations(database.db)).length).toBeGreaterThan(0);
    const results = await migrateToLatest(database.db);
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((r) => r.status === 'Success')).toBe(true);
    expect(await pendingMigrations(database.db)).toEqual([]);
    expect(await tables()).toContain('instance_settings');
  });

  it('is idempotent: a second run applies nothing and changes nothing', async () => {
    const before = await tables();
    expect(await migrateToLatest(database.db)).toEqual([]);
    expect(await tables()).toEqual(before);
  });

  it('is safe when several instances migrate at the same time', async () => {
    const fresh = await createTestDatabase({ migrated: false });
    try {
      const runs = await Promise.all([1, 2, 3].map(() => migrateToLatest(fresh.db)));
      const applied = runs.flat().map((r) => r.migrationName);
      expect(new Set(applied).size).toBe(applied.length);
      expect(await pendingMigrations(fresh.db)).toEqual([]);
    } finally {
      await fresh.drop();
    }
  });
});

describe('the migration index', () => {
  it('lists every migration file in src/db/migrations', async () => {
    const { readdir } = await import('node:fs/promises');
    const { migrations } = await import('../../db/migrations/index.ts');
    const files = (await readdir(new URL('../../db/migrations', import.meta.url)))
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''));
    expect(Object.keys(migrations).sort()).toEqual(files.sort());
  });
});
