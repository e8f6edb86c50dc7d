import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { ScheduleOutcome } from '../../db/schema.ts';
import type { Database } from '../db/database.ts';

/**
 * Periodic work. `cluster`: once per period across every instance on the database (a shared table keeps
 * the schedule: writing the read model, checkpointing the audit chain). `instance`: on each instance
 * (what it measures is its own: its upstream connections, its consumers' lag).
 */
export interface ScheduledTask {
  /** `<owner>.<what>`, e.g. `audit.checkpoint`. */
  readonly name: string;
  readonly description: string;
  readonly everyMs: number;
  readonly scope: 'cluster' | 'instance';
  /** Aborted when the instance shuts down. */
  run(signal: AbortSignal): Promise<void>;
}

/** A task as GET /v1/admin/system/schedules lists it. */
export interface ScheduleState {
  name: string;
  description: string;
  scope: 'cluster' | 'instance';
  everyMs: number;
  running: boolean;
  nextRunAt: Date | null;
  lastStartedAt: Date | null;
  lastFinishedAt: Date | null;
  lastOutcome: ScheduleOutcome | null;
  lastError: string | null;
  lastDurationMs: number | null;
  /** The instance that ran it last (cluster tasks run on any). */
  lastInstance: string | null;
  runs: number;
  failures: number;
}

interface Claimed {
  name: string;
}

/** The longest the scheduler sleeps without looking at the shared schedule (another instance may add one). */
const MAX_SLEEP_MS = 60_000;

/**
 * One scheduler for periodic work (decision 0005), replacing a timer per concern. Cluster tasks are
 * claimed from the `schedules` table: the claim moves the task's next run a period ahead in the same
 * statement, under `FOR UPDATE SKIP LOCKED`, so two instances never run one period twice, and a period
 * whose instance died mid-run is simply the next period's business. A run that fails is logged, counted
 * (`backoffice_scheduled_task_runs_total{outcome="failed"}`) and kept as the task's last error; the next
 * period runs as usual. A task never overlaps itself on one instance.
 */
