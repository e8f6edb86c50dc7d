import { sql } from 'kysely';
import type { DecodedMessage, SourceName, Trx } from './types.ts';
import { containsUnsafeText } from './decode.ts';
import { arrayParam } from './projection-kit.ts';

/** SQL of ingestion's own tables (processed_events, event_log, dead_letters, ingestion_source_stats). */

export type AcceptedMessage = Extract<DecodedMessage, { kind: 'known' | 'unknown' }>;
export type RejectedMessage = Extract<DecodedMessage, { kind: 'rejected' }>;

export function envelopeOf(message: AcceptedMessage) {
  return message.kind === 'known' ? message.event : message.envelope;
}

/** Records the events as processed; returns the ids that were not processed before. */
export async function recordProcessed(
  trx: Trx,
  messages: readonly AcceptedMessage[],
): Promise<Set<string>> {
  if (messages.length === 0) return new Set();
  const envelopes = messages.map(envelopeOf);
  const result = await sql<{ event_id: string }>`
    INSERT INTO processed_events (event_id, event_type, source, topic, partition, "offset")
    SELECT * FROM unnest(
      ${arrayParam(
        envelopes.map((e) => e.event_id),
        'uuid',
      )},
      ${arrayParam(
        envelopes.map((e) => e.event_type),
        'text',
      )},
      ${arrayParam(
        messages.map((m) => m.position.source),
        'text',
      )},
      ${arrayParam(
        messages.map((m) => m.position.topic ?? null),
        'text',
      )},
      ${arrayParam(
        messages.map((m) => m.position.partition ?? null),
        'int',
      )},
      ${arrayParam(
        messages.map((m) => m.position.offset ?? null),
        'bigint',
      )})
    ON CONFLICT (event_id) DO NOTHING
    RETURNING event_id
  `.execute(trx);
  return new Set(result.rows.map((r) => r.event_id));
}

export async function appendToEventLog(
  trx: Trx,
  messages: readonly AcceptedMessage[],
): Promise<void> {
  if (messages.length === 0) return;
  const envelopes = messages.map(envelopeOf);
  await sql`
    INSERT INTO event_log (event_id, event_type, event_time, source, topic, partition, "offset", envelope)
    SELECT x.id, x.type, x.at, x.source, x.topic, x.part, x.off, e.body
    FROM unnest(
      ${arrayParam(
        envelopes.map((e) => e.event_id),
        'uuid',
      )},
      ${arrayParam(
        envelopes.map((e) => e.event_type),
        'text',
      )},
      ${arrayParam(
        envelopes.map((e) => e.timestamp),
        'timestamptz',
      )},
      ${arrayParam(
        messages.map((m) => m.position.source),
        'text',
      )},
      ${arrayParam(
        messages.map((m) => m.position.topic ?? null),
        'text',
      )},
      ${arrayParam(
        messages.map((m) => m.position.partition ?? null),
        'int',
      )},
      ${arrayParam(
        messages.map((m) => m.position.offset ?? null),
        'bigint',
      )}) WITH ORDINALITY AS x(id, type, at, source, topic, part, off, n)
    -- The envelopes as one JSON array: parsed once, without a text[] literal to escape and unescape.
    JOIN jsonb_array_elements(${JSON.stringify(envelopes)}::jsonb) WITH ORDINALITY AS e(body, n)
      USING (n)
  `.execute(trx);
}

/**
 * Stores rejected messages as dead letters. A pending dead letter for the same event id is reused
 * (its attempts count goes up), so redelivery of a bad event does not pile up rows.
 */
