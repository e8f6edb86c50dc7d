import type { z } from 'zod';
import type { EventEnvelope, TypedEvent } from './envelope.ts';
import {
  BudgetCreatedSchema,
  BudgetDeletedSchema,
  BudgetUpdatedSchema,
  SessionCreatedSchema,
  SessionEndedSchema,
  TransactionCreatedSchema,
  TransactionDeletedSchema,
  TransactionUpdatedSchema,
  UserBlockedSchema,
  UserCreatedSchema,
  UserDisabledSchema,
  UserEnabledSchema,
  UserUnblockedSchema,
  UserUpdatedSchema,
} from './payloads.ts';
import {
  KeycloakAdminEventSchema,
  KeycloakEventSchema,
  PaymentFailedSchema,
  PaymentInitiatedSchema,
  PaymentRefundedSchema,
  PaymentSucceededSchema,
  PetAdoptedSchema,
  PetCreatedSchema,
  PetDeletedSchema,
  PetTransferredSchema,
  PetUpdatedSchema,
} from './virtual-pet.ts';

/**
 * Every event type the backoffice projects, with its payload schema (major version 1): Money Planner's
 * (users, sessions, transactions, budgets) and Virtual Pet's (pets, payments, Keycloak's events as
 * docs/ingestion.md maps them). Users and sessions are shared by both platforms.
 */
export const EVENT_PAYLOADS = {
  'user.created': UserCreatedSchema,
  'user.updated': UserUpdatedSchema,
  'user.blocked': UserBlockedSchema,
  'user.unblocked': UserUnblockedSchema,
  'user.disabled': UserDisabledSchema,
  'user.enabled': UserEnabledSchema,
  'session.created': SessionCreatedSchema,
  'session.ended': SessionEndedSchema,
  'transaction.created': TransactionCreatedSchema,
  'transaction.updated': TransactionUpdatedSchema,
  'transaction.deleted': TransactionDeletedSchema,
  'budget.created': BudgetCreatedSchema,
  'budget.updated': BudgetUpdatedSchema,
  'budget.deleted': BudgetDeletedSchema,
  'pet.created': PetCreatedSchema,
  'pet.updated': PetUpdatedSchema,
  'pet.adopted': PetAdoptedSchema,
  'pet.transferred': PetTransferredSchema,
  'pet.deleted': PetDeletedSchema,
  'payment.initiated': PaymentInitiatedSchema,
  'payment.succeeded': PaymentSucceededSchema,
  'payment.failed': PaymentFailedSchema,
  'payment.refunded': PaymentRefundedSchema,
  'keycloak.event': KeycloakEventSchema,
  'keycloak.admin_event': KeycloakAdminEventSchema,
} as const;

export type KnownEventType = keyof typeof EVENT_PAYLOADS;
export const KNOWN_EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as KnownEventType[];

/** Payload schema versions the backoffice understands: any 1.x. */
export const SUPPORTED_MAJOR_VERSIONS = [1] as const;

export type KnownEvent = {
  [K in KnownEventType]: TypedEvent<K, z.infer<(typeof EVENT_PAYLOADS)[K]>>;
}[KnownEventType];

export type EventOf<K extends KnownEventType> = Extract<KnownEvent, { event_type: K }>;

export function isKnownEventType(type: string): type is KnownEventType {
  return Object.hasOwn(EVENT_PAYLOADS, type);
}

export function majorVersion(version: string): number {
  return Number.parseInt(version.split('.')[0] ?? '', 10);
}

export type PayloadCheck =
  | { ok: true; event: KnownEvent }
  | { ok: false; reason: 'unsupported_version' | 'invalid_payload'; message: string };

/** Validates the payload of an envelope of a known type against that type's schema. */
export function parseKnownPayload(
  envelope: EventEnvelope & { event_type: KnownEventType },
): PayloadCheck {
  const major = majorVersion(envelope.version);
  if (!(SUPPORTED_MAJOR_VERSIONS as readonly number[]).includes(major)) {
    return {
      ok: false,
      reason: 'unsupported_version',
      message: `${envelope.event_type} version ${envelope.version} is not supported (supported: ${SUPPORTED_MAJOR_VERSIONS.map((v) => `${v}.x`).join(', ')})`,
    };
  }
  const parsed = EVENT_PAYLOADS[envelope.event_type].safeParse(envelope.data);
  if (!parsed.success) {
    return {
      ok: false,
      reason: 'invalid_payload',
      message: parsed.error.issues.map((i) => `data.${i.path.join('.')}: ${i.message}`).join('; '),
    };
  }
  return { ok: true, event: { ...envelope, data: parsed.data } as KnownEvent };
}
