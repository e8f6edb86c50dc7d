import type { VerificationKey } from '@backoffice/contracts/service-token';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { Database } from '../../src/db/database.ts';
import { FaultSwitch, type ServiceName } from '../../src/platform/faults.ts';
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

/** The three services on a test database, not listening (use `app.inject`). */
export async function buildTestServices(
  db: Database,
  options: { sessionTtlMs?: number; tokenKey?: VerificationKey } = {},
): Promise<TestServices> {
  const services = createServices(db, { sessionTtlMs: options.sessionTtlMs ?? 3_600_000 });
  const faults = {
    'user-service': new FaultSwitch(),
    'transaction-service': new FaultSwitch(),
    'budget-service': new FaultSwitch(),
  };
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
      await Promise.all([apps.users.close(), apps.transactions.close(), apps.budgets.close()]);
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
