import {
  topicForEventType,
  type EVENT_PAYLOADS,
  type KnownEventType,
  type ResourceTopic,
} from '@backoffice/contracts';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';

export type SourceService =
  | 'user-service'
  | 'transaction-service'
  | 'budget-service'
  | 'pet-service'
  | 'payment-service'
  | 'keycloak';

/** What a producer writes for an event type: the payload schema's input (defaults may be left out). */
export type EventData<K extends KnownEventType> = z.input<(typeof EVENT_PAYLOADS)[K]>;

interface EnvelopeOf<K extends KnownEventType> {
  event_id: string;
  event_type: K;
  timestamp: string;
  version: '1.0';
  data: EventData<K>;
  metadata: { source_service: SourceService; correlation_id: string };
}

/**
 * The platform's standard envelope (packages/contracts), with the payload typed by event type.
 * `Envelope` alone is the union over all types, so a switch on `event_type` narrows `data`.
 */
export type Envelope<K extends KnownEventType = KnownEventType> = K extends KnownEventType
  ? EnvelopeOf<K>
  : never;

const SOURCE_SERVICE: Record<KnownEventType, SourceService> = {
  'user.created': 'user-service',
  'user.updated': 'user-service',
  'user.blocked': 'user-service',
  'user.unblocked': 'user-service',
  'session.created': 'user-service',
  'session.ended': 'user-service',
  'transaction.created': 'transaction-service',
  'transaction.updated': 'transaction-service',
  'transaction.deleted': 'transaction-service',
  'budget.created': 'budget-service',
  'budget.updated': 'budget-service',
  'budget.deleted': 'budget-service',
  'pet.created': 'pet-service',
  'pet.updated': 'pet-service',
  'pet.adopted': 'pet-service',
  'pet.transferred': 'pet-service',
  'pet.deleted': 'pet-service',
  'payment.initiated': 'payment-service',
  'payment.succeeded': 'payment-service',
  'payment.failed': 'payment-service',
  'payment.refunded': 'payment-service',
  'keycloak.event': 'keycloak',
  'keycloak.admin_event': 'keycloak',
};

export function sourceServiceOf(type: KnownEventType): SourceService {
  return SOURCE_SERVICE[type];
}

/** Builds an envelope with the given id and time; the generator derives both from its seed. */
export function makeEnvelope<K extends KnownEventType>(
  type: K,
  data: EventData<K>,
  meta: { eventId: string; timestamp: string; correlationId: string },
): Envelope<K> {
  const envelope: EnvelopeOf<K> = {
    event_id: meta.eventId,
    event_type: type,
    timestamp: meta.timestamp,
    version: '1.0',
    data,
    metadata: { source_service: sourceServiceOf(type), correlation_id: meta.correlationId },
  };
  return envelope as Envelope<K>;
}

/** An event that happens now, caused by the request (or traffic action) with this correlation id. */
export function newEvent<K extends KnownEventType>(
  type: K,
  data: EventData<K>,
  correlationId: string,
  at: Date = new Date(),
): Envelope<K> {
  return makeEnvelope(type, data, {
    eventId: randomUUID(),
    timestamp: at.toISOString(),
    correlationId,
  });
}

export function topicOf(type: KnownEventType): ResourceTopic {
  const topic = topicForEventType(type);
  if (topic === undefined) throw new Error(`no topic for event type ${type}`);
  return topic;
}

/**
 * The entity an event is about, used as the Kafka message key so that one entity's events stay in one
 * partition, in order. User and session events are keyed by the user (contracts: transport.ts).
 */
export function entityKeyOf(envelope: Envelope): string {
  const data = envelope.data as Record<string, unknown>;
  const nestedId = (field: string) => (data[field] as { id?: unknown } | undefined)?.id;
  let id: unknown;
  switch (envelope.event_type.split('.')[0]) {
    case 'transaction':
      id = nestedId('transaction') ?? data.transaction_id;
      break;
    case 'budget':
      id = nestedId('budget') ?? data.budget_id;
      break;
    default:
      id = nestedId('user') ?? data.user_id;
  }
  if (typeof id !== 'string') throw new Error(`${envelope.event_type} event without an entity id`);
  return id;
}
