import type { FeatureModule } from '../../platform/modules/feature-module.ts';
import { sessionsProjection } from './sessions.projection.ts';
import { usersFeed, withEmails } from './users.activity.ts';
import { usersProjection } from './users.projection.ts';
import { UsersRepository } from './users.repository.ts';
import { usersRoutes } from './users.routes.ts';

/** Users: search, the 360° view, support operations and the reveal of personal data. */
export const usersFeature: FeatureModule = {
  name: 'users',
  auditActions: [
    'users.block',
    'users.unblock',
    'users.update',
    'users.force_logout',
    'users.pii_revealed',
  ],
  tags: [{ name: 'users', description: 'Users and support operations' }],
  permissions: [
    'users:read',
    'users:read_pii',
    'users:reveal_pii',
    'users:write',
    'users:role',
    'users:block',
    'users:sessions',
  ],
  projections: () => [usersProjection, sessionsProjection],
  feeds: [usersFeed],
  channels: (app) => {
    const users = new UsersRepository(app.db);
    return { 'users.activity': { enrich: (items) => withEmails(users, items) } };
  },
  upstreams: [
    { id: 'user-service', name: 'User Service', url: (config) => config.upstream.userServiceUrl },
  ],
  routes: usersRoutes,
};
