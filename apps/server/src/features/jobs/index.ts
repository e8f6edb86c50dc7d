import type { FeatureModule } from '../../platform/modules/feature-module.ts';
import { jobsRoutes } from './jobs.routes.ts';

/** Long-running work (exports, bulk actions): its progress and results. */
export const jobsFeature: FeatureModule = {
  name: 'jobs',
  routes: jobsRoutes,
};
