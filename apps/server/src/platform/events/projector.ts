import type { KnownEvent } from '@backoffice/contracts';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { inTransaction, type Database } from '../db/database.ts';
import { decodeMessage, storableText } from './decode.ts';
import {
  addSourceStats,
  appendToEventLog,
  envelopeOf,
  recordDeadLetters,
  recordProcessed,
  type AcceptedMessage,
  type RejectedMessage,
} from './event-store.ts';
import type { ActivityFeed } from '../realtime/activity.ts';
import { publishChanges } from '../realtime/changes.ts';
import type { IngestionMetrics } from './metrics.ts';
import { Deltas, arrayParam } from './projection-kit.ts';
import type {
  BatchAccumulator,
  BatchKey,
  BatchOutcome,
  EventFormat,
  IncomingMessage,
  Projection,
  ProjectionContext,
  Trx,
} from './types.ts';
import { isTransient } from '../db/transient.ts';

/** Serialises projection across every instance: counters and folds assume nobody writes in between. */
const PROJECTOR_LOCK = 7_346_251;

export interface IngestOptions {
  /** 'report': rejected messages are only reported, not stored (dead-letter replay keeps its own row). */
  rejected?: 'dead-letter' | 'report';
}

/**
 * Turns batches of raw messages into read-model changes, exactly once per event_id. Per batch, in ONE
 * transaction: record event ids (duplicates skipped), append new events to the event log, store
 * rejected messages as dead letters, apply the projections, update counters. A source acknowledges
 * the batch only after this returns. An event whose projection fails is isolated by splitting the
 * batch until it stands alone, then dead-lettered; the rest commits. Transient database failures
 * propagate (nothing is acknowledged; the source redelivers).
 */
export class Projector {
  private readonly committedListeners: (() => void)[] = [];

  constructor(
    private readonly db: Database,
    private readonly projections: readonly Projection[],
    private readonly logger: Logger,
    private readonly metrics?: IngestionMetrics,
    /** The live activity feeds each committed batch announces items of. */
    readonly feeds: readonly ActivityFeed[] = [],
    /** Foreign message shapes the packs map to the envelope (EventFormat). */
    private readonly formats: readonly EventFormat[] = [],
  ) {}

  /**
   * Called after a batch that changed the read model committed here, before `ingest` resolves (what
   * caches the read model's figures drops them; other instances hear of it by NOTIFY).
   */
  onCommitted(listener: () => void): void {
    this.committedListeners.push(listener);
  }

  async ingest(
    messages: readonly IncomingMessage[],
    options: IngestOptions = {},
  ): Promise<BatchOutcome> {
    const started = performance.now();
    const decoded = messages.map((message, index) => decodeMessage(message, index, this.formats));
    const seen = new Set<string>();
    const fresh: AcceptedMessage[] = [];
    let repeatedInBatch = 0;
    const rejected: RejectedMessage[] = [];
    for (const message of decoded) {
      if (message.kind === 'rejected') {
        rejected.push(message);
        continue;
      }
      const id = envelopeOf(message).event_id;
      if (seen.has(id)) repeatedInBatch++;
      else {
        seen.add(id);
        fresh.push(message);
      }
    }

    const outcome = await this.commitIsolating(fresh, rejected, repeatedInBatch, options);
    if (outcome.accepted > 0) for (const listener of this.committedListeners) listener();
    outcome.rejected.sort((a, b) => a.index - b.index);
    const source = messages[0]?.position.source;
    if (source !== undefined)
      this.metrics?.recordBatch(source, outcome, (performance.now() - started) / 1000);
    return outcome;
  }

  /** `repeated`: copies of events already in `fresh`, counted as duplicates with the first part. */
  private async commitIsolating(
    fresh: AcceptedMessage[],
    rejected: RejectedMessage[],
    repeated: number,
    options: IngestOptions,
  ): Promise<BatchOutcome> {
    try {
      return await this.commit(fresh, rejected, repeated, options);
    } catch (error) {
      if (isTransient(error) || fresh.length === 0) throw error;
      const only = fresh[0];
      if (fresh.length === 1 && only !== undefined) {
        const envelope = envelopeOf(only);
        this.logger.warn(
          { err: error, eventId: envelope.event_id, eventType: envelope.event_type },
          'projection failed for one event: dead-lettered',
        );
        const failed: RejectedMessage = {
          kind: 'rejected',
          index: only.index,
          position: only.position,
          reason: 'projection_error',
          // The database's words (constraint names, values) are for the operator, not the producer.
          detail: 'The event could not be applied to the read model; it is kept as a dead letter.',
          diagnostic: storableText(
            `projection failed: ${error instanceof Error ? error.message : String(error)}`,
          ),
          payload: envelope,
          raw: null,
          rawEncoding: 'utf8',
          eventId: envelope.event_id,
          eventType: envelope.event_type,
        };
        return this.commit([], [...rejected, failed], repeated, options);
      }
      const middle = Math.floor(fresh.length / 2);
      const first = await this.commitIsolating(fresh.slice(0, middle), rejected, repeated, options);
      const second = await this.commitIsolating(fresh.slice(middle), [], 0, options);
      return {
        accepted: first.accepted + second.accepted,
        duplicates: first.duplicates + second.duplicates,
        unknown: first.unknown + second.unknown,
        rejected: [...first.rejected, ...second.rejected],
      };
    }
  }

