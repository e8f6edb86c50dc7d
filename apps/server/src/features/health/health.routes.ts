import { HealthSchema, ReadinessSchema } from '@backoffice/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';

/** Kubernetes-style probes: liveness says the process runs; readiness says it can serve. */
export function healthRoutes(app: FastifyInstance): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/healthz',
    {
      logLevel: 'warn',
      config: { public: true, rateLimit: false },
      schema: {
        tags: ['system'],
        summary: 'Liveness: the process is up',
        response: { 200: HealthSchema },
      },
    },
    () => ({ status: 'ok' as const, uptimeSeconds: Math.round(process.uptime()) }),
  );

  routes.get(
    '/readyz',
    {
      logLevel: 'warn',
      config: { public: true, rateLimit: false },
      schema: {
        tags: ['system'],
        summary: 'Readiness: the database answers and every migration is applied',
        response: { 200: ReadinessSchema, 503: ReadinessSchema },
      },
    },
    async (request, reply) => {
      const { ok, checks } = await app.readiness.evaluate(2_000, request.log);
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ready' : 'unavailable', checks });
    },
  );
}