export class Scheduler {
  private readonly tasks = new Map<string, ScheduledTask>();
  /** This instance's view of its instance-scoped tasks (cluster tasks live in the table). */
  private readonly local = new Map<string, ScheduleState>();
  private readonly running = new Map<string, Promise<void>>();
  readonly instance = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  /** Set when a run ends while the loop was busy: it looks again before sleeping. */
  private woken = false;
  /** Whether the cluster tasks are in the shared schedule yet. */
  private recorded = false;
  /** Consecutive failures of the loop itself (the database is down): logged once, retried slower. */
  private failing = 0;
  private readonly runs: Counter<'task' | 'outcome'> | undefined;
  private readonly duration: Histogram<'task'> | undefined;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    registry?: Registry,
  ) {
    if (registry !== undefined) {
      this.runs = new Counter({
        name: 'backoffice_scheduled_task_runs_total',
        help: 'Runs of periodic tasks on this instance, by task and outcome (succeeded, failed)',
        labelNames: ['task', 'outcome'] as const,
        registers: [registry],
      });
      this.duration = new Histogram({
        name: 'backoffice_scheduled_task_duration_seconds',
        help: 'How long periodic tasks ran on this instance, by task',
        labelNames: ['task'] as const,
        buckets: [0.005, 0.025, 0.1, 0.5, 1, 5, 30, 120],
        registers: [registry],
      });
    }
  }

  /** Adds a task; before `start`. */
  register(task: ScheduledTask): void {
    if (this.loop !== undefined)
      throw new Error(`scheduler already started: cannot add ${task.name}`);
    if (this.tasks.has(task.name)) throw new Error(`two scheduled tasks are named ${task.name}`);
    if (!(task.everyMs > 0)) throw new Error(`${task.name}: everyMs must be positive`);
    this.tasks.set(task.name, task);
    if (task.scope === 'instance') {
      this.local.set(task.name, {
        name: task.name,
        description: task.description,
        scope: 'instance',
        everyMs: task.everyMs,
        running: false,
        nextRunAt: new Date(),
        lastStartedAt: null,
        lastFinishedAt: null,
        lastOutcome: null,
        lastError: null,
        lastDurationMs: null,
        lastInstance: null,
        runs: 0,
        failures: 0,
      });
    }
  }

  /**
   * Starts the loop. It never fails: the database may be down or not yet migrated (readiness says so);
   * the loop records the cluster tasks in the shared schedule when it can (a new task is due at once;
   * a changed period applies from now), and keeps trying.
   */
  start(): void {
    this.loop ??= this.run();
  }

  private async recordShared(): Promise<void> {
    for (const task of this.clusterTasks()) {
      await sql`
        INSERT INTO schedules (name, every_ms, next_run_at) VALUES (${task.name}, ${task.everyMs}, now())
        ON CONFLICT (name) DO UPDATE SET every_ms = excluded.every_ms,
          next_run_at = least(schedules.next_run_at, now() + make_interval(secs => excluded.every_ms / 1000.0))
      `.execute(this.db);
    }
    this.recorded = true;
  }

  /** Stops claiming, aborts the runs in progress and waits for them. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.wake?.();
    await this.loop;
    await Promise.allSettled(this.running.values());
  }

  /** Every task: the cluster's from the shared schedule, this instance's own. */
  async list(): Promise<ScheduleState[]> {
    const rows =
      this.clusterTasks().length === 0
        ? []
        : await this.db
            .selectFrom('schedules')
            .selectAll()
            .where(
              'name',
              'in',
              this.clusterTasks().map((t) => t.name),
            )
            .execute();
    const byName = new Map(rows.map((row) => [row.name, row]));
    return [...this.tasks.values()]
      .map((task): ScheduleState => {
        if (task.scope === 'instance') {
          return { ...this.local.get(task.name)!, running: this.running.has(task.name) };
        }
        const row = byName.get(task.name);
        return {
          name: task.name,
          description: task.description,
          scope: 'cluster',
          everyMs: task.everyMs,
          running: this.running.has(task.name),
          nextRunAt: row?.next_run_at ?? null,
          lastStartedAt: row?.last_started_at ?? null,
          lastFinishedAt: row?.last_finished_at ?? null,
          lastOutcome: row?.last_outcome ?? null,
          lastError: row?.last_error ?? null,
          lastDurationMs: row?.last_duration_ms ?? null,
          lastInstance: row?.last_instance ?? null,
          runs: Number(row?.runs ?? 0),
          failures: Number(row?.failures ?? 0),
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  private clusterTasks(): ScheduledTask[] {
    return [...this.tasks.values()].filter((task) => task.scope === 'cluster');
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      let sleepMs = MAX_SLEEP_MS;
      this.woken = false;
      try {
        const now = Date.now();
        for (const state of this.local.values()) {
          if (this.running.has(state.name)) continue;
          const due = state.nextRunAt?.getTime() ?? now;
          if (due <= now) {
            state.nextRunAt = new Date(now + state.everyMs);
            this.launch(this.tasks.get(state.name)!);
          }
        }
        if (!this.recorded) await this.recordShared();
        for (const claimed of await this.claim()) this.launch(this.tasks.get(claimed.name)!);
        sleepMs = Math.min(sleepMs, await this.untilNextDue());
        if (this.failing > 0) this.logger.info('scheduler: the shared schedule is reachable again');
        this.failing = 0;
      } catch (error) {
        if (this.failing === 0)
          this.logger.warn({ err: error }, 'scheduler: cannot reach the shared schedule; retrying');
        this.failing++;
        sleepMs = Math.min(30_000, 1_000 * this.failing);
      }
      if (this.abort.signal.aborted) break;
      if (this.woken) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(sleepMs, 10));
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** The due cluster tasks not running here, each moved a period ahead as it is claimed. */
  private async claim(): Promise<Claimed[]> {
    const names = this.clusterTasks()
      .map((t) => t.name)
      .filter((name) => !this.running.has(name));
    if (names.length === 0) return [];
    const result = await sql<Claimed>`
      UPDATE schedules s SET
        next_run_at = now() + make_interval(secs => s.every_ms / 1000.0),
        last_started_at = now(), last_instance = ${this.instance}
      FROM (
        SELECT name FROM schedules WHERE name = ANY(${names}::text[]) AND next_run_at <= now()
        FOR UPDATE SKIP LOCKED
      ) due
      WHERE s.name = due.name
      RETURNING s.name
    `.execute(this.db);
    return result.rows;
  }

  /** Milliseconds until the next task is due (local or shared), at most MAX_SLEEP_MS. */
  private async untilNextDue(): Promise<number> {
    const now = Date.now();
    let next = now + MAX_SLEEP_MS;
    for (const state of this.local.values()) {
      if (!this.running.has(state.name) && state.nextRunAt !== null) {
        next = Math.min(next, state.nextRunAt.getTime());
      }
    }
    const names = this.clusterTasks().map((t) => t.name);
    if (names.length > 0) {
      const row = await this.db
        .selectFrom('schedules')
        .select((eb) => eb.fn.min('next_run_at').as('next'))
        .where('name', 'in', names)
        .executeTakeFirst();
      const shared = row?.next as Date | null | undefined;
      if (shared !== null && shared !== undefined) next = Math.min(next, shared.getTime());
    }
    return Math.max(0, next - now);
  }

  private launch(task: ScheduledTask): void {
    const started = Date.now();
    const local = this.local.get(task.name);
    if (local !== undefined) local.lastStartedAt = new Date(started);
    const done = (async () => {
      let outcome: ScheduleOutcome = 'succeeded';
      let error: string | null = null;
      try {
        await task.run(this.abort.signal);
      } catch (failure) {
        if (this.abort.signal.aborted) return;
        outcome = 'failed';
        error = failure instanceof Error ? failure.message : String(failure);
        this.logger.warn({ err: failure, task: task.name }, 'scheduled task failed');
      }
      const durationMs = Date.now() - started;
      this.runs?.inc({ task: task.name, outcome });
      this.duration?.observe({ task: task.name }, durationMs / 1000);
      if (local !== undefined) {
        Object.assign(local, {
          lastFinishedAt: new Date(),
          lastOutcome: outcome,
          lastError: error,
          lastDurationMs: durationMs,
          lastInstance: this.instance,
          runs: local.runs + 1,
          failures: local.failures + (outcome === 'failed' ? 1 : 0),
        });
        return;
      }
      await this.db
        .updateTable('schedules')
        .set((eb) => ({
          last_finished_at: sql<Date>`now()`,
          last_outcome: outcome,
          last_error: error,
          last_duration_ms: durationMs,
          runs: eb('runs', '+', 1),
          failures: eb('failures', '+', outcome === 'failed' ? 1 : 0),
        }))
        .where('name', '=', task.name)
        .execute()
        .catch((failure: unknown) =>
          this.logger.warn({ err: failure, task: task.name }, 'could not record a scheduled run'),
        );
    })().finally(() => {
      this.running.delete(task.name);
      // Its next run may be due already (a long run): look again.
      this.woken = true;
      this.wake?.();
    });
    this.running.set(task.name, done);
  }
}
