import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { machineSettings, startEmbeddedPostgres } from './index.ts';

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

  it('sizes its settings for the machine unless ephemeral, and lets configured ones win', async () => {
    const server = await startEmbeddedPostgres({
      dir: path.join(dir, 'sized'),
      port: 0,
      settings: { shared_buffers: '32MB' },
    });
    try {
      const show = async (name: string) =>
        (
          await query<{ value: string }>(server.url, `SELECT current_setting('${name}') AS value`)
        )[0]?.value;
      expect(await show('shared_buffers')).toBe('32MB');
      expect(await show('jit')).toBe('off');
      expect(await show('random_page_cost')).toBe('1.1');
      expect(await show('effective_cache_size')).toBe(machineSettings().effective_cache_size);
    } finally {
      await server.stop();
    }
    await expect(
      startEmbeddedPostgres({
        dir: path.join(dir, 'sized'),
        port: 0,
        settings: { shared_buffers: '1GB; rm -rf /' },
      }),
    ).rejects.toThrow(/refusing the PostgreSQL setting/);
  });
});

describe('machineSettings', () => {
  it('gives a quarter of the memory to shared buffers, within bounds', () => {
    expect(machineSettings(24 * 2 ** 30, 'linux')).toMatchObject({
      shared_buffers: '6144MB',
      effective_cache_size: '12288MB',
      maintenance_work_mem: '768MB',
      work_mem: '24MB',
      effective_io_concurrency: '200',
    });
    expect(machineSettings(64 * 2 ** 30, 'linux').shared_buffers).toBe('8192MB');
    expect(machineSettings(256 * 2 ** 20, 'linux').shared_buffers).toBe('128MB');
  });

  it('leaves effective_io_concurrency alone where PostgreSQL has no posix_fadvise', () => {
    expect(machineSettings(8 * 2 ** 30, 'darwin')).not.toHaveProperty('effective_io_concurrency');
  });
});
