import type { EventEnvelope, KnownEvent, KnownEventType } from '@backoffice/contracts';
import type { Transaction } from 'kysely';
import type { DB, RawEncoding } from '../../db/schema.ts';

export const SOURCE_NAMES = ['webhook', 'nats', 'kafka', 'replay'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];

/** Where a message came from, kept with the event (processed_events, event_log, dead_letters). */
export interface SourcePosition {
  source: SourceName;
  /** Kafka topic, NATS subject. */
  topic?: string | null;
  partition?: number | null;
  /** Kafka offset, NATS stream sequence. */
  offset?: number | null;
}

/** One message as a source delivers it: bytes (or already-parsed JSON, for the webhook's batch). */
export interface IncomingMessage {
  /** A Buffer: the bytes from a broker. Anything else: already-parsed JSON (the webhook's events). */
  body: unknown;
  position: SourcePosition;
}

/**
 * A foreign message shape a pack maps to the platform's envelope, so its producer can feed the same
 * ingestion unchanged (Keycloak's event listeners, say). Applied by every source to a message that is
 * a JSON object without `event_type` (an envelope is never translated) and that the format recognizes.
 */
export interface EventFormat {
  readonly name: string;
  /** Whether this object is a message of this format. */
  recognizes(message: Readonly<Record<string, unknown>>): boolean;
  /**
   * The envelope it maps to: checked afterwards like any producer's envelope (a value it cannot map
   * is left for that check to name). Must not throw.
   */
  toEnvelope(message: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

export type RejectionReason =
  | 'not_json'
  | 'invalid_envelope'
  | 'unsupported_version'
  | 'invalid_payload'
  /** JSON that PostgreSQL cannot store: a NUL or a lone surrogate in a string, or nested too deep. */
  | 'unstorable'
  | 'projection_error'
  | 'max_deliveries';

export interface Rejection {
  index: number;
  reason: RejectionReason;
  detail: string;
}

export interface BatchOutcome {
  /** New events stored (known and unknown types). */
  accepted: number;
  /** Events already processed before, or repeated inside the batch. */
  duplicates: number;
  /** Events of a type we do not project: logged and counted. */
  unknown: number;
  /** Dead-lettered messages, by their index in the batch. */
  rejected: Rejection[];
}

export type DecodedMessage =
  | { kind: 'known'; index: number; position: SourcePosition; event: KnownEvent }
  | { kind: 'unknown'; index: number; position: SourcePosition; envelope: EventEnvelope }
  | {
      kind: 'rejected';
      index: number;
      position: SourcePosition;
      reason: RejectionReason;
      /** In our words: what the producer is told, and the dead letter keeps. */
      detail: string;
      /** For the operator only (the dead letter, the log): e.g. the database's own error message. */
      diagnostic?: string;
      /** The message as parsed, when it can be stored as jsonb; else null and `raw` keeps it. */
      payload: unknown;
      raw: string | null;
      rawEncoding: RawEncoding;
      eventId: string | null;
      eventType: string | null;
    };

export type { RawEncoding };

export type Trx = Transaction<DB>;

/**
 * State several projections add to while a batch is projected, written once at the batch's end (one
 * statement for the whole batch rather than one per projection). A feature declares one with a
 * {@link BatchKey}; projections of any feature may add to it.
 */
export interface BatchAccumulator {
  /** Writes what was collected, in the batch's transaction, after every projection ran. */
  flush(trx: Trx, context: ProjectionContext): Promise<void>;
}

/** Names one kind of batch accumulator and makes a fresh one for each batch. */
export interface BatchKey<T extends BatchAccumulator> {
  readonly name: string;
  create(): T;
}

/** Collected while projecting a batch and applied once at its end. */
export interface ProjectionContext {
  /** Adds to a named counter of read_model_counters. */
  count(name: string, delta: number): void;
  /** This batch's accumulator of that kind (made on first use, flushed at the batch's end). */
  shared<T extends BatchAccumulator>(key: BatchKey<T>): T;
}

/**
 * A projection keeps part of the read model in step with events. It receives, in one transaction, every
 * new event of its types in the batch (in any order: it must reach the same state whatever the order),
 * and must be idempotent: applying an event it already reflects changes nothing.
 */
export interface Projection {
  readonly name: string;
  readonly eventTypes: readonly KnownEventType[];
  apply(trx: Trx, events: KnownEvent[], context: ProjectionContext): Promise<void>;
  /** Tables this projection owns, emptied before a rebuild. */
  readonly tables: readonly (keyof DB)[];
}
