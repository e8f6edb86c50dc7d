import {
  AuditEntryDetailSchema,
  AuditExportQuerySchema,
  AuditListQuerySchema,
  AuditPageSchema,
  CheckpointsSchema,
  JobSchema,
} from '@backoffice/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { can } from '../../platform/auth/principal.ts';
import { auditContext } from '../../platform/audit/writer.ts';
import { sendExport } from '../../platform/http/export.ts';
import { problemResponses } from '../../platform/http/openapi.ts';
import { toJob } from '../jobs/jobs.routes.ts';
import { AuditRepository } from './audit.repository.ts';
import { AuditService } from './audit.service.ts';

const tags = ['audit'];

export const auditService = (app: FastifyInstance) =>
  new AuditService(app.db, new AuditRepository(app.db, app.upstream.nameOf), app.audit, app.jobs);

/** The audit trail (main spec path /v1/admin/system/audit-logs). */
export function auditRoutes(app: FastifyInstance): void {
  const service = auditService(app);
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/v1/admin/system/audit-logs',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags,
        summary: 'Audit entries, newest first (cursor pagination)',
        querystring: AuditListQuerySchema,
        response: { 200: AuditPageSchema, ...problemResponses(400) },
      },
    },
    (request) => {
      const { cursor, limit, ...filter } = request.query;
      return service.page(filter, cursor, limit);
    },
  );

  routes.get(
    '/v1/admin/system/audit-logs/export',
    {
      config: { permission: 'audit:export' },
      schema: {
        tags,
        summary: 'Export entries (CSV or NDJSON), streamed, with hash columns to re-verify offline',
        description:
          'Entries oldest first, with prev_hash and hash; CSV also carries the canonical text that was hashed. ' +
          'Personal data is masked for callers without users:read_pii (such an export cannot be re-verified). ' +
          'The export is itself audited.',
        querystring: AuditExportQuerySchema,
      },
    },
    async (request, reply) => {
      const { format, ...filter } = request.query;
      const lines = await service.export(auditContext(request), filter, format, {
        maskPersonalData: !can(request.principal, 'users:read_pii'),
      });
      return sendExport(reply, 'audit', format, lines);
    },
  );

  routes.get(
    '/v1/admin/system/audit-logs/checkpoints',
    {
      config: { permission: 'audit:verify' },
      schema: {
        tags,
        summary:
          'Signed checkpoints of the chain (latest 100) and the public key that verifies them',
        response: { 200: CheckpointsSchema },
      },
    },
    () => service.checkpoints(),
  );

  routes.post(
    '/v1/admin/system/audit-logs/verify',
    {
      config: { permission: 'audit:verify' },
      schema: {
        tags,
        summary:
          'Verify the whole hash chain, as a job (poll GET /v1/admin/system/jobs/{id} for progress and result)',
        response: { 202: JobSchema },
      },
    },
    async (request, reply) =>
      reply.code(202).send(toJob(await service.startVerification(auditContext(request)))),
  );

  routes.get(
    '/v1/admin/system/audit-logs/:id',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags,
        summary: 'One entry, with what changed between before and after',
        params: z.object({ id: z.uuid() }),
        response: { 200: AuditEntryDetailSchema, ...problemResponses(404) },
      },
    },
    (request) => service.get(request.params.id),
  );
}
