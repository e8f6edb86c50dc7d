import type { FeatureModule } from '../../platform/modules/feature-module.ts';
import { accessCommands } from './access.commands.ts';
import { rolesRoutes } from './roles.routes.ts';
import { staffRoutes } from './staff.routes.ts';

/** Staff accounts, roles and the permission matrix. */
export const accessFeature: FeatureModule = {
  name: 'access',
  tags: [{ name: 'access', description: 'Staff accounts, roles and permissions' }],
  permissions: ['roles:manage', 'staff:manage'],
  routes: async (app) => {
    await app.register(rolesRoutes);
    await app.register(staffRoutes);
  },
  commands: accessCommands,
};
