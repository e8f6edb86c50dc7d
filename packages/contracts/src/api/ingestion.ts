import { z } from 'zod';
import { EventEnvelopeSchema } from '../events/envelope.ts';
import { pii } from '../pii.ts';
import { DateTimeSchema, queryEnum, TextSchema } from './common.ts';

/** `POST /v1/ingest/events` accepts one envelope, an array of them, or `{ "events": [...] }`. */
export const IngestRequestSchema = z
  .union([
    z.object({
      events: z.array(EventEnvelopeSchema),
      backlog: z
        .number()
        .int()
        .min(0)
        .optional()
        .describe(
          'Events the producer has published after this batch and not delivered yet: the backoffice shows it is catching up while this is large',
        ),
    }),
    z.array(EventEnvelopeSchema),
    EventEnvelopeSchema,
  ])
  .meta({ id: 'IngestRequest' });

export const IngestResponseSchema = z
  .object({
    accepted: z
      .number()
      .int()
      .describe('New events stored (unknown types included: they are kept, not projected)'),
    duplicates: z
      .number()
      .int()
      .describe('Events whose event_id was already processed, or repeated in the batch'),
    rejected: z
      .array(
        z.object({
          index: z.number().int().describe('Position of the event in the batch'),
          reason: z.string(),
          detail: z.string(),
        }),
      )
      .describe('Events stored as dead letters instead'),
  })
  .meta({ id: 'IngestResponse' });

export type IngestResponse = z.infer<typeof IngestResponseSchema>;

export const DEAD_LETTER_STATUSES = ['pending', 'replayed', 'discarded'] as const;

export const DeadLetterSchema = z
  .object({
    id: z.number().int(),
    receivedAt: z.iso.datetime(),
    source: z.string(),
    position: z.object({
      topic: z.string().nullable(),
      partition: z.number().nullable(),
      offset: z.number().nullable(),
    }),
    eventId: z.string().nullable(),
    eventType: z.string().nullable(),
    reason: z.string(),
    detail: z.string(),
    /**
     * The message as received: `payload` is its JSON when that could be stored; otherwise `raw` keeps
     * its bytes (see `rawEncoding`). Personal data inside.
     */
    payload: pii(z.unknown(), 'text'),
    raw: pii(z.string().nullable(), 'text'),
    rawEncoding: z
      .enum(['utf8', 'base64'])
      .describe(
        '`base64` when the bytes received were not UTF-8 text or held a NUL: `raw` is then their base64',
      ),
    status: z.enum(DEAD_LETTER_STATUSES),
    attempts: z.number().int(),
    lastAttemptAt: z.iso.datetime(),
    resolvedAt: z.iso.datetime().nullable(),
    resolvedBy: z.string().nullable(),
    resolution: z.string().nullable(),
  })
  .meta({ id: 'DeadLetter' });

export const DeadLetterQuerySchema = z.object({
  status: queryEnum(DEAD_LETTER_STATUSES).optional(),
  reason: TextSchema.max(50).optional(),
  source: TextSchema.max(20).optional(),
  eventType: TextSchema.max(100).optional(),
  from: DateTimeSchema.optional(),
  to: DateTimeSchema.optional(),
});

export const ReplayResultSchema = z
  .object({
    replayed: z.boolean(),
    /** The event had been processed already (e.g. delivered again by its producer). */
    duplicate: z.boolean(),
    deadLetter: DeadLetterSchema,
  })
  .meta({ id: 'ReplayResult' });

export const SourceStatusSchema = z
  .object({
    name: z.string(),
    enabled: z.boolean(),
    connected: z
      .boolean()
      .nullable()
      .describe('null for the webhook: it has no connection of its own'),
    eventsPerSecond: z.number().describe('This instance, last minute'),
    lastEventAt: z.iso.datetime().nullable(),
    lastBatchAt: z.iso.datetime().nullable(),
    lag: z
      .number()
      .nullable()
      .describe(
        'Messages waiting: Kafka lag, NATS consumer pending, or the webhook producer’s last reported backlog; null when unknown',
      ),
    lagDetail: z.record(z.string(), z.number()),
    processed: z.number(),
    duplicates: z.number(),
    deadLetters: z.number(),
    unknownTypes: z.number(),
    lastError: z.string().nullable(),
    lastErrorAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'SourceStatus' });

/** The read model is behind what the sources know to be published; null on the wire when caught up. */
export const CatchingUpSchema = z
  .object({
    behind: z
      .number()
      .int()
      .describe(
        'Events waiting, summed over the sources that can tell (broker lag, a webhook producer’s reported backlog)',
      ),
    since: z.iso.datetime().describe('When the read model fell behind'),
  })
  .meta({ id: 'CatchingUp' });

export const IngestionStatusSchema = z
  .object({
    catchingUp: CatchingUpSchema.nullable(),
    sources: z.array(SourceStatusSchema),
    pendingDeadLetters: z.number(),
  })
  .meta({ id: 'IngestionStatus' });

export type DeadLetter = z.infer<typeof DeadLetterSchema>;
export type CatchingUp = z.infer<typeof CatchingUpSchema>;
