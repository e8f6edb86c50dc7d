import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { SourceStatus } from './sources/source.ts';
import type { BatchOutcome, SourceName } from './types.ts';

/** Events per second over the last minute, in one-second buckets. */
class RateWindow {
  private readonly buckets = new Array<number>(60).fill(0);
  private second = 0;

  add(count: number, now = Date.now()): void {
    this.advance(now);
    this.buckets[this.second % 60] = (this.buckets[this.second % 60] ?? 0) + count;
  }

  perSecond(now = Date.now()): number {
    this.advance(now);
    // The current second is still filling: average the 59 complete ones before it.
    let sum = 0;
    for (let i = 1; i < 60; i++) sum += this.buckets[(this.second - i + 60) % 60] ?? 0;
    return Math.round((sum / 59) * 10) / 10;
  }

  private advance(now: number): void {
    const second = Math.floor(now / 1000);
    if (this.second === 0) this.second = second;
    for (let s = this.second + 1; s <= Math.min(second, this.second + 60); s++)
      this.buckets[s % 60] = 0;
    this.second = Math.max(this.second, second);
  }
}

/** Ingestion's Prometheus metrics, and the per-instance rates the operations endpoint shows. */
export class IngestionMetrics {
  private readonly processed: Counter<'source'>;
  private readonly duplicates: Counter<'source'>;
  private readonly deadLetters: Counter<'source' | 'reason'>;
  private readonly unknown: Counter<'source'>;
  private readonly batchSeconds: Histogram<'source'>;
  private readonly rates = new Map<SourceName, RateWindow>();
  private accepted = 0;

  /** `statuses` is read at every scrape for the lag and connection gauges. */
  constructor(registry: Registry, statuses: () => SourceStatus[] = () => []) {
    const registers = [registry];
    this.processed = new Counter({
      name: 'backoffice_events_processed_total',
      help: 'New events stored (and projected when of a known type), by source',
      labelNames: ['source'],
      registers,
    });
    this.duplicates = new Counter({
      name: 'backoffice_events_duplicates_total',
      help: 'Events skipped because their event_id was already processed, by source',
      labelNames: ['source'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'backoffice_events_dead_lettered_total',
      help: 'Messages stored as dead letters, by source and reason',
      labelNames: ['source', 'reason'],
      registers,
    });
    this.unknown = new Counter({
      name: 'backoffice_events_unknown_type_total',
      help: 'Events of a type the backoffice does not project (kept in the event log), by source',
      labelNames: ['source'],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'backoffice_ingest_batch_duration_seconds',
      help: 'Time to commit one batch (decode, store, project), by source',
      labelNames: ['source'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    new Gauge({
      name: 'backoffice_source_lag_messages',
      help: 'Messages waiting to be consumed (Kafka: high watermark - committed offset; NATS: consumer pending)',
      labelNames: ['source', 'stream'] as const,
      registers,
      collect() {
        this.reset();
        for (const status of statuses()) {
          for (const [stream, lag] of Object.entries(status.lagDetail))
            this.set({ source: status.name, stream }, lag);
        }
      },
    });
    new Gauge({
      name: 'backoffice_source_connected',
      help: '1 when the source is connected to its broker',
      labelNames: ['source'] as const,
      registers,
      collect() {
        for (const status of statuses())
          this.set({ source: status.name }, status.connected ? 1 : 0);
      },
    });
  }

  recordBatch(source: SourceName, outcome: BatchOutcome, seconds: number): void {
    this.processed.inc({ source }, outcome.accepted);
    this.duplicates.inc({ source }, outcome.duplicates);
    this.unknown.inc({ source }, outcome.unknown);
    for (const rejection of outcome.rejected)
      this.deadLetters.inc({ source, reason: rejection.reason });
    this.batchSeconds.observe({ source }, seconds);
    let window = this.rates.get(source);
    if (window === undefined) {
      window = new RateWindow();
      this.rates.set(source, window);
    }
    window.add(outcome.accepted);
    this.accepted += outcome.accepted;
  }

  /** New events this instance stored, all sources together. */
  get acceptedTotal(): number {
    return this.accepted;
  }

  eventsPerSecond(source: SourceName): number {
    return this.rates.get(source)?.perSecond() ?? 0;
  }
}
