import { permissionsOf, type FeatureModule } from '../../platform/modules/feature-module.ts';
import { accessCommands } from './access.commands.ts';
import { rolesRoutes } from './roles.routes.ts';
import { staffRoutes } from './staff.routes.ts';

/** Staff accounts, roles and the permission matrix. */
export const accessFeature: FeatureModule = {
  name: 'access',
  auditActions: [
    'roles.create',
    'roles.update',
    'roles.delete',
    'roles.grants_changed',
    'staff.create',
    'staff.update',
    'staff.disable',
    'staff.enable',
    'staff.roles_changed',
    'staff.password_reset',
    'staff.mfa_reset',
    'staff.session_revoked',
  ],
  tags: [{ name: 'access', description: 'Staff accounts, roles and permissions' }],
  permissions: ['roles:manage', 'staff:manage'],
  routes: async (app, context) => {
    await app.register(rolesRoutes, { permissions: permissionsOf(context.features) });
    await app.register(staffRoutes);
  },
  commands: accessCommands,
};
