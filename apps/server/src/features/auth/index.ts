import type { FeatureModule } from '../../platform/modules/feature-module.ts';
import { authRoutes } from './auth.routes.ts';

/** Sign-in, sessions, second factor and realtime tickets for staff. */
export const authFeature: FeatureModule = {
  name: 'auth',
  auditActions: [
    'auth.login',
    'auth.logout',
    'auth.mfa_enrolment_started',
    'auth.mfa_enabled',
    'auth.mfa_disabled',
    'auth.mfa_verified',
    'auth.password_changed',
    'auth.recovery_codes_regenerated',
    'auth.session_revoked',
  ],
  tags: [{ name: 'auth', description: 'Sign-in, sessions and second factor' }],
  routes: authRoutes,
};
