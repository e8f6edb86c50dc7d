import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, uuid } from '../../../test/factories/events.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { readModelSnapshot } from '../../../test/helpers/read-model.ts';
import { Projector } from '../../platform/events/projector.ts';
import { testProjections } from '../../../test/helpers/audit.ts';
import { rebuildReadModel } from './rebuild.ts';

const logger = pino({ level: 'silent' });

describe('rebuildReadModel', () => {
  let database: TestDatabase;
  let original: Record<string, unknown[]>;

  beforeAll(async () => {
    database = await createTestDatabase();
    const projector = new Projector(database.db, testProjections(), logger);
    const stream = [];
    for (let u = 0; u < 20; u++) {
      const userId = uuid();
      stream.push(events.userCreated({ id: userId, email: `rebuild${u}@example.com` }));
      if (u % 4 === 0) stream.push(events.userBlocked(userId));
      for (let t = 0; t < 15; t++) {
        const tx = {
          id: uuid(),
          user_id: userId,
          amount: `${t + 1}.50`,
          date: `2026-08-${String(t + 1).padStart(2, '0')}T12:00:00Z`,
        };
        stream.push(events.transactionCreated(tx));
        if (t % 5 === 0) stream.push(events.transactionDeleted(tx.id, userId));
      }
    }
    for (let i = 0; i < stream.length; i += 50) {
      await projector.ingest(
        stream.slice(i, i + 50).map((body) => ({ body, position: { source: 'webhook' as const } })),
      );
    }
    original = await readModelSnapshot(database.db);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('rebuilds exactly the same read model from the event log', async () => {
    const progress: number[] = [];
    const result = await rebuildReadModel(database.db, testProjections(), logger, {
      restart: true,
      batchSize: 40,
      onProgress: ({ done }) => progress.push(done),
    });
    expect(result.events).toBe(await countEvents());
    expect(progress.at(-1)).toBe(result.events);
    expect(await readModelSnapshot(database.db)).toEqual(original);
  });

  it('resumes an interrupted rebuild where it stopped', async () => {
    await expect(
      rebuildReadModel(database.db, testProjections(), logger, {
        restart: true,
        batchSize: 40,
        onProgress: ({ done }) => {
          if (done >= 120) throw new Error('the operator pressed Ctrl-C');
        },
      }),
    ).rejects.toThrow(/Ctrl-C/);
    expect(await readModelSnapshot(database.db)).not.toEqual(original);

    const resumed = await rebuildReadModel(database.db, testProjections(), logger, {
      batchSize: 40,
    });
    expect(resumed.events).toBe((await countEvents()) - 120);
    expect(await readModelSnapshot(database.db)).toEqual(original);
  });

  async function countEvents(): Promise<number> {
    const row = await database.db
      .selectFrom('event_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return row.n;
  }
});
