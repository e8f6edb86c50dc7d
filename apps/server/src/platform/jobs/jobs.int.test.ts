import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { Notifications } from '../db/notifications.ts';
import { Jobs } from './jobs.ts';
import { waitFor } from '../../../test/helpers/wait.ts';

const logger = pino({ level: 'silent' });

describe('job runner', () => {
  let database: TestDatabase;
  let notifications: Notifications;

  beforeAll(async () => {
    database = await createTestDatabase();
    notifications = new Notifications(database.pool, logger);
    await notifications.start();
  });
  afterAll(async () => {
    await notifications.stop();
    await database.drop();
  });

  it('runs a job another instance queued as soon as it is announced, without polling for it', async () => {
    // Polling once an hour: only the announcement can wake it in time.
    const jobs = new Jobs(database.db, logger, notifications, { listening: 3_600_000, deaf: 500 });
    jobs.register('echo', (job) => Promise.resolve({ echoed: job.params }));
    jobs.start();
    try {
      // The runner has looked once and found nothing; now it sleeps.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const queued = await database.db
        .insertInto('jobs')
        .values({ type: 'echo', params: JSON.stringify({ n: 1 }), created_by: null })
        .returning('id')
        .executeTakeFirstOrThrow();
      await waitFor(async () => (await jobs.get(queued.id))?.status === 'succeeded');
      expect((await jobs.get(queued.id))?.result).toEqual({ echoed: { n: 1 } });
    } finally {
      await jobs.stop();
    }
  });
});
