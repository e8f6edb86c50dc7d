import type { FeatureModule } from '../../platform/modules/feature-module.ts';
import { budgetsProjection } from './budgets.projection.ts';

/** Budgets: a projection so far (their screens come with the analytics). */
export const budgetsFeature: FeatureModule = {
  name: 'budgets',
  upstreams: [
    {
      id: 'budget-service',
      name: 'Budget Service',
      url: (config) => config.upstream.budgetServiceUrl,
    },
  ],
  projections: () => [budgetsProjection],
};
