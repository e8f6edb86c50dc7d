import { DEFAULT_PACKS, type PackName } from '@backoffice/contracts';
import type { VerificationKey } from '@backoffice/contracts/service-token';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../db/schema.ts';
import type { Settlement } from '../domain/virtual-pet.ts';
import type { FaultSwitch, ServiceName } from '../platform/faults.ts';
import { buildServiceApp, type ServiceApp } from '../platform/http.ts';
import { budgetsRoutes } from './budgets/budgets.routes.ts';
import { BudgetsService } from './budgets/budgets.service.ts';
import { paymentsRoutes } from './payments/payments.routes.ts';
import { PaymentsService } from './payments/payments.service.ts';
import { petsRoutes } from './pets/pets.routes.ts';
import { PetsService } from './pets/pets.service.ts';
import { transactionsRoutes } from './transactions/transactions.routes.ts';
import { TransactionsService } from './transactions/transactions.service.ts';
import { usersRoutes } from './users/users.routes.ts';
import { UsersService } from './users/users.service.ts';

export interface Services {
  users: UsersService;
  transactions: TransactionsService;
  budgets: BudgetsService;
  pets: PetsService;
  payments: PaymentsService;
}

/**
 * The services' logic on one database. With the virtual-pet pack, the User Service also reports to the
 * identity provider (Keycloak's events). `settlement` stands in for the payment provider's answers.
 */
export function createServices(
  db: Kysely<DB>,
  options: {
    sessionTtlMs: number;
    packs?: readonly PackName[];
    settlement?: () => Settlement;
  },
): Services {
  const budgets = new BudgetsService(db);
  const packs = options.packs ?? DEFAULT_PACKS;
  return {
    users: new UsersService({
      db,
      sessionTtlMs: options.sessionTtlMs,
      keycloak: packs.includes('virtual-pet'),
    }),
    transactions: new TransactionsService(db, budgets),
    budgets,
    pets: new PetsService(db),
    payments: new PaymentsService(
      db,
      options.settlement === undefined ? {} : { settlement: options.settlement },
    ),
  };
}

/** Which of the services' routes each HTTP application serves. */
const ROUTES: Record<ServiceName, (app: ServiceApp, services: Services) => void> = {
  'user-service': (app, services) => usersRoutes(app, services.users),
  'transaction-service': (app, services) => transactionsRoutes(app, services.transactions),
  'budget-service': (app, services) => budgetsRoutes(app, services.budgets),
  'pet-service': (app, services) => petsRoutes(app, services.pets),
  'payment-service': (app, services) => paymentsRoutes(app, services.payments),
};

export interface ServiceAppOptions {
  logger: Logger;
  tokenKey: VerificationKey;
  status: () => Promise<object>;
}

/** One service's HTTP application, not listening yet. */
export async function buildAppFor(
  service: ServiceName,
  services: Services,
  options: ServiceAppOptions & { faults: FaultSwitch },
): Promise<ServiceApp> {
  const app = buildServiceApp({ ...options, service });
  ROUTES[service](app, services);
  await app.ready();
  return app;
}

export interface ServiceApps {
  users: ServiceApp;
  transactions: ServiceApp;
  budgets: ServiceApp;
  pets: ServiceApp;
  payments: ServiceApp;
}

/** The five HTTP applications, not listening yet (the tests' `app.inject`). */
export async function buildServiceApps(
  services: Services,
  options: ServiceAppOptions & { faults: Record<ServiceName, FaultSwitch> },
): Promise<ServiceApps> {
  const app = (service: ServiceName) =>
    buildAppFor(service, services, { ...options, faults: options.faults[service] });
  const [users, transactions, budgets, pets, payments] = await Promise.all([
    app('user-service'),
    app('transaction-service'),
    app('budget-service'),
    app('pet-service'),
    app('payment-service'),
  ]);
  return { users, transactions, budgets, pets, payments };
}
