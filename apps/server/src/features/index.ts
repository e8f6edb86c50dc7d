import type { FeatureModule } from '../platform/modules/feature-module.ts';
import { accessFeature } from './access/index.ts';
import { accountsFeature } from './accounts/index.ts';
import { auditFeature } from './audit/index.ts';
import { authFeature } from './auth/index.ts';
import { budgetsFeature } from './budgets/index.ts';
import { dashboardFeature } from './dashboard/index.ts';
import { healthFeature } from './health/index.ts';
import { ingestionFeature } from './ingestion/index.ts';
import { identityFeature } from './identity/index.ts';
import { jobsFeature } from './jobs/index.ts';
import { paymentsFeature } from './payments/index.ts';
import { petsFeature } from './pets/index.ts';
import { transactionsFeature } from './transactions/index.ts';
import { usersFeature } from './users/index.ts';

/**
 * Every feature of the backoffice. The application, the projector, the CLI and the API document are
 * built from this list. Order matters twice: a feature's services may use those of the features
 * before it (the dashboard uses ingestion's), and projections run in this order within a batch (the
 * audit projection after the entities it describes).
 */
export const features: readonly FeatureModule[] = [
  healthFeature,
  ingestionFeature,
  authFeature,
  accessFeature,
  usersFeature,
  accountsFeature,
  transactionsFeature,
  budgetsFeature,
  petsFeature,
  paymentsFeature,
  identityFeature,
  auditFeature,
  jobsFeature,
  dashboardFeature,
];
