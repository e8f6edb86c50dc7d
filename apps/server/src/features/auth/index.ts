import type { FeatureModule } from '../../platform/modules/feature-module.ts';
import { authRoutes } from './auth.routes.ts';

/** Sign-in, sessions, second factor and realtime tickets for staff. */
export const authFeature: FeatureModule = {
  name: 'auth',
  tags: [{ name: 'auth', description: 'Sign-in, sessions and second factor' }],
  routes: authRoutes,
};
