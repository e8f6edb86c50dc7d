import { ResourceDescriptionListSchema, TextSchema } from '@backoffice/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditContext } from '../audit/writer.ts';
import { can } from '../auth/principal.ts';
import { sendExport, type ExportFormat } from '../http/export.ts';
import { problemResponses } from '../http/openapi.ts';
import {
  checkResource,
  describeResource,
  resourceSchemas,
  type ResourceDefinition,
} from './resource.ts';
import { ResourceRepository, type ResourceFilter } from './resource.repository.ts';
import { ResourceService } from './resource.service.ts';

const KeyParamsSchema = z.object({ id: TextSchema.min(1).max(200) });

/**
 * The routes of the declared resources: for each, `GET /v1/admin/<name>` (filters, sort, cursor pages,
 * capped total), `GET /v1/admin/<name>/export` (CSV or NDJSON, streamed, audited) and
 * `GET /v1/admin/<name>/{id}`, each checking the resource's permission; and `GET /v1/admin/resources`,
 * what the caller may read of them, for the UI's generic screens.
 */
export function resourceRoutes(
  app: FastifyInstance,
  options: { resources: readonly ResourceDefinition[] },
): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  for (const resource of options.resources) checkResource(resource);

  routes.get(
    '/v1/admin/resources',
    {
      config: { authenticated: true },
      schema: {
        tags: ['system'],
        summary:
          'The resources the domain packs declare that the caller may read, with their fields',
        response: { 200: ResourceDescriptionListSchema },
      },
    },
    (request) => ({
      data: options.resources
        .filter((resource) => can(request.principal, resource.permission))
        .map(describeResource),
    }),
  );

  for (const resource of options.resources) {
    const schemas = resourceSchemas(resource);
    const service = new ResourceService(
      app.db,
      resource,
      schemas,
      new ResourceRepository(app.db, resource),
      app.audit,
    );
    const tags = [resource.name];
    const base = `/v1/admin/${resource.name}`;

    routes.get(
      base,
      {
        config: { permission: resource.permission },
        schema: {
          tags,
          summary: `${resource.title}: filters, sort, pages and cursors`,
          description: resource.description,
          querystring: schemas.list,
          response: { 200: schemas.page, ...problemResponses(400) },
        },
      },
      (request) => {
        const { sort, page, limit, cursor, ...filter } = request.query as ResourceFilter & {
          sort: string;
          page: number;
          limit: number;
          cursor?: string;
        };
        return service.page(filter, sort, { page, limit, cursor });
      },
    );

    routes.get(
      `${base}/export`,
      {
        config: { permission: resource.permission },
        schema: {
          tags,
          summary: `Export ${resource.title.toLowerCase()} of a filter (CSV or NDJSON), streamed`,
          description:
            'Every item matching the filters, in the sort order. Personal data is masked for callers ' +
            'without the personal-data permission. CSV cells that a spreadsheet would run as a formula ' +
            'are prefixed with an apostrophe. The export is itself audited (resources.export).',
          querystring: schemas.exportQuery,
          response: { ...problemResponses(400) },
        },
      },
      async (request, reply) => {
        const { format, sort, ...filter } = request.query as ResourceFilter & {
          format: ExportFormat;
          sort: string;
        };
        const lines = await service.export(
          auditContext(request),
          request.principal ?? null,
          filter,
          sort,
          format,
        );
        return sendExport(reply, resource.name, format, lines);
      },
    );

    routes.get(
      `${base}/:id`,
      {
        config: { permission: resource.permission },
        schema: {
          tags,
          summary: `One ${resource.singular}`,
          params: KeyParamsSchema,
          response: { 200: schemas.item, ...problemResponses(404) },
        },
      },
      (request) => service.get(request.params.id),
    );
  }
}
