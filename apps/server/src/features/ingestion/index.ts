import type { FeatureModule } from '../../platform/modules/feature-module.ts';
import { ingestionCommands } from './ingestion.commands.ts';
import { DeadLettersRepository } from './dead-letters.repository.ts';
import { ingestRoutes } from './ingest.routes.ts';
import { IngestionService } from './ingestion.service.ts';
import { systemRoutes } from './system.routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The event sources' status, dead letters and the catching-up state (the dashboard shows them). */
    ingestion: IngestionService;
  }
}

/** Events in: the signed webhook, the sources' status and the dead letters. */
export const ingestionFeature: FeatureModule = {
  name: 'ingestion',
  auditActions: ['dead_letters.replay', 'dead_letters.discard'],
  tags: [{ name: 'ingestion', description: 'Events from the platform’s services' }],
  permissions: ['system:read', 'events:replay'],
  services: (app, { config }) => {
    app.decorate(
      'ingestion',
      new IngestionService(
        app.db,
        app.audit,
        new DeadLettersRepository(app.db),
        app.projector,
        app.ingestionMetrics,
        app.eventSources,
        config.ingest.webhookSecrets.length > 0,
        app.catchUp,
      ),
    );
  },
  routes: async (app, context) => {
    await app.register(ingestRoutes, context);
    await app.register(systemRoutes, { service: app.ingestion });
  },
  commands: ingestionCommands,
};
