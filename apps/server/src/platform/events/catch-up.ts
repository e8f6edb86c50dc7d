import type { Logger } from 'pino';
import type { SourceStatus } from './sources/source.ts';
import type { SourceName } from './types.ts';

/**
 * Fewer events than this waiting counts as caught up: a live platform always has a few in flight, and
 * a banner blinking for each of them would teach people to ignore it.
 */
export const CATCHING_UP_MIN_EVENTS = 100;

/**
 * How long a producer's reported backlog stands without a newer report. Past it the source cannot
 * tell any more: the producer stopped, or now posts to another instance behind the load balancer.
 */
export const REPORT_TTL_MS = 60_000;

export interface CatchingUp {
  /** Events the sources know to be waiting for the read model. */
  behind: number;
  /** When the read model fell behind (ISO 8601). */
  since: string;
}

/**
 * Whether the read model is behind what the platform has published, and by how much, from what each
 * source can tell: a broker's own count (NATS consumer pending, Kafka lag) or the backlog a webhook
 * producer reports with each batch. A source that cannot tell adds nothing: "behind" is a lower bound.
 * When the read model catches up after having been behind, one log line says how long it took.
 */
export class CatchUpTracker {
  private readonly reports = new Map<SourceName, { backlog: number; at: number }>();
  private episode: { since: number; processedAtStart: number } | undefined;

  constructor(
    private readonly options: {
      /** The broker sources' statuses (their `lag`). */
      brokers: () => SourceStatus[];
      /** Events this instance has stored so far, all sources together. */
      processed: () => number;
      logger: Logger;
      now?: () => number;
    },
  ) {}

  /**
   * A producer's count of the events it has published but that are not in the read model yet, sent
   * with a batch just stored: when the report starts a catch-up, those `stored` events belong to it.
   */
  report(source: SourceName, backlog: number, stored: number): void {
    this.reports.set(source, { backlog, at: this.now() });
    this.state(stored);
  }

  /** The backlog a producer reported lately for this source; null when it did not. */
  reported(source: SourceName): number | null {
    const report = this.reports.get(source);
    return report !== undefined && this.now() - report.at <= REPORT_TTL_MS ? report.backlog : null;
  }

  /** How far behind the read model is; null when it is caught up (as far as the sources can tell). */
  state(justStored = 0): CatchingUp | null {
    const now = this.now();
    let behind = 0;
    for (const status of this.options.brokers()) behind += status.lag ?? 0;
    for (const source of this.reports.keys()) behind += this.reported(source) ?? 0;

    if (behind >= CATCHING_UP_MIN_EVENTS) {
      this.episode ??= { since: now, processedAtStart: this.options.processed() - justStored };
      return { behind, since: new Date(this.episode.since).toISOString() };
    }
    if (this.episode !== undefined) {
      const events = this.options.processed() - this.episode.processedAtStart;
      const seconds = Math.round((now - this.episode.since) / 100) / 10;
      this.episode = undefined;
      this.options.logger.info(
        { events, seconds },
        `read model caught up: ${events} events in ${seconds} s`,
      );
    }
    return null;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
