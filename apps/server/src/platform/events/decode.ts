import {
  EventEnvelopeSchema,
  isKnownEventType,
  isSafeText,
  parseKnownPayload,
  type EventEnvelope,
} from '@backoffice/contracts';
import type { DecodedMessage, IncomingMessage } from './types.ts';

function textOf(body: Buffer | string): string {
  return typeof body === 'string' ? body : body.toString('utf8');
}

/** Keep what we can of a bad message: its JSON if it parsed, else at most 64 KiB of its text. */
const MAX_RAW = 64 * 1024;

function field(value: unknown, name: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const found = (value as Record<string, unknown>)[name];
  return typeof found === 'string' ? found : null;
}

/** Whether any key or string inside a parsed JSON value holds what jsonb refuses (see isSafeText). */
export function containsUnsafeText(value: unknown): boolean {
  if (typeof value === 'string') return !isSafeText(value);
  if (Array.isArray(value)) return value.some(containsUnsafeText);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(
      ([key, item]) => !isSafeText(key) || containsUnsafeText(item),
    );
  }
  return false;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Turns one message into a known event, an unknown-type event (kept, not projected) or a rejection with
 * its reason. Never throws: a bad message must not stop the batch.
 */
export function decodeMessage(message: IncomingMessage, index: number): DecodedMessage {
  const { position } = message;
  let parsed: unknown = message.body;
  if (typeof message.body === 'string' || Buffer.isBuffer(message.body)) {
    const text = textOf(message.body);
    try {
      parsed = JSON.parse(text) as unknown;
    } catch (error) {
      return {
        kind: 'rejected',
        index,
        position,
        reason: 'not_json',
        detail: `not JSON: ${(error as Error).message}`,
        payload: null,
        // A text column cannot hold NUL bytes either.
        raw: text.slice(0, MAX_RAW).replaceAll('\0', '\uFFFD'),
        eventId: null,
        eventType: null,
      };
    }
  }

  const maybeId = field(parsed, 'event_id');
  const reject = (
    reason: 'invalid_envelope' | 'unsupported_version' | 'invalid_payload',
    detail: string,
  ) =>
    ({
      kind: 'rejected',
      index,
      position,
      reason,
      detail,
      payload: parsed,
      raw: null,
      eventId: maybeId !== null && UUID.test(maybeId) ? maybeId.toLowerCase() : null,
      eventType: field(parsed, 'event_type'),
    }) as const;

  // Valid JSON, but jsonb refuses both the \u0000 escape and an unpaired surrogate's.
  if (containsUnsafeText(parsed)) {
    return reject(
      'invalid_payload',
      'contains a NUL character (\\u0000) or an unpaired surrogate, which cannot be stored',
    );
  }

  const envelope = EventEnvelopeSchema.safeParse(parsed);
  if (!envelope.success) {
    return reject(
      'invalid_envelope',
      envelope.error.issues
        .map((i) => `${i.path.join('.') || '(envelope)'}: ${i.message}`)
        .join('; '),
    );
  }
  const normalized: EventEnvelope = {
    ...envelope.data,
    event_id: envelope.data.event_id.toLowerCase(),
  };
  if (!isKnownEventType(normalized.event_type)) {
    return { kind: 'unknown', index, position, envelope: normalized };
  }
  const check = parseKnownPayload({ ...normalized, event_type: normalized.event_type });
  if (!check.ok) return reject(check.reason, check.message);
  return { kind: 'known', index, position, event: check.event };
}
