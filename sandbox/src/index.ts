/**
 * The sandbox: reference implementations of the platforms' services — Money Planner's User,
 * Transaction and Budget services (issue 3), Virtual Pet's Pet and Payment services and its identity
 * provider's events (seed 001) — a deterministic event generator and live traffic. See
 * sandbox/README.md.
 */
export {
  startSandbox,
  type Sandbox,
  type SandboxStatus,
  type SandboxUrls,
  type StartSandboxOptions,
} from './sandbox.ts';
export {
  SandboxOptionsSchema,
  type SandboxConfig,
  type SandboxOptions,
  DEV_SERVICE_JWT_SECRET,
  DEV_WEBHOOK_SECRET,
} from './config.ts';
export { generateEvents, type GenerateOptions } from './generator/generator.ts';
export { seedIfEmpty } from './generator/seeding.ts';
export type {
  Envelope,
  KeycloakAdminEvent,
  KeycloakEvent,
  KeycloakMessage,
  OutboxEvent,
} from './outbox/events.ts';
export { PACK_SERVICES } from './packs.ts';
export { KNOWN_ACCOUNTS, DEFAULT_USER_PASSWORD, type KnownAccount } from './domain/accounts.ts';
export { CATEGORIES, type Category } from './domain/categories.ts';
export { FaultSchema, type Fault, type ServiceName } from './platform/faults.ts';
export { UserResourceSchema, SessionResourceSchema } from './services/users/users.schemas.ts';
export { TransactionResourceSchema } from './services/transactions/transactions.schemas.ts';
export { BudgetResourceSchema } from './services/budgets/budgets.schemas.ts';
export { PetResourceSchema } from './services/pets/pets.schemas.ts';
export { PaymentResourceSchema } from './services/payments/payments.schemas.ts';
