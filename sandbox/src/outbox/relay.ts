import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../db/schema.ts';
import type { Publisher, PublishTarget } from '../transports/publisher.ts';
import { OutboxRepository } from './outbox.repository.ts';

export interface RelayStatus {
  publish: PublishTarget;
  pending: number;
  oldestPendingAgeSeconds: number | null;
  deliveredTotal: number;
  lastDeliveryAt: string | null;
  lastError: string | null;
  /** Since when deliveries have been failing; null while they succeed. */
  failingSince: string | null;
}

export interface RelayOptions {
  db: Kysely<DB>;
  /** Undefined: publishing is off (`--publish none`), events stay in the outbox. */
  publisher: Publisher | undefined;
  batchSize: number;
  logger: Logger;
  pollIntervalMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** How long delivered rows are kept before being deleted. */
  retentionMs?: number;
}

const PRUNE_EVERY_MS = 60_000;
/** How long stop() lets a batch in flight finish before aborting it (it is then sent again next time). */
const STOP_GRACE_MS = 5_000;

/**
 * Delivers the outbox in id order, one batch at a time: read the oldest undelivered rows, publish them,
 * mark them delivered. A failure keeps the batch where it is and retries it after an exponential
 * back-off with jitter, so nothing is dropped or reordered and the services never wait for a
 * transport. A crash between publish and mark sends the batch again: delivery is at least once, and
 * consumers de-duplicate by event id.
 *
 * One relay per database: two relays would interleave batches and break the order.
 */
export class OutboxRelay {
  private readonly repository: OutboxRepository;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;
  private deliveredTotal = 0;
  private lastDeliveryAt: Date | null = null;
  private lastError: string | null = null;
  private failingSince: Date | null = null;
  private lastPruneAt = 0;

  constructor(private readonly options: RelayOptions) {
    this.repository = new OutboxRepository(options.db);
  }

  start(): void {
    if (this.options.publisher === undefined || this.loop !== undefined) return;
    this.loop = this.run(this.options.publisher);
  }

  /** Stops after the batch in flight (aborting it after a grace period); pending rows wait for the next run. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    if (this.loop === undefined) return;
    const grace = new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    await Promise.race([this.loop, grace]);
    this.abort.abort();
    await this.loop;
  }

  async status(): Promise<RelayStatus> {
    const { pending, oldestPendingAt } = await this.repository.backlog();
    return {
      publish: this.options.publisher?.name ?? 'none',
      pending,
      oldestPendingAgeSeconds:
        oldestPendingAt === null
          ? null
          : Math.max(0, (Date.now() - oldestPendingAt.getTime()) / 1000),
      deliveredTotal: this.deliveredTotal,
      lastDeliveryAt: this.lastDeliveryAt?.toISOString() ?? null,
      lastError: this.lastError,
      failingSince: this.failingSince?.toISOString() ?? null,
    };
  }

  private async run(publisher: Publisher): Promise<void> {
    const { batchSize, logger } = this.options;
    const pollIntervalMs = this.options.pollIntervalMs ?? 250;
    let failures = 0;
    while (!this.stopping) {
      let pause = pollIntervalMs;
      try {
        const batch = await this.repository.pending(batchSize);
        if (batch.length > 0) {
          // A batch short of full emptied the outbox as of this read: no need to count.
          const backlog =
            batch.length < batchSize
              ? 0
              : Math.max(0, (await this.repository.backlog()).pending - batch.length);
          await publisher.publish(batch, this.abort.signal, backlog);
          await this.repository.markDelivered(batch.map((m) => m.id));
          this.deliveredTotal += batch.length;
          this.lastDeliveryAt = new Date();
          // A full batch means more are probably waiting: go on at once.
          if (batch.length === batchSize) pause = 0;
        }
        if (failures > 0) {
          logger.info({ failures, publish: publisher.name }, 'event delivery recovered');
          failures = 0;
          this.failingSince = null;
        }
        await this.pruneNowAndThen();
      } catch (error) {
        if (this.abort.signal.aborted) break;
        failures++;
        this.failingSince ??= new Date();
        this.lastError = error instanceof Error ? error.message : String(error);
        pause = this.backoff(failures);
        const failingForMs = Date.now() - this.failingSince.getTime();
        // Warn at first; once it has been failing for a minute, it needs someone's attention.
        logger[failingForMs > 60_000 ? 'error' : 'warn'](
          { err: error, failures, retryInMs: pause, publish: publisher.name },
          'event delivery failed; the batch stays in the outbox and will be retried',
        );
      }
      if (pause > 0 && !this.stopping) await this.sleep(pause);
    }
  }

  private backoff(failures: number): number {
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 250, maxMs: 30_000 };
    const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(failures - 1, 30));
    return Math.round(ceiling * (0.5 + Math.random() / 2));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPruneAt < PRUNE_EVERY_MS) return;
    this.lastPruneAt = Date.now();
    await this.repository.pruneDelivered(this.options.retentionMs ?? 3_600_000);
  }
}
