import type { FeatureModule } from '../../platform/modules/feature-module.ts';
import { auditCommands } from './audit.commands.ts';
import { auditProjection } from './audit.projection.ts';
import { auditRoutes } from './audit.routes.ts';

/** The tamper-evident audit trail: its screens, exports and verification. */
export const auditFeature: FeatureModule = {
  name: 'audit',
  tags: [{ name: 'audit', description: 'The tamper-evident audit trail' }],
  permissions: ['audit:read', 'audit:export', 'audit:verify'],
  projections: ({ audit }) => [auditProjection(audit)],
  routes: auditRoutes,
  commands: auditCommands,
};
