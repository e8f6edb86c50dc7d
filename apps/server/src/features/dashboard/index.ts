import { tilesOf, type FeatureModule } from '../../platform/modules/feature-module.ts';
import { announceChange } from '../../platform/realtime/changes.ts';
import { servicesSeenBy, type ServiceHealth } from '../../platform/upstream/plugin.ts';
import { DashboardRepository } from './dashboard.repository.ts';
import { dashboardRoutes } from './dashboard.routes.ts';
import { DashboardService } from './dashboard.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The dashboard's documents (the realtime channels send them too). */
    dashboard: DashboardService;
  }
}

/** Statistics, growth and platform health. Needs the ingestion feature (its catching-up state). */
export const dashboardFeature: FeatureModule = {
  name: 'dashboard',
  tags: [{ name: 'dashboard', description: 'Statistics and health' }],
  permissions: ['dashboard:read'],
  services: (app, { config, features }) => {
    app.decorate(
      'dashboard',
      new DashboardService(
        new DashboardRepository(app.db),
        app.upstream,
        app.ingestion,
        config.dashboardCacheMs,
        tilesOf(features),
      ),
    );
  },
  channels: (app) => ({
    'dashboard.metrics': { snapshot: () => app.dashboard.metrics(), refreshOnChange: true },
    'system.health': {
      snapshot: () => app.dashboard.health(),
      // After each check of the upstream services: their results only.
      subscribe: (publish) => app.upstream.onHealth(publish),
      // The services' URLs are for those who may see them (servicesSeenBy).
      visibleTo: (principal, data) => {
        if (Array.isArray(data)) return servicesSeenBy(principal, data as ServiceHealth[]);
        const health = data as { services: ServiceHealth[] };
        return { ...health, services: servicesSeenBy(principal, health.services) };
      },
    },
  }),
  schedules: (app) => [
    {
      name: 'dashboard.active-users',
      description: 'Recounts the users active in the last 30 days (the count ages by itself)',
      everyMs: 60_000,
      scope: 'cluster',
      run: async () => {
        await app.dashboard.refreshSnapshots();
        // Every instance's cached document, and every subscriber's screen, shows the new count.
        await announceChange(app.db);
      },
    },
  ],
  routes: (app) => dashboardRoutes(app, { service: app.dashboard }),
};
