import { JobSchema } from '@backoffice/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../platform/auth/principal.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import type { JobRow } from '../../platform/jobs/jobs.ts';
import { problemResponses } from '../../platform/http/openapi.ts';

export function toJob(row: JobRow) {
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    progress: row.progress,
    result: row.result ?? null,
    error: row.error,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

/** Progress and result of background work: for whoever started it, and for those with system:read. */
export function jobsRoutes(app: FastifyInstance): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/v1/admin/system/jobs/:id',
    {
      config: { authenticated: true },
      schema: {
        tags: ['system'],
        summary: 'A background job: status, progress and result',
        params: z.object({ id: z.uuid() }),
        response: { 200: JobSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const job = await app.jobs.get(request.params.id);
      const principal = request.principal;
      const mine = job !== undefined && principal !== null && job.created_by === principal.email;
      // Someone else's job is "not found" rather than "forbidden": its existence is not yours to learn.
      if (job === undefined || !(mine || can(principal, 'system:read'))) {
        throw new NotFoundError(`No job ${request.params.id}.`);
      }
      return toJob(job);
    },
  );
}
