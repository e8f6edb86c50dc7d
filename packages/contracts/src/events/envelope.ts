import { z } from 'zod';

/**
 * The platform's standard event envelope (main spec, "Standard Event Schema"). Tolerant of extra fields,
 * so a producer adding one never breaks ingestion.
 */
export const EVENT_TYPE_PATTERN = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

export const EventMetadataSchema = z.looseObject({
  source_service: z.string().min(1),
  correlation_id: z.string().min(1),
});

export const EventEnvelopeSchema = z.looseObject({
  event_id: z.uuid(),
  event_type: z.string().regex(EVENT_TYPE_PATTERN, 'must look like resource.action'),
  timestamp: z.iso.datetime({ offset: true }),
  version: z.string().regex(/^\d+(\.\d+)*$/, 'must be a version like "1.0"'),
  data: z.record(z.string(), z.unknown()),
  metadata: EventMetadataSchema,
});

export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;

export type EventMetadata = z.infer<typeof EventMetadataSchema>;

/** The envelope with a typed payload, once the payload is validated against its event type's schema. */
export interface TypedEvent<TType extends string, TData> {
  event_id: string;
  event_type: TType;
  timestamp: string;
  version: string;
  data: TData;
  metadata: EventMetadata;
}

/** The topics (Kafka) / subjects (NATS) the main spec names. */
export const DEFAULT_TOPICS = [
  'users.events',
  'transactions.events',
  'int.transaction-update.event',
  'budgets.events',
] as const;
