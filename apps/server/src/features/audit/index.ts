import type { FeatureModule } from '../../platform/modules/feature-module.ts';
import { auditCommands } from './audit.commands.ts';
import { auditProjection } from './audit.projection.ts';
import { auditRoutes, auditService } from './audit.routes.ts';
import { VERIFY_JOB } from './audit.service.ts';

/** The tamper-evident audit trail: its screens, exports and verification. */
export const auditFeature: FeatureModule = {
  name: 'audit',
  auditActions: [
    'audit.export',
    'audit.verify',
    'user.blocked',
    'user.unblocked',
    'user.disabled',
    'user.enabled',
    'user.updated',
    'session.ended',
  ],
  tags: [{ name: 'audit', description: 'The tamper-evident audit trail' }],
  permissions: ['audit:read', 'audit:export', 'audit:verify'],
  projections: ({ audit }) => [auditProjection(audit)],
  jobs: (app) => {
    const service = auditService(app);
    return {
      [VERIFY_JOB]: (job) =>
        service.verify((checked, total) => job.progress(checked, total), job.signal),
    };
  },
  routes: auditRoutes,
  commands: auditCommands,
};
