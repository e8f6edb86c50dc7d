import type { VerificationKey } from '@backoffice/contracts/service-token';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { DB } from '../db/schema.ts';
import type { FaultSwitch, ServiceName } from '../platform/faults.ts';
import { buildServiceApp, type ServiceApp } from '../platform/http.ts';
import { budgetsRoutes } from './budgets/budgets.routes.ts';
import { BudgetsService } from './budgets/budgets.service.ts';
import { transactionsRoutes } from './transactions/transactions.routes.ts';
import { TransactionsService } from './transactions/transactions.service.ts';
import { usersRoutes } from './users/users.routes.ts';
import { UsersService } from './users/users.service.ts';

export interface Services {
  users: UsersService;
  transactions: TransactionsService;
  budgets: BudgetsService;
}

export function createServices(db: Kysely<DB>, options: { sessionTtlMs: number }): Services {
  const budgets = new BudgetsService(db);
  return {
    users: new UsersService({ db, sessionTtlMs: options.sessionTtlMs }),
    transactions: new TransactionsService(db, budgets),
    budgets,
  };
}

export interface ServiceApps {
  users: ServiceApp;
  transactions: ServiceApp;
  budgets: ServiceApp;
}

/** The three HTTP applications, not listening yet. */
export async function buildServiceApps(
  services: Services,
  options: {
    logger: Logger;
    tokenKey: VerificationKey;
    faults: Record<ServiceName, FaultSwitch>;
    status: () => Promise<object>;
  },
): Promise<ServiceApps> {
  const app = (service: ServiceName) =>
    buildServiceApp({ ...options, service, faults: options.faults[service] });
  const users = app('user-service');
  usersRoutes(users, services.users);
  const transactions = app('transaction-service');
  transactionsRoutes(transactions, services.transactions);
  const budgets = app('budget-service');
  budgetsRoutes(budgets, services.budgets);
  await Promise.all([users.ready(), transactions.ready(), budgets.ready()]);
  return { users, transactions, budgets };
}
