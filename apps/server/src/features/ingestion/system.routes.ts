import {
  DeadLetterQuerySchema,
  DeadLetterSchema,
  IngestionStatusSchema,
  PageQuerySchema,
  ReasonSchema,
  ReplayResultSchema,
  pageOf,
} from '@backoffice/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditContext } from '../../platform/audit/writer.ts';
import { problemResponses } from '../../platform/http/openapi.ts';
import type { DeadLetterRow } from './dead-letters.repository.ts';
import type { IngestionService } from './ingestion.service.ts';

const tags = ['ingestion'];
const IdParams = z.object({ id: z.coerce.number().int().positive() });

export function toDeadLetter(row: DeadLetterRow) {
  return {
    id: row.id,
    receivedAt: row.received_at.toISOString(),
    source: row.source,
    position: { topic: row.topic, partition: row.partition, offset: row.offset },
    eventId: row.event_id,
    eventType: row.event_type,
    reason: row.reason,
    detail: row.detail,
    payload: row.payload,
    raw: row.raw,
    rawEncoding: row.raw_encoding,
    status: row.status,
    attempts: row.attempts,
    lastAttemptAt: row.last_attempt_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    resolvedBy: row.resolved_by,
    resolution: row.resolution,
  };
}

/** Ingestion operations: source status and dead letters (main spec paths under /v1/admin/system). */
export function systemRoutes(app: FastifyInstance, options: { service: IngestionService }): void {
  const { service } = options;
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/v1/admin/system/ingestion',
    {
      config: { permission: 'system:read' },
      schema: {
        tags,
        summary:
          'Each event source: connected, events/s, last event, lag, processed, duplicates, dead letters',
        response: { 200: IngestionStatusSchema },
      },
    },
    () => service.status(),
  );

  routes.get(
    '/v1/admin/system/dead-letters',
    {
      config: { permission: 'system:read' },
      schema: {
        tags,
        summary: 'Dead letters, newest first',
        querystring: DeadLetterQuerySchema.extend(PageQuerySchema.shape),
        response: { 200: pageOf(DeadLetterSchema) },
      },
    },
    async (request) => {
      const { page, limit, ...filter } = request.query;
      const { rows, total } = await service.list(filter, page, limit);
      return { data: rows.map(toDeadLetter), page, limit, total };
    },
  );

  routes.get(
    '/v1/admin/system/dead-letters/:id',
    {
      config: { permission: 'system:read' },
      schema: {
        tags,
        summary: 'One dead letter',
        params: IdParams,
        response: { 200: DeadLetterSchema, ...problemResponses(404) },
      },
    },
    async (request) => toDeadLetter(await service.get(request.params.id)),
  );

  routes.post(
    '/v1/admin/system/dead-letters/:id/replay',
    {
      config: { permission: 'events:replay' },
      schema: {
        tags,
        summary:
          'Replay a dead letter through the projector; if it fails again it stays pending with the new reason',
        params: IdParams,
        response: { 200: ReplayResultSchema, ...problemResponses(404, 409, 503) },
      },
    },
    async (request) => {
      const result = await service.replay(auditContext(request), request.params.id);
      return { ...result, deadLetter: toDeadLetter(result.deadLetter) };
    },
  );

  routes.post(
    '/v1/admin/system/dead-letters/:id/discard',
    {
      config: { permission: 'events:replay' },
      schema: {
        tags,
        summary: 'Discard a dead letter, with the reason',
        params: IdParams,
        body: z.object({ reason: ReasonSchema }),
        response: { 200: DeadLetterSchema, ...problemResponses(400, 404, 409) },
      },
    },
    async (request) =>
      toDeadLetter(
        await service.discard(auditContext(request), request.params.id, request.body.reason),
      ),
  );
}
