import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { migrations } from './migrations/index.ts';

describe('the migration index', () => {
  it('lists every migration file in src/db/migrations', async () => {
    const files = (await readdir(new URL('./migrations', import.meta.url)))
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''));
    expect(Object.keys(migrations).sort()).toEqual(files.sort());
  });
});
