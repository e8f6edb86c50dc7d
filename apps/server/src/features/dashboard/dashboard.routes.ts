import { DashboardHealthSchema, DashboardMetricsSchema } from '@backoffice/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CHANGES_CHANNEL } from '../../platform/realtime/changes.ts';
import type { DashboardService } from './dashboard.service.ts';

const tags = ['dashboard'];

/** Dashboard statistics and health (main spec paths /v1/admin/dashboard/*). */
export function dashboardRoutes(
  app: FastifyInstance,
  options: { service: DashboardService },
): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  // The metrics document is kept until the read model changes: a batch committed here (at once) or on
  // another instance (its NOTIFY).
  app.projector.onCommitted(() => options.service.invalidate());
  app.notifications.on(CHANGES_CHANNEL, () => options.service.invalidate());

  routes.get(
    '/v1/admin/dashboard/metrics',
    {
      config: { permission: 'dashboard:read' },
      schema: {
        tags,
        summary:
          'User and transaction statistics, growth and volume series (from counters and daily aggregates)',
        response: { 200: DashboardMetricsSchema },
      },
    },
    // Sent as serialised once for every reader (validated against the schema when it was computed): a
    // string skips the per-request serialiser, which the type provider's types cannot express.
    async (_request, reply) =>
      reply
        .type('application/json; charset=utf-8')
        .send((await options.service.metricsJson()) as never),
  );

  routes.get(
    '/v1/admin/dashboard/health',
    {
      config: { permission: 'dashboard:read' },
      schema: {
        tags,
        summary:
          'Each platform service’s status and latency, the database, and each event source with its lag',
        response: { 200: DashboardHealthSchema },
      },
    },
    (request) => options.service.healthSeenBy(request.principal),
  );
}
