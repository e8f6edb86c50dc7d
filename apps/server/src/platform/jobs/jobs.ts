import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { Logger } from 'pino';
import type { JobsTable } from '../../db/schema.ts';
import type { Database } from '../db/database.ts';
import type { Notifications } from '../db/notifications.ts';

export type JobRow = Selectable<JobsTable>;

export interface JobContext {
  id: string;
  params: Record<string, unknown>;
  /** Records progress (written at most once a second); `total` may be unknown. */
  progress(done: number, total?: number): Promise<void>;
  /** Aborted when the instance shuts down: stop and throw, the job goes back to the queue. */
  signal: AbortSignal;
}

export type JobHandler = (context: JobContext) => Promise<unknown>;

/** Announced (by trigger, migration 0015) when a job is queued or goes back to the queue. */
export const JOBS_CHANNEL = 'backoffice_jobs';
/** How often to look for work while the announcements can be heard, and while they cannot. */
const POLL_MS = { listening: 10_000, deaf: 500 };
const HEARTBEAT_MS = 10_000;
const STALE_MS = 60_000;
const MAX_ATTEMPTS = 3;

/**
 * Background jobs with progress (decision 0004). Any instance may run a job; `FOR UPDATE SKIP LOCKED`
 * gives each to one of them. A queued job is announced to every instance (NOTIFY), so the runners look
 * for work every 10 s only (every 500 ms while the announcements cannot be heard), and the request pool
 * is not kept busy by empty polls. A running job heartbeats; one whose heartbeat stops (its instance died)
 * is queued again, at most three attempts in all. Handlers report progress, return a result (stored as
 * JSON) or throw (the job fails with the message).
 */
export class Jobs {
  private readonly handlers = new Map<string, JobHandler>();
  private readonly instance = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Set by an announcement that came while the runner was not waiting: it looks again at once. */
  private woken = false;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly notifications?: Notifications,
    private readonly pollMs = POLL_MS,
  ) {
    notifications?.on(JOBS_CHANNEL, () => this.nudge());
    notifications?.onReconnect(() => this.nudge());
  }

  register(type: string, handler: JobHandler): void {
    this.handlers.set(type, handler);
  }

  async enqueue(
    type: string,
    params: Record<string, unknown>,
    createdBy: string | null,
  ): Promise<JobRow> {
    if (!this.handlers.has(type)) throw new Error(`no handler for job type ${type}`);
    const job = await this.db
      .insertInto('jobs')
      .values({ type, params: JSON.stringify(params), created_by: createdBy })
      .returningAll()
      .executeTakeFirstOrThrow();
    this.nudge();
    return job;
  }

  get(id: string): Promise<JobRow | undefined> {
    return this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.wake?.();
    await this.loop;
  }

  private nudge(): void {
    this.woken = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      let ran = false;
      this.woken = false;
      try {
        await this.requeueStale();
        const job = await this.claim();
        if (job !== undefined) {
          ran = true;
          await this.execute(job);
        }
      } catch (error) {
        this.logger.error({ err: error }, 'job runner error');
      }
      if (!ran && !this.woken) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(
            resolve,
            this.notifications?.listening === true ? this.pollMs.listening : this.pollMs.deaf,
          );
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  private async claim(): Promise<JobRow | undefined> {
    if (this.handlers.size === 0) return undefined;
    const result = await sql<JobRow>`
      UPDATE jobs SET status = 'running', started_at = now(), heartbeat_at = now(), locked_by = ${this.instance},
                      attempts = attempts + 1
      WHERE id = (
        SELECT id FROM jobs WHERE status = 'queued' AND type = ANY(${[...this.handlers.keys()]}::text[])
        ORDER BY created_at FOR UPDATE SKIP LOCKED LIMIT 1
      )
      RETURNING *
    `.execute(this.db);
    return result.rows[0];
  }

  private async execute(job: JobRow): Promise<void> {
    const handler = this.handlers.get(job.type);
    if (handler === undefined) return;
    let lastWrite = 0;
    const heartbeat = setInterval(() => {
      this.db
        .updateTable('jobs')
        .set({ heartbeat_at: sql`now()` })
        .where('id', '=', job.id)
        .execute()
        .catch((error: unknown) =>
          this.logger.warn({ err: error, jobId: job.id }, 'job heartbeat failed'),
        );
    }, HEARTBEAT_MS);
    const context: JobContext = {
      id: job.id,
      params: job.params as Record<string, unknown>,
      signal: this.abort.signal,
      progress: async (done, total) => {
        if (Date.now() - lastWrite < 1_000) return;
        lastWrite = Date.now();
        await this.db
          .updateTable('jobs')
          .set({
            progress: JSON.stringify({ done, total: total ?? null }),
            heartbeat_at: sql`now()`,
          })
          .where('id', '=', job.id)
          .execute();
      },
    };
    try {
      const result = await handler(context);
      await this.finish(job.id, 'succeeded', { result: JSON.stringify(result ?? null) });
    } catch (error) {
      if (this.abort.signal.aborted) {
        // Shutting down: give it back to the queue for another instance (or our next start).
        await this.finish(job.id, 'queued', {});
      } else {
        this.logger.error({ err: error, jobId: job.id, type: job.type }, 'job failed');
        await this.finish(job.id, 'failed', {
          error: error instanceof Error ? error.message : String(error),
        });
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async finish(
    id: string,
    status: 'succeeded' | 'failed' | 'queued',
    values: { result?: string; error?: string },
  ): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({
        status,
        ...values,
        finished_at: status === 'queued' ? null : sql<Date>`now()`,
        locked_by: null,
      })
      .where('id', '=', id)
      .execute();
  }

  /** Jobs whose instance stopped heartbeating: queued again, or failed after the last attempt. */
  private async requeueStale(): Promise<void> {
    await sql`
      UPDATE jobs SET
        status = CASE WHEN attempts >= ${MAX_ATTEMPTS} THEN 'failed' ELSE 'queued' END,
        error = CASE WHEN attempts >= ${MAX_ATTEMPTS} THEN 'abandoned: its instance stopped ' || attempts || ' times' END,
        finished_at = CASE WHEN attempts >= ${MAX_ATTEMPTS} THEN now() END,
        locked_by = NULL
      WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => ${STALE_MS / 1000})
    `.execute(this.db);
  }
}
