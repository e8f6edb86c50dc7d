import { z } from 'zod';
import { DecimalStringSchema } from './payloads.ts';

/**
 * Payloads of the Virtual Pet platform's events (seed 001), version 1.x: the Pet Service, the Payment
 * Service and Keycloak, its identity provider. Field names are the producers' (snake_case for our
 * services, Keycloak's own camelCase for its events). Every object tolerates extra fields.
 */

const timestamp = z.iso.datetime({ offset: true });

export const PET_SPECIES = ['CAT', 'DOG', 'DRAGON', 'BUNNY', 'FOX', 'OWL', 'TURTLE'] as const;
export const PET_STATUSES = ['ACTIVE', 'ADOPTED'] as const;
export const PAYMENT_METHODS = [
  'CARD',
  'PAYPAL',
  'APPLE_PAY',
  'GOOGLE_PAY',
  'BANK_TRANSFER',
] as const;
export const PAYMENT_STATUSES = ['INITIATED', 'SUCCEEDED', 'FAILED', 'REFUNDED'] as const;

// pets.events -------------------------------------------------------------------------------------------

const stat = z.number().int().min(0).max(100);

/** A pet as the Pet Service has it after the change: level 1–100, health and happiness 0–100. */
export const PetSchema = z.looseObject({
  id: z.uuid(),
  owner_id: z.uuid(),
  name: z.string().min(1).max(100),
  species: z.enum(PET_SPECIES),
  level: z.number().int().min(1).max(100),
  health: stat,
  happiness: stat,
  status: z.enum(PET_STATUSES).default('ACTIVE'),
  adopted_at: timestamp.nullish(),
  created_at: timestamp,
});

export const PetCreatedSchema = z.looseObject({ pet: PetSchema });
export const PetUpdatedSchema = z.looseObject({
  pet: PetSchema,
  old_values: z.record(z.string(), z.unknown()).optional(),
});
/** Adopted from the shelter by its (new) owner. */
export const PetAdoptedSchema = z.looseObject({ pet: PetSchema });
/** Given by one owner to another: `pet.owner_id` is the new owner. */
export const PetTransferredSchema = z.looseObject({
  pet: PetSchema,
  from_owner_id: z.uuid(),
});
export const PetDeletedSchema = z.looseObject({
  pet_id: z.uuid(),
  owner_id: z.uuid(),
  deleted_at: timestamp.nullish(),
});

// payments.events ---------------------------------------------------------------------------------------

/** A payment as the Payment Service has it after the change. Amounts are decimal strings. */
export const PaymentSchema = z.looseObject({
  id: z.uuid(),
  user_id: z.uuid(),
  amount: DecimalStringSchema,
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like "EUR"'),
  method: z.enum(PAYMENT_METHODS),
  status: z.enum(PAYMENT_STATUSES),
  description: z.string().max(500).nullish(),
  failure_reason: z.string().max(500).nullish(),
  created_at: timestamp,
});

export const PaymentInitiatedSchema = z.looseObject({ payment: PaymentSchema });
export const PaymentSucceededSchema = z.looseObject({ payment: PaymentSchema });
export const PaymentFailedSchema = z.looseObject({ payment: PaymentSchema });
export const PaymentRefundedSchema = z.looseObject({
  payment: PaymentSchema,
  refunded_amount: DecimalStringSchema.nullish(),
  reason: z.string().max(500).nullish(),
});

// identity.events (Keycloak) ------------------------------------------------------------------------------

/**
 * A Keycloak user event, as its event listeners and the admin REST API give it
 * (`EventRepresentation`): `time` in milliseconds since the epoch; `type` LOGIN, LOGOUT, REGISTER,
 * LOGIN_ERROR, UPDATE_PROFILE…; `details` string pairs such as `username`, `auth_method`,
 * `redirect_uri`. `id` exists from Keycloak 22 on.
 */
export const KeycloakEventSchema = z.looseObject({
  id: z.string().max(100).nullish(),
  time: z.number().int().nonnegative(),
  type: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'must be a Keycloak event type like "LOGIN"'),
  realmId: z.string().max(255).nullish(),
  realmName: z.string().max(255).nullish(),
  clientId: z.string().max(255).nullish(),
  userId: z.string().max(255).nullish(),
  sessionId: z.string().max(255).nullish(),
  ipAddress: z.string().max(100).nullish(),
  error: z.string().max(255).nullish(),
  details: z.record(z.string(), z.string().max(2000)).nullish(),
});

/** A Keycloak admin event (`AdminEventRepresentation`): who did what to which resource. */
export const KeycloakAdminEventSchema = z.looseObject({
  id: z.string().max(100).nullish(),
  time: z.number().int().nonnegative(),
  realmId: z.string().max(255).nullish(),
  authDetails: z
    .looseObject({
      realmId: z.string().max(255).nullish(),
      clientId: z.string().max(255).nullish(),
      userId: z.string().max(255).nullish(),
      ipAddress: z.string().max(100).nullish(),
    })
    .nullish(),
  operationType: z.enum(['CREATE', 'UPDATE', 'DELETE', 'ACTION']),
  resourceType: z.string().max(100).nullish(),
  resourcePath: z.string().max(2000).nullish(),
  representation: z.string().max(100_000).nullish(),
  error: z.string().max(255).nullish(),
});

export type Pet = z.infer<typeof PetSchema>;
export type Payment = z.infer<typeof PaymentSchema>;
export type KeycloakEvent = z.infer<typeof KeycloakEventSchema>;
export type KeycloakAdminEvent = z.infer<typeof KeycloakAdminEventSchema>;
