import {
  topicForEventType,
  type EVENT_PAYLOADS,
  type KnownEventType,
  type ResourceTopic,
} from '@backoffice/contracts';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';

export type SourceService =
  'user-service' | 'transaction-service' | 'budget-service' | 'pet-service' | 'payment-service';

/** Keycloak's events travel in Keycloak's own JSON, never in our envelope. */
export type KeycloakEventType = 'keycloak.event' | 'keycloak.admin_event';
/** The event types our services wrap in the platform's envelope. */
export type EnvelopeType = Exclude<KnownEventType, KeycloakEventType>;

/** What a producer writes for an event type: the payload schema's input (defaults may be left out). */
export type EventData<K extends EnvelopeType> = z.input<(typeof EVENT_PAYLOADS)[K]>;

interface EnvelopeOf<K extends EnvelopeType> {
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
export type Envelope<K extends EnvelopeType = EnvelopeType> = K extends EnvelopeType
  ? EnvelopeOf<K>
  : never;

/**
 * A Keycloak user event (`EventRepresentation`, Keycloak 22+ with its `id`), as the identity provider
 * publishes it on identity.events: `time` in ms since the epoch, `details` string pairs. The contracts'
 * KeycloakEventSchema is what consumers check it against.
 */
export interface KeycloakEvent {
  id: string;
  time: number;
  type: 'REGISTER' | 'LOGIN' | 'LOGIN_ERROR' | 'LOGOUT' | 'UPDATE_PROFILE';
  realmId: string;
  realmName: string;
  clientId: string;
  userId: string | null;
  sessionId: string | null;
  ipAddress: string | null;
  error?: string;
  details: Record<string, string>;
}

/** A Keycloak admin event (`AdminEventRepresentation`): an administrator changed a resource. */
export interface KeycloakAdminEvent {
  id: string;
  time: number;
  realmId: string;
  authDetails: {
    realmId: string;
    clientId: string;
    userId: string | null;
    ipAddress: string | null;
  };
  operationType: 'CREATE' | 'UPDATE' | 'DELETE' | 'ACTION';
  resourceType: string;
  resourcePath: string;
  /** The resource's JSON after the change, as text. */
  representation: string;
}

export type KeycloakMessage = KeycloakEvent | KeycloakAdminEvent;

/**
 * What the outbox carries: our services' envelopes, and the identity provider's messages in
 * Keycloak's own JSON (the backoffice recognises those by their shape).
 */
export type OutboxEvent = Envelope | KeycloakMessage;

export function isEnvelope(message: OutboxEvent): message is Envelope {
  return 'event_type' in message;
}

/** The event type a message is routed and counted by. */
export function eventTypeOf(message: OutboxEvent): KnownEventType {
  if (isEnvelope(message)) return message.event_type;
  return 'operationType' in message ? 'keycloak.admin_event' : 'keycloak.event';
}

/** The id consumers de-duplicate by: the envelope's event_id, Keycloak's `id`. */
export function eventIdOf(message: OutboxEvent): string {
  return isEnvelope(message) ? message.event_id : message.id;
}

const SOURCE_SERVICE: Record<EnvelopeType, SourceService> = {
  'user.created': 'user-service',
  'user.updated': 'user-service',
  'user.blocked': 'user-service',
  'user.unblocked': 'user-service',
  'user.disabled': 'user-service',
  'user.enabled': 'user-service',
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
};

export function sourceServiceOf(type: EnvelopeType): SourceService {
  return SOURCE_SERVICE[type];
}

/** Builds an envelope with the given id and time; the generator derives both from its seed. */
export function makeEnvelope<K extends EnvelopeType>(
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
export function newEvent<K extends EnvelopeType>(
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
 * partition, in order. User and session events are keyed by the user (contracts: transport.ts), and so
 * are Keycloak's: a user event by its `userId` (the attempted username when there is none), an admin
 * event by the user of its `users/<id>` path.
 */
export function entityKeyOf(message: OutboxEvent): string {
  if (!isEnvelope(message)) {
    const key =
      'operationType' in message
        ? /^users\/([^/]+)/.exec(message.resourcePath)?.[1]
        : (message.userId ?? message.details.username);
    return key ?? message.id;
  }
  const envelope = message;
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
    case 'pet':
      id = nestedId('pet') ?? data.pet_id;
      break;
    case 'payment':
      id = nestedId('payment');
      break;
    default:
      id = nestedId('user') ?? data.user_id;
  }
  if (typeof id !== 'string') throw new Error(`${envelope.event_type} event without an entity id`);
  return id;
}
