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

/** Keycloak's own JSON (identity.events): a user event has a `type`, an admin event an `operationType`. */
export function isKeycloakMessage(raw: unknown): raw is Record<string, unknown> {
  return (
    typeof raw === 'object' &&
    raw !== null &&
    !('event_type' in raw) &&
    ('type' in raw || 'operationType' in raw)
  );
}

/**
 * Checks a message of the outbox: an envelope as validEvent does, a Keycloak message the way the
 * backoffice reads one (apps/server keycloak-format.ts): in an envelope of type keycloak.event or
 * keycloak.admin_event whose `data` is the message, checked against KeycloakEventSchema or
 * KeycloakAdminEventSchema. Every generated Keycloak message has a uuid `id` and a `time`.
 */
export function validMessage(raw: unknown): KnownEvent {
  if (!isKeycloakMessage(raw)) return validEvent(raw);
  const time = raw.time;
  return validEvent({
    event_id: raw.id,
    event_type: 'operationType' in raw ? 'keycloak.admin_event' : 'keycloak.event',
    timestamp: typeof time === 'number' ? new Date(time).toISOString() : time,
    version: '1.0',
    data: raw,
    metadata: { source_service: 'keycloak', correlation_id: raw.sessionId ?? raw.id },
  });
}

/**
 * Reads the outbox in delivery order; `newEvents()` returns what was added since the last call
 * (Keycloak's messages as validMessage gives them).
 */
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
    return rows.map((row) => validMessage(JSON.parse(row.json)));
  }
}

export function ofType<T extends KnownEvent['event_type']>(
  events: readonly KnownEvent[],
  type: T,
): Extract<KnownEvent, { event_type: T }>[] {
  return events.filter((e): e is Extract<KnownEvent, { event_type: T }> => e.event_type === type);
}
