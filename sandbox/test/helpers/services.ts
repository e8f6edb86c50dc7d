import type { PackName } from '@backoffice/contracts';
import type { VerificationKey } from '@backoffice/contracts/service-token';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Database } from '../../src/db/database.ts';
import type { Settlement } from '../../src/domain/virtual-pet.ts';
import { FaultSwitch, SERVICE_NAMES, type ServiceName } from '../../src/platform/faults.ts';
import {
  buildServiceApps,
  createServices,
  type ServiceApps,
  type Services,
} from '../../src/services/index.ts';
import type { UserResource } from '../../src/services/users/users.schemas.ts';
import { TEST_TOKEN_SECRET } from './tokens.ts';

export interface TestServices {
  services: Services;
  apps: ServiceApps;
  faults: Record<ServiceName, FaultSwitch>;
  close(): Promise<void>;
}

export const silentLogger = pino({ level: 'silent' });

/**
 * The services on a test database, not listening (use `app.inject`). With `packs` including
 * virtual-pet, the User Service also writes the identity provider's Keycloak events.
 */
export async function buildTestServices(
  db: Database,
  options: {
    sessionTtlMs?: number;
    tokenKey?: VerificationKey;
    packs?: PackName[];
    settlement?: () => Settlement;
  } = {},
): Promise<TestServices> {
  const services = createServices(db, {
    sessionTtlMs: options.sessionTtlMs ?? 3_600_000,
    ...(options.packs === undefined ? {} : { packs: options.packs }),
    ...(options.settlement === undefined ? {} : { settlement: options.settlement }),
  });
  const faults = Object.fromEntries(
    SERVICE_NAMES.map((service) => [service, new FaultSwitch()]),
  ) as Record<ServiceName, FaultSwitch>;
  const apps = await buildServiceApps(services, {
    logger: silentLogger,
    tokenKey: options.tokenKey ?? { kind: 'secret', secret: TEST_TOKEN_SECRET },
    faults,
    status: () => Promise.resolve({}),
  });
  return {
    services,
    apps,
    faults,
    async close() {
      const { users, transactions, budgets, pets, payments } = apps;
      await Promise.all([users, transactions, budgets, pets, payments].map((app) => app.close()));
    },
  };
}

export const TEST_PASSWORD = 'correct-horse-battery';

/** A signed-up customer (factory). */
export function newUser(services: Services, name = 'Test Person'): Promise<UserResource> {
  return services.users.signUp(
    { email: `person-${randomUUID()}@example.test`, password: TEST_PASSWORD, name },
    { correlationId: randomUUID() },
  );
}
