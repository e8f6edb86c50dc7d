import type { FeatureModule } from '../../platform/modules/feature-module.ts';
import { healthRoutes } from './health.routes.ts';

/** Liveness and readiness probes. */
export const healthFeature: FeatureModule = {
  name: 'health',
  tags: [{ name: 'system', description: 'Probes and operations' }],
  routes: healthRoutes,
};
