import type { AuditContext, AuditWriter } from '../../platform/audit/writer.ts';
import { inTransaction, type Database } from '../../platform/db/database.ts';
import type { CatchUpTracker } from '../../platform/events/catch-up.ts';
import type { IngestionMetrics } from '../../platform/events/metrics.ts';
import type { Projector } from '../../platform/events/projector.ts';
import type { EventSource } from '../../platform/events/sources/source.ts';
import { SOURCE_NAMES, type SourceName } from '../../platform/events/types.ts';
import { ConflictError, NotFoundError } from '../../platform/http/errors.ts';
import {
  DeadLettersRepository,
  type DeadLetterFilter,
  type DeadLetterRow,
} from './dead-letters.repository.ts';

export interface ReplayResult {
  replayed: boolean;
  duplicate: boolean;
  deadLetter: DeadLetterRow;
}

/**
 * Operations on ingestion: per-source status, and dead letters — inspect, replay (through the same
 * projector as live events: a fixed producer bug, a new schema version, a database error that is gone),
 * or discard with a reason.
 */
export class IngestionService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditWriter,
    private readonly deadLetters: DeadLettersRepository,
    private readonly projector: Projector,
    private readonly metrics: IngestionMetrics | undefined,
    private readonly sources: readonly EventSource[],
    private readonly webhookEnabled: boolean,
    private readonly catchUp: CatchUpTracker,
  ) {}

  /** How far the read model is behind what the sources know to be published; null when caught up. */
  catchingUp() {
    return this.catchUp.state();
  }

  list(filter: DeadLetterFilter, page: number, limit: number) {
    return this.deadLetters.list(filter, page, limit);
  }

  async get(id: number): Promise<DeadLetterRow> {
    const row = await this.deadLetters.find(id);
    if (row === undefined) throw new NotFoundError(`No dead letter ${id}.`);
    return row;
  }

  /**
   * Replays a dead letter through the projector. The replay commits on its own (like any ingestion);
   * the dead letter's resolution and its audit entry commit together after it.
   */
  async replay(context: AuditContext, id: number): Promise<ReplayResult> {
    const row = await this.get(id);
    if (row.status !== 'pending')
      throw new ConflictError(`Dead letter ${id} is already ${row.status}.`);
    const outcome = await this.projector.ingest(
      [
        {
          // The JSON when it could be stored as such, else the bytes exactly as they arrived.
          body: row.payload ?? Buffer.from(row.raw ?? '', row.raw_encoding),
          position: {
            source: 'replay',
            topic: row.topic,
            partition: row.partition,
            offset: row.offset,
          },
        },
      ],
      { rejected: 'report' },
    );
    const by = context.actor.email ?? context.actor.id ?? 'system';
    const rejection = outcome.rejected[0];
    const duplicate = outcome.duplicates > 0;
    await inTransaction(this.db, async (trx) => {
      const repository = new DeadLettersRepository(trx);
      if (rejection !== undefined)
        await repository.recordFailedReplay(id, rejection.reason, rejection.detail);
      else if (
        !(await repository.resolve(
          id,
          'replayed',
          by,
          duplicate ? 'already processed' : 'replayed',
        ))
      ) {
        // Someone else resolved it meanwhile (the projector applied the event once either way).
        throw new ConflictError(`Dead letter ${id} was resolved meanwhile by someone else.`);
      }
      await this.audit.record(trx, context, {
        action: 'dead_letters.replay',
        resourceType: 'dead_letter',
        resourceId: String(id),
        outcome: rejection === undefined ? 'success' : 'failed',
        reason: rejection === undefined ? null : `${rejection.reason}: ${rejection.detail}`,
        before: { status: row.status, reason: row.reason },
        after: { status: rejection === undefined ? 'replayed' : 'pending', duplicate },
        eventId: row.event_id,
      });
    });
    return { replayed: rejection === undefined, duplicate, deadLetter: await this.get(id) };
  }

  async discard(context: AuditContext, id: number, reason: string): Promise<DeadLetterRow> {
    const row = await this.get(id);
    await inTransaction(this.db, async (trx) => {
      if (
        !(await new DeadLettersRepository(trx).resolve(
          id,
          'discarded',
          context.actor.email ?? 'system',
          reason,
        ))
      ) {
        throw new ConflictError(`Dead letter ${id} is already ${row.status}.`);
      }
      await this.audit.record(trx, context, {
        action: 'dead_letters.discard',
        resourceType: 'dead_letter',
        resourceId: String(id),
        reason,
        before: { status: row.status },
        after: { status: 'discarded' },
        eventId: row.event_id,
      });
    });
    return this.get(id);
  }

  /** Replays every pending dead letter matching the filter, oldest first; reports progress per batch. */
  async replayAll(
    context: AuditContext,
    filter: DeadLetterFilter,
    onProgress: (done: { replayed: number; failed: number }) => void = () => undefined,
  ): Promise<{ replayed: number; failed: number }> {
    const totals = { replayed: 0, failed: 0 };
    let after = 0;
    for (;;) {
      const batch = await this.deadLetters.pendingAfter(after, filter, 100);
      if (batch.length === 0) return totals;
      for (const row of batch) {
        const result = await this.replay(context, row.id);
        if (result.replayed) totals.replayed++;
        else totals.failed++;
        after = row.id;
      }
      onProgress(totals);
    }
  }

  async status() {
    const stats = new Map((await this.deadLetters.sourceStats()).map((s) => [s.source, s]));
    const live = new Map(this.sources.map((s) => [s.name, s.status()]));
    const names = SOURCE_NAMES.filter(
      (name) =>
        name === 'webhook' ||
        live.has(name) ||
        (stats.get(name)?.processed ?? 0) > 0 ||
        stats.has(name),
    );
    return {
      catchingUp: this.catchUp.state(),
      pendingDeadLetters: await this.deadLetters.pendingCount(),
      sources: names.map((name: SourceName) => {
        const stat = stats.get(name);
        const status = live.get(name);
        return {
          name,
          enabled:
            name === 'webhook'
              ? this.webhookEnabled
              : name === 'replay'
                ? true
                : status !== undefined,
          connected: status?.connected ?? null,
          eventsPerSecond: this.metrics?.eventsPerSecond(name) ?? 0,
          lastEventAt: stat?.last_event_at?.toISOString() ?? null,
          lastBatchAt: stat?.last_batch_at?.toISOString() ?? null,
          lag: status?.lag ?? this.catchUp.reported(name),
          lagDetail: status?.lagDetail ?? {},
          processed: stat?.processed ?? 0,
          duplicates: stat?.duplicates ?? 0,
          deadLetters: stat?.dead_letters ?? 0,
          unknownTypes: stat?.unknown_types ?? 0,
          lastError: status?.lastError ?? null,
          lastErrorAt: status?.lastErrorAt?.toISOString() ?? null,
        };
      }),
    };
  }
}
