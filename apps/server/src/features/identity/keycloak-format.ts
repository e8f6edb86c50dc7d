import { createHash } from 'node:crypto';
import type { EventFormat } from '../../platform/events/types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The instants a JavaScript Date can hold (±100,000,000 days around 1970). */
const MAX_TIME = 8.64e15;

/**
 * A stable id for an event that carries none (Keycloak before version 22): a name-based UUID (RFC 9562
 * version 8) of the message's text, so a listener that posts the same event again is told "duplicate".
 */
function derivedId(message: Readonly<Record<string, unknown>>): string {
  const bytes = createHash('sha256').update(JSON.stringify(message)).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * Keycloak's own event JSON, as its event listeners (an HTTP listener, a Kafka or NATS bridge) and its
 * admin REST API give it, mapped to the platform's envelope (docs/ingestion.md "Keycloak"):
 *
 * | envelope | from a user event (`EventRepresentation`) | from an admin event |
 * | --- | --- | --- |
 * | `event_type` | `keycloak.event` | `keycloak.admin_event` |
 * | `event_id` | `id` (Keycloak 22+), else a UUID derived from the message's text | the same |
 * | `timestamp` | `time` (ms since the epoch) in ISO 8601 | the same |
 * | `version` | `1.0` | `1.0` |
 * | `data` | the message as Keycloak sent it | the same |
 * | `metadata` | `source_service: keycloak`, `correlation_id`: `sessionId` or the event id, `realm` | the same, `realm` from `realmId` |
 *
 * A message is Keycloak's when it has a `type` (user event) or an `operationType` (admin event), a
 * `time` or a `realmId`, and no `event_type`. One without a usable `time` is then refused naming it.
 */
export const keycloakFormat: EventFormat = {
  name: 'keycloak',

  recognizes: (message) =>
    (typeof message.type === 'string' || typeof message.operationType === 'string') &&
    ('time' in message || 'realmId' in message),

  toEnvelope(message) {
    const admin = typeof message.operationType === 'string';
    const id = text(message.id);
    const eventId = id !== undefined && UUID.test(id) ? id.toLowerCase() : derivedId(message);
    const time = message.time;
    return {
      event_id: eventId,
      event_type: admin ? 'keycloak.admin_event' : 'keycloak.event',
      // A missing time, or one a Date cannot hold, stays as it is: the envelope's check names it.
      timestamp:
        typeof time === 'number' && Number.isFinite(time) && Math.abs(time) <= MAX_TIME
          ? new Date(time).toISOString()
          : time,
      version: '1.0',
      data: message,
      metadata: {
        source_service: 'keycloak',
        correlation_id: text(message.sessionId) ?? eventId,
        ...(text(message.realmId) === undefined ? {} : { realm: message.realmId }),
      },
    };
  },
};
