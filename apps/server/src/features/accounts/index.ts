import type { FeatureModule } from '../../platform/modules/feature-module.ts';
import { accountsRoutes } from './accounts.routes.ts';

/**
 * The account switch (Virtual Pet pack, seed 001 US12): disable and enable a user's account through
 * the User Service, audited like a block. The account's state comes back with the service's
 * `user.disabled` / `user.enabled` events (the users projection).
 */
export const accountsFeature: FeatureModule = {
  name: 'accounts',
  auditActions: ['users.disable', 'users.enable'],
  // Counted by the users projection, which keeps every user's state.
  tiles: [{ counter: 'users.disabled', label: 'Disabled accounts' }],
  routes: accountsRoutes,
};
