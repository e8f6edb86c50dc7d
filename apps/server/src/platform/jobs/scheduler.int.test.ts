import { sql } from 'kysely';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { waitFor } from '../../../test/helpers/wait.ts';
import { Scheduler, type ScheduledTask } from './scheduler.ts';

const logger = pino({ level: 'silent' });

/** The database's clock: the schedule's claims are dated by it. */
async function dbNow(database: TestDatabase): Promise<number> {
  const { rows } = await sql<{ now: Date }>`SELECT clock_timestamp() AS now`.execute(database.db);
  return rows[0]!.now.getTime();
}

describe('scheduler', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('runs a cluster task once per period across two instances on one database', async () => {
    const PERIOD_MS = 250;
    const ran: string[] = [];
    const task = (scheduler: () => Scheduler): ScheduledTask => ({
      name: 'test.once-per-period',
      description: 'records which instance ran it',
      everyMs: PERIOD_MS,
      scope: 'cluster',
      run: () => {
        ran.push(scheduler().instance);
        return Promise.resolve();
      },
    });
    const first: Scheduler = new Scheduler(database.db, logger);
    const second: Scheduler = new Scheduler(database.db, logger);
    first.register(task(() => first));
    second.register(task(() => second));

    const from = await dbNow(database);
    first.start();
    second.start();
    try {
      await waitFor(() => Promise.resolve(ran.length >= 12), 60_000);
    } finally {
      await Promise.all([first.stop(), second.stop()]);
    }
    const to = await dbNow(database);

    // Each claim moves the next run a period past the claim, so n runs need (n − 1) periods of the
    // database's time; two instances running one period each would need half as long.
    expect(ran.length).toBeLessThanOrEqual(Math.floor((to - from) / PERIOD_MS) + 1);
    const [row] = await database.db
      .selectFrom('schedules')
      .selectAll()
      .where('name', '=', 'test.once-per-period')
      .execute();
    expect(Number(row?.runs)).toBe(ran.length);
    expect(row?.last_outcome).toBe('succeeded');
  });

  it('keeps a failed run’s error, counts it, and runs the next period as usual', async () => {
    const registry = new Registry();
    const scheduler = new Scheduler(database.db, logger, registry);
    let calls = 0;
    scheduler.register({
      name: 'test.fails-once',
      description: 'fails on its first run',
      everyMs: 100,
      scope: 'cluster',
      run: () => {
        calls++;
        return calls === 1 ? Promise.reject(new Error('upstream said no')) : Promise.resolve();
      },
    });
    scheduler.register({
      name: 'test.each-instance',
      description: 'runs on each instance',
      everyMs: 100,
      scope: 'instance',
      run: () => Promise.resolve(),
    });
    scheduler.start();
    try {
      await waitFor(async () => {
        const states = await scheduler.list();
        return states.every((s) => s.runs >= 3 && s.lastOutcome === 'succeeded');
      }, 60_000);
    } finally {
      await scheduler.stop();
    }
    const [local, failing] = await scheduler.list(); // by name
    expect(failing).toMatchObject({ name: 'test.fails-once', scope: 'cluster', failures: 1 });
    expect(local).toMatchObject({ name: 'test.each-instance', scope: 'instance', failures: 0 });
    expect(local?.lastInstance).toBe(scheduler.instance);
    expect(failing?.nextRunAt?.getTime()).toBeGreaterThan(failing?.lastStartedAt?.getTime() ?? 0);

    const metrics = await registry.metrics();
    expect(metrics).toMatch(
      /backoffice_scheduled_task_runs_total\{task="test.fails-once",outcome="failed"\} 1\n/,
    );
    expect(metrics).toMatch(
      /backoffice_scheduled_task_runs_total\{task="test.fails-once",outcome="succeeded"\} [1-9]/,
    );
  });

  it('keeps the error of the last failed run until a run succeeds', async () => {
    const scheduler = new Scheduler(database.db, logger);
    scheduler.register({
      name: 'test.always-fails',
      description: 'never works',
      everyMs: 60_000,
      scope: 'cluster',
      run: () => Promise.reject(new Error('disk full')),
    });
    scheduler.start();
    try {
      await waitFor(async () => (await scheduler.list())[0]?.lastOutcome === 'failed', 60_000);
    } finally {
      await scheduler.stop();
    }
    expect((await scheduler.list())[0]).toMatchObject({
      lastOutcome: 'failed',
      lastError: 'disk full',
      failures: 1,
      runs: 1,
    });
  });
});
