import {
  EventEnvelopeSchema,
  isKnownEventType,
  parseKnownPayload,
  type EventEnvelope,
} from '@backoffice/contracts';
import type { DecodedMessage, EventFormat, IncomingMessage, RawEncoding } from './types.ts';

/**
 * How deep a message's JSON may nest. Real events nest a few levels; a deeper message is refused here,
 * before anything recursive (JSON.stringify, the schemas, PostgreSQL's jsonb parser) meets it and runs
 * out of stack.
 */
export const MAX_DEPTH = 64;

/** A dead letter keeps at most this much of a message that cannot be stored as JSON. */
const MAX_RAW = 64 * 1024;

/** JSON is UTF-8 (RFC 8259): bytes that are not are refused, never silently repaired. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A UTF-16 surrogate without its other half (with the u flag, a valid pair reads as one code point). */
const LONE_SURROGATE = /\p{Cs}/u;
const UNSTORABLE_CHARACTERS = /\0|\p{Cs}/gu;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why PostgreSQL cannot store this text in a text or jsonb column, or null when it can. */
function textProblem(text: string): string | null {
  if (text.includes('\0')) return 'holds a NUL character (\\u0000), which cannot be stored';
  const lone = LONE_SURROGATE.exec(text)?.[0];
  if (lone === undefined) return null;
  const code = lone.charCodeAt(0).toString(16);
  return `holds a lone UTF-16 surrogate (\\u${code}: half a character, such as a cut emoji), which is not text`;
}

/**
 * Text of ours that quotes foreign text (an error message, say), made storable: NUL characters and lone
 * surrogates become U+FFFD. Never used on a message's content, which is kept exactly or refused.
 */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE_CHARACTERS, '\uFFFD');
}

/** Where in the message, as a path like `data.owner.name` or `data.tags[2]`. At most 200 characters. */
function pathOf(parent: string, key: string, inArray: boolean): string {
  const path = inArray ? `${parent}[${key}]` : parent === '' ? key : `${parent}.${key}`;
  return path.length > 200 ? `${path.slice(0, 199)}…` : path;
}

/**
 * What in a parsed message PostgreSQL could not store — a string (or key) holding a NUL or a lone
 * surrogate, or nesting deeper than MAX_DEPTH — or null when it can store all of it. Walks without
 * recursion, so any depth is safe to inspect.
 */
function unstorable(message: unknown): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value: message, path: '', depth: 0 },
  ];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path, depth } = next;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem !== null) return `${path === '' ? 'the message' : path} ${problem}`;
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth === MAX_DEPTH)
      return `nested deeper than ${MAX_DEPTH} levels (at ${path === '' ? 'the top' : path})`;
    const inArray = Array.isArray(value);
    for (const [key, child] of Object.entries(value)) {
      const problem = textProblem(key);
      if (problem !== null) return `a key in ${path === '' ? 'the message' : path} ${problem}`;
      stack.push({ value: child, path: pathOf(path, key, inArray), depth: depth + 1 });
    }
  }
  return null;
}

/** Marks text written as it stands while serializing (brackets, commas, keys). */
class Token {
  constructor(readonly text: string) {}
}

/**
 * JSON text of an already-parsed message, at most `limit` characters, without recursion: what a dead
 * letter keeps of a webhook event that cannot be stored as jsonb. String escapes keep it storable text
 * (JSON.stringify writes a lone surrogate or a NUL as a \u escape).
 */
function boundedJson(message: unknown, limit: number): string {
  let out = '';
  const stack: unknown[] = [message];
  while (stack.length > 0 && out.length < limit) {
    const item = stack.pop();
    if (item instanceof Token) out += item.text;
    else if (Array.isArray(item)) {
      out += '[';
      stack.push(new Token(']'));
      for (let i = item.length - 1; i >= 0; i--) {
        stack.push(item[i]);
        if (i > 0) stack.push(new Token(','));
      }
    } else if (typeof item === 'object' && item !== null) {
      out += '{';
      stack.push(new Token('}'));
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, value] = entries[i] as [string, unknown];
        stack.push(value, new Token(`${JSON.stringify(key)}:`));
        if (i > 0) stack.push(new Token(','));
      }
    } else out += JSON.stringify(item) ?? 'null';
  }
  return out.slice(0, limit);
}

