import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './index.ts';

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'backoffice-embedded-'));
    await fs.chmod(dir, 0o755);
  });
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps its data across a stop and a start in the same directory', async () => {
    const first = await startEmbeddedPostgres({
      dir: path.join(dir, 'pg'),
      port: 0,
      ephemeral: true,
    });
    expect(first.owned).toBe(true);
    await query(first.url, 'CREATE TABLE kept (value text)');
    await query(first.url, "INSERT INTO kept VALUES ('survives a restart')");
    await first.stop();
    await expect(query(first.url, 'SELECT 1')).rejects.toThrow();

    const second = await startEmbeddedPostgres({
      dir: path.join(dir, 'pg'),
      port: 0,
      ephemeral: true,
    });
    try {
      expect(await query(second.url, 'SELECT value FROM kept')).toEqual([
        { value: 'survives a restart' },
      ]);
    } finally {
      await second.stop();
    }
  });

  it('uses a configured port, and shares (without stopping) a server another live process owns', async () => {
    const probe = await startEmbeddedPostgres({
      dir: path.join(dir, 'shared'),
      port: 0,
      ephemeral: true,
    });
    const port = probe.port;
    await probe.stop();

    const owner = await startEmbeddedPostgres({
      dir: path.join(dir, 'shared'),
      port,
      ephemeral: true,
    });
    try {
      expect(owner.port).toBe(port);
      // Pretend the owner is another process (the server) while this one (the CLI) connects.
      await fs.writeFile(path.join(dir, 'shared', 'owner.pid'), String(process.ppid));
      const guest = await startEmbeddedPostgres({ dir: path.join(dir, 'shared'), port: 0 });
      expect(guest.owned).toBe(false);
      expect(guest.port).toBe(port);
      await guest.stop();
      expect(await query(owner.url, 'SELECT 1 AS up')).toEqual([{ up: 1 }]);
    } finally {
      await owner.stop();
    }
  });
});
