import { events, uuid } from './events.ts';

/**
 * Messages no PostgreSQL column accepts as they stand, each otherwise a real event: what producers send
 * by mistake. Every one must end as a dead letter keeping its exact bytes, and must stop nothing.
 */
export interface PoisonMessage {
  name: string;
  /** The event id the dead letter records: none when the bytes cannot be read as JSON. */
  eventId: string | null;
  /** The message exactly as the producer sends it. */
  bytes: Buffer;
  /** The dead letter's reason. */
  reason: string;
  /** How the dead letter keeps the bytes: as text when they are text, else base64. */
  rawEncoding: 'utf8' | 'base64';
}

const MARK = '"@@poison@@"';

/** A user.created event whose name is `fragment` (bytes spliced into the JSON text as they are). */
function userNamed(fragment: Buffer | string): { eventId: string; bytes: Buffer } {
  const event = events.userCreated({ id: uuid(), email: 'poison@example.com', name: '@@poison@@' });
  const [before = '', after = ''] = JSON.stringify(event).split(MARK);
  return {
    eventId: event.event_id,
    bytes: Buffer.concat([Buffer.from(before), Buffer.from(fragment), Buffer.from(after)]),
  };
}

export const DEEP_NESTING = 10_000;

export function poisonMessages(): PoisonMessage[] {
  return [
    {
      name: 'a lone UTF-16 surrogate (half an emoji)',
      // The JSON escape of the first half of 😀 alone: valid JSON syntax, not Unicode text.
      ...userNamed('"smile \\ud83d"'),
      reason: 'unstorable',
      rawEncoding: 'utf8',
    },
    {
      name: 'a NUL character escaped in a string',
      ...userNamed('"ab\\u0000cd"'),
      reason: 'unstorable',
      rawEncoding: 'utf8',
    },
    {
      name: `JSON nested ${DEEP_NESTING} levels deep`,
      ...userNamed('['.repeat(DEEP_NESTING) + ']'.repeat(DEEP_NESTING)),
      reason: 'unstorable',
      rawEncoding: 'utf8',
    },
    {
      name: 'bytes that are not UTF-8 (Latin-1)',
      ...userNamed(Buffer.from([0x22, 0x52, 0x65, 0x6e, 0xe9, 0x22])),
      eventId: null,
      reason: 'not_json',
      rawEncoding: 'base64',
    },
    {
      name: 'a raw NUL byte inside a string',
      ...userNamed(Buffer.from([0x22, 0x61, 0x00, 0x62, 0x22])),
      eventId: null,
      reason: 'not_json',
      rawEncoding: 'base64',
    },
  ];
}

/** The text a dead letter's `raw` holds for the message. */
export function storedRaw(message: PoisonMessage): string {
  return message.bytes.toString(message.rawEncoding);
}
