import {
  EventEnvelopeSchema,
  isKnownEventType,
  parseKnownPayload,
  type KnownEvent,
} from '@backoffice/contracts';
import { sql } from 'kysely';
import type { Database } from '../../src/db/database.ts';

/** Checks an event against the contracts (envelope and payload schema); returns it typed. */
export function validEvent(raw: unknown): KnownEvent {
  const envelope = EventEnvelopeSchema.safeParse(raw);
  if (!envelope.success) throw new Error(`invalid envelope: ${envelope.error.message}`);
  const { event_type: type } = envelope.data;
  if (!isKnownEventType(type)) throw new Error(`unknown event type ${type}`);
  const payload = parseKnownPayload({ ...envelope.data, event_type: type });
  if (!payload.ok) throw new Error(`invalid ${type} payload: ${payload.message}`);
  return payload.event;
}

/** Reads the outbox in delivery order; `newEvents()` returns what was added since the last call. */
export class OutboxReader {
  private lastId = '0';

  constructor(private readonly db: Database) {}

  async newEvents(): Promise<KnownEvent[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .select(['id', sql<string>`payload::text`.as('json')])
      .where('id', '>', this.lastId)
      .orderBy('id')
      .execute();
    this.lastId = rows.at(-1)?.id ?? this.lastId;
    return rows.map((row) => validEvent(JSON.parse(row.json)));
  }
}

export function ofType<T extends KnownEvent['event_type']>(
  events: readonly KnownEvent[],
  type: T,
): Extract<KnownEvent, { event_type: T }>[] {
  return events.filter((e): e is Extract<KnownEvent, { event_type: T }> => e.event_type === type);
}