/** A message's text as a dead letter keeps it: as it is, or base64 when it holds a NUL. */
function rawText(text: string): { raw: string; rawEncoding: RawEncoding } {
  if (!text.includes('\0')) return { raw: text.slice(0, MAX_RAW), rawEncoding: 'utf8' };
  return { raw: rawBytes(Buffer.from(text)).raw, rawEncoding: 'base64' };
}

function rawBytes(bytes: Buffer): { raw: string; rawEncoding: RawEncoding } {
  return { raw: bytes.subarray(0, MAX_RAW).toString('base64'), rawEncoding: 'base64' };
}

/**
 * Why a text is not JSON, in our words: the parser's message quotes the input, which may be personal
 * data, and a dead letter's detail is shown to anyone who may read dead letters. Its position stays.
 */
function notJsonDetail(error: unknown): string {
  const position = /at position (\d+)/.exec((error as Error).message)?.[1];
  return position === undefined ? 'not JSON' : `not JSON (at position ${position})`;
}

function field(value: unknown, name: string): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const found = (value as Record<string, unknown>)[name];
  return typeof found === 'string' && textProblem(found) === null ? found : null;
}

function eventIdOf(parsed: unknown): string | null {
  const id = field(parsed, 'event_id');
  return id !== null && UUID.test(id) ? id.toLowerCase() : null;
}

/** The format a message is in, when it is an object that is not an envelope and a format knows it. */
function formatOf(parsed: unknown, formats: readonly EventFormat[]): EventFormat | undefined {
  if (formats.length === 0 || typeof parsed !== 'object' || parsed === null) return undefined;
  if (Array.isArray(parsed) || 'event_type' in parsed) return undefined;
  const message = parsed as Record<string, unknown>;
  return formats.find((format) => format.recognizes(message));
}

/**
 * Turns one message into a known event, an unknown-type event (kept, not projected) or a rejection with
 * its reason. Never throws: a bad message must not stop the batch. This is the one place that decides
 * what PostgreSQL can store: everything it lets through (events, and every text of a rejection) can be
 * written to jsonb and text columns as it is; a message that could not be is rejected with its bytes
 * kept exactly — as text, or base64 when they are not text.
 */
export function decodeMessage(
  message: IncomingMessage,
  index: number,
  formats: readonly EventFormat[] = [],
): DecodedMessage {
  const { position } = message;
  const rejected = { kind: 'rejected', index, position, payload: null } as const;
  let parsed: unknown = message.body;
  let text: string | undefined;
  if (Buffer.isBuffer(message.body)) {
    try {
      text = utf8.decode(message.body);
    } catch {
      return {
        ...rejected,
        reason: 'not_json',
        detail: 'not UTF-8 text, which JSON must be',
        ...rawBytes(message.body),
        eventId: null,
        eventType: null,
      };
    }
    try {
      parsed = JSON.parse(text) as unknown;
    } catch (error) {
      return {
        ...rejected,
        reason: 'not_json',
        detail: notJsonDetail(error),
        ...rawText(text),
        eventId: null,
        eventType: null,
      };
    }
  }

  const identity = { eventId: eventIdOf(parsed), eventType: field(parsed, 'event_type') };
  const problem = unstorable(parsed);
  if (problem !== null) {
    return {
      ...rejected,
      ...identity,
      reason: 'unstorable',
      // A path cut at 200 characters may end in half a character.
      detail: storableText(problem),
      ...(text === undefined
        ? { raw: boundedJson(parsed, MAX_RAW), rawEncoding: 'utf8' }
        : rawText(text)),
    };
  }

  // A foreign format's message (checked storable above) becomes the envelope it maps to, and what
  // follows checks that envelope; a dead letter keeps the envelope, so a replay needs no format.
  const format = formatOf(parsed, formats);
  if (format !== undefined) {
    parsed = format.toEnvelope(parsed as Record<string, unknown>);
    identity.eventId = eventIdOf(parsed);
    identity.eventType = field(parsed, 'event_type');
  }

  const reject = (
    reason: 'invalid_envelope' | 'unsupported_version' | 'invalid_payload',
    detail: string,
  ) =>
    ({
      ...rejected,
      ...identity,
      reason,
      detail: storableText(detail),
      payload: parsed,
      raw: null,
      rawEncoding: 'utf8',
    }) as const;

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
