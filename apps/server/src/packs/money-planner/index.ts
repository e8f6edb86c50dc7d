import type { DomainPack } from '../../platform/modules/feature-module.ts';
import { budgetsFeature } from '../../features/budgets/index.ts';
import { transactionsFeature } from '../../features/transactions/index.ts';
import { usersFeature } from '../../features/users/index.ts';

/**
 * Money Planner (main spec, seed 000): its users, transactions and budgets. Its event contracts are
 * packages/contracts/src/events, its sandbox services (User, Transaction, Budget) sandbox/, its screens
 * the web app's users resource.
 */
export const moneyPlannerPack: DomainPack = {
  name: 'money-planner',
  features: [usersFeature, transactionsFeature, budgetsFeature],
};