export async function recordDeadLetters(
  trx: Trx,
  rejected: readonly RejectedMessage[],
): Promise<void> {
  if (rejected.length === 0) return;
  // Copies of one event in a batch (a producer's retry) become one row counting every copy: one
  // INSERT … ON CONFLICT DO UPDATE may not touch the same row twice.
  const copies = new Map<string, number>();
  const messages = rejected.filter((m) => {
    if (m.eventId === null) return true;
    const seen = copies.get(m.eventId);
    copies.set(m.eventId, (seen ?? 0) + 1);
    return seen === undefined;
  });
  // jsonb refuses the \u0000 escape and unpaired surrogates: such a payload is kept as JSON text (which
  // escapes both) in `raw` instead. Text columns refuse NUL bytes, which a parser's error message may
  // quote from the input.
  const stored = messages.map((m) => {
    const json = m.payload === null ? null : JSON.stringify(m.payload);
    const fallback = json !== null && containsUnsafeText(m.payload);
    return {
      payload: fallback ? null : json,
      raw: withoutNul(fallback ? json : m.raw),
      detail: withoutNul(m.detail),
      eventType: withoutNul(m.eventType),
    };
  });
  await sql`
    INSERT INTO dead_letters (source, topic, partition, "offset", event_id, event_type, reason, detail, payload, raw, attempts)
    SELECT source, topic, part, off, id, type, reason, detail, payload::jsonb, raw, copies FROM unnest(
      ${arrayParam(
        messages.map((m) => m.position.source),
        'text',
      )},
      ${arrayParam(
        messages.map((m) => m.position.topic ?? null),
        'text',
      )},
      ${arrayParam(
        messages.map((m) => m.position.partition ?? null),
        'int',
      )},
      ${arrayParam(
        messages.map((m) => m.position.offset ?? null),
        'bigint',
      )},
      ${arrayParam(
        messages.map((m) => m.eventId),
        'uuid',
      )},
      ${arrayParam(
        stored.map((s) => s.eventType),
        'text',
      )},
      ${arrayParam(
        messages.map((m) => m.reason),
        'text',
      )},
      ${arrayParam(
        stored.map((s) => s.detail),
        'text',
      )},
      ${arrayParam(
        stored.map((s) => s.payload),
        'text',
      )},
      ${arrayParam(
        stored.map((s) => s.raw),
        'text',
      )},
      ${arrayParam(
        messages.map((m) => (m.eventId === null ? 1 : (copies.get(m.eventId) ?? 1))),
        'int',
      )}) AS x(source, topic, part, off, id, type, reason, detail, payload, raw, copies)
    ON CONFLICT (event_id) WHERE status = 'pending' AND event_id IS NOT NULL DO UPDATE SET
      attempts = dead_letters.attempts + EXCLUDED.attempts,
      last_attempt_at = now(),
      reason = EXCLUDED.reason,
      detail = EXCLUDED.detail
  `.execute(trx);
}

function withoutNul<T extends string | null>(text: T): T {
  return (text === null ? null : text.replaceAll('\0', '\uFFFD')) as T;
}

export interface BatchCounts {
  processed: number;
  duplicates: number;
  deadLetters: number;
  unknownTypes: number;
  lastEventAt: Date | null;
}

export async function addSourceStats(
  trx: Trx,
  source: SourceName,
  counts: BatchCounts,
): Promise<void> {
  await sql`
    INSERT INTO ingestion_source_stats (source, processed, duplicates, dead_letters, unknown_types, last_event_at, last_batch_at)
    VALUES (${source}, ${counts.processed}, ${counts.duplicates}, ${counts.deadLetters}, ${counts.unknownTypes},
            ${counts.lastEventAt?.toISOString() ?? null}::timestamptz, now())
    ON CONFLICT (source) DO UPDATE SET
      processed = ingestion_source_stats.processed + EXCLUDED.processed,
      duplicates = ingestion_source_stats.duplicates + EXCLUDED.duplicates,
      dead_letters = ingestion_source_stats.dead_letters + EXCLUDED.dead_letters,
      unknown_types = ingestion_source_stats.unknown_types + EXCLUDED.unknown_types,
      last_event_at = GREATEST(ingestion_source_stats.last_event_at, EXCLUDED.last_event_at),
      last_batch_at = now()
  `.execute(trx);
}
