import type { FeatureModule } from '../../platform/modules/feature-module.ts';
import { UsersRepository } from '../users/users.repository.ts';
import { withEmails } from '../users/users.activity.ts';
import { transactionsFeed } from './transactions.activity.ts';
import { transactionsProjection } from './transactions.projection.ts';
import { transactionsRoutes } from './transactions.routes.ts';

/** Transactions: their read model and the user's transactions tab. */
export const transactionsFeature: FeatureModule = {
  name: 'transactions',
  tags: [{ name: 'transactions', description: 'Transactions' }],
  permissions: ['transactions:read'],
  projections: () => [transactionsProjection],
  feeds: [transactionsFeed],
  channels: (app) => {
    // Whose transaction: the users feature's look-up (this feature needs it).
    const users = new UsersRepository(app.db);
    return { 'transactions.activity': { enrich: (items) => withEmails(users, items) } };
  },
  upstreams: [
    {
      id: 'transaction-service',
      name: 'Transaction Service',
      url: (config) => config.upstream.transactionServiceUrl,
    },
  ],
  routes: transactionsRoutes,
};
