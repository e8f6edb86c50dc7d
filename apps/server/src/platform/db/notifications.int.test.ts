import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { waitFor } from '../../../test/helpers/wait.ts';
import { Notifications } from './notifications.ts';

const logger = pino({ level: 'silent' });

/** The backend pids of the pool's connections that LISTEN (or just stopped listening). */
async function listenerPids(database: TestDatabase): Promise<number[]> {
  const { rows } = await database.pool.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
      WHERE datname = current_database() AND pid <> pg_backend_pid()
        AND (query LIKE 'LISTEN%' OR query LIKE 'UNLISTEN%')`,
  );
  return rows.map((r) => r.pid);
}

describe('the LISTEN connection', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('reconnects when its connection is killed, and hears again', async () => {
    const notifications = new Notifications(database.pool, logger);
    const heard: string[] = [];
    notifications.on('test_channel', (payload) => heard.push(payload));
    await notifications.start();
    try {
      const [pid] = await listenerPids(database);
      await database.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      await waitFor(() => !notifications.listening);
      await waitFor(() => notifications.listening, 60_000);
      await database.pool.query(`NOTIFY test_channel, 'after'`);
      await waitFor(() => heard.includes('after'));
    } finally {
      await notifications.stop();
    }
  });

  it('does not release a connection it gave back when that connection errs later', async () => {
    // stop() gives the connection back to the pool; the server then ends it (a dropped database, a
    // restart). The listener's error handler once released it a second time, and pg-pool threw
    // "Release called on client which has already been released" out of the socket's handler.
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    // As the application's pool does (database.ts): an idle connection's error is the pool's event.
    pool.on('error', () => undefined);
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      const notifications = new Notifications(pool, logger);
      notifications.on('test_channel', () => undefined);
      await notifications.start();
      const [pid] = await listenerPids(database);
      expect(pid).toBeDefined();
      await notifications.stop();
      expect(pool.idleCount).toBe(1);
      await database.pool.query('SELECT pg_terminate_backend($1)', [pid]);
      // The pool drops the ended connection from its idle ones once its error arrived.
      await waitFor(() => pool.totalCount === 0);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
      await pool.end();
    }
  });
});