  private async commit(
    fresh: AcceptedMessage[],
    rejected: RejectedMessage[],
    repeated: number,
    options: IngestOptions,
  ): Promise<BatchOutcome> {
    return inTransaction(this.db, async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${PROJECTOR_LOCK})`.execute(trx);
      const newIds = await recordProcessed(trx, fresh);
      const accepted = fresh.filter((m) => newIds.has(envelopeOf(m).event_id));
      await appendToEventLog(trx, accepted);
      if (options.rejected !== 'report') await recordDeadLetters(trx, rejected);
      const known = accepted.flatMap((m) => (m.kind === 'known' ? [m.event] : []));
      await this.project(trx, known);
      // Delivered to every instance's live clients when (and only if) this transaction commits.
      await publishChanges(trx, known, this.feeds);

      const unknown = accepted.length - known.length;
      const duplicates = fresh.length - accepted.length + repeated;
      const source = (fresh[0] ?? rejected[0])?.position.source;
      if (source !== undefined) {
        const times = accepted.map((m) => Date.parse(envelopeOf(m).timestamp));
        await addSourceStats(trx, source, {
          processed: accepted.length,
          duplicates,
          deadLetters: options.rejected === 'report' ? 0 : rejected.length,
          unknownTypes: unknown,
          lastEventAt: times.length > 0 ? new Date(Math.max(...times)) : null,
        });
      }
      return {
        accepted: accepted.length,
        duplicates,
        unknown,
        rejected: rejected.map((r) => ({ index: r.index, reason: r.reason, detail: r.detail })),
      };
    });
  }

  /**
   * Stores messages a source gives up on (e.g. NATS max deliveries) as dead letters with the reason,
   * keeping whatever of the payload could be read.
   */
  async deadLetter(
    messages: readonly IncomingMessage[],
    reason: 'max_deliveries',
    detail: string,
  ): Promise<void> {
    const why = storableText(detail);
    const rejected: RejectedMessage[] = messages.map((message, index) => {
      const decoded = decodeMessage(message, index, this.formats);
      if (decoded.kind === 'rejected')
        return { ...decoded, reason, detail: `${why} (${decoded.detail})` };
      const envelope = envelopeOf(decoded);
      return {
        kind: 'rejected',
        index,
        position: message.position,
        reason,
        detail: why,
        payload: envelope,
        raw: null,
        rawEncoding: 'utf8',
        eventId: envelope.event_id,
        eventType: envelope.event_type,
      };
    });
    await this.commit([], rejected, 0, {});
  }

  /** Applies the projections to events inside `trx` (which must hold the projector lock). */
  async project(trx: Trx, events: readonly KnownEvent[]): Promise<void> {
    if (events.length === 0) return;
    const counters = new Deltas();
    const shared = new Map<BatchKey<BatchAccumulator>, BatchAccumulator>();
    const context: ProjectionContext = {
      count: (name, delta) => counters.add(name, delta),
      shared<T extends BatchAccumulator>(key: BatchKey<T>): T {
        let accumulator = shared.get(key);
        if (accumulator === undefined) {
          accumulator = key.create();
          shared.set(key, accumulator);
        }
        return accumulator as T;
      },
    };
    for (const projection of this.projections) {
      const mine = events.filter((e) => projection.eventTypes.includes(e.event_type));
      if (mine.length > 0) await projection.apply(trx, mine, context);
    }
    // In the order first used; an accumulator may still count (its counters are written last).
    for (const accumulator of shared.values()) await accumulator.flush(trx, context);
    await addCounters(trx, counters);
  }

  /** Takes the projector lock for a transaction of the caller's (rebuilds). */
  static async lock(trx: Trx): Promise<void> {
    await sql`SELECT pg_advisory_xact_lock(${PROJECTOR_LOCK})`.execute(trx);
  }
}

async function addCounters(trx: Trx, counters: Deltas): Promise<void> {
  if (counters.values.size === 0) return;
  await sql`
    INSERT INTO read_model_counters (name, value)
    SELECT * FROM unnest(${arrayParam([...counters.values.keys()], 'text')}, ${arrayParam(
      [...counters.values.values()],
      'bigint',
    )})
    ON CONFLICT (name) DO UPDATE SET value = read_model_counters.value + EXCLUDED.value
  `.execute(trx);
}
