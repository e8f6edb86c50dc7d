import type { FeatureModule } from '../../platform/modules/feature-module.ts';
import { jobsRoutes } from './jobs.routes.ts';
import { schedulesRoutes } from './schedules.routes.ts';

/** Background work: long-running jobs (exports, bulk actions) and the periodic tasks' schedule. */
export const jobsFeature: FeatureModule = {
  name: 'jobs',
  routes: (app) => {
    jobsRoutes(app);
    schedulesRoutes(app);
  },
};
