import { IngestRequestSchema, IngestResponseSchema } from '@backoffice/contracts';
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhook,
} from '@backoffice/contracts/webhook-signature';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config.ts';
import { isTransient } from '../../platform/db/transient.ts';
import {
  BadRequestError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  UnauthorizedError,
} from '../../platform/http/errors.ts';
import { problemResponses } from '../../platform/http/openapi.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const header = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * The signed webhook source: producers POST batches of events; the answer (202) comes only after the
 * batch is committed, so a 2xx means durably stored. Authenticated by HMAC-SHA256 of the raw body
 * (see packages/contracts/src/webhook-signature.ts), not by a staff session.
 */
export function ingestRoutes(app: FastifyInstance, options: { config: Config }): void {
  const { ingest } = options.config;

  // The signature covers the exact bytes: keep the body raw here (this plugin only) and parse it after.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: ingest.maxBodyBytes },
    (_request, body, done) => done(null, body),
  );

  app.withTypeProvider<ZodTypeProvider>().post(
    '/v1/ingest/events',
    {
      bodyLimit: ingest.maxBodyBytes,
      config: { public: true, routineLogLevel: 'debug' },
      // The body schema documents the request; the projector validates every event itself, so one bad
      // event becomes a dead letter instead of failing the batch.
      validatorCompiler: () => (data: unknown) => ({ value: data }),
      schema: {
        tags: ['ingestion'],
        summary: 'Ingest a batch of platform events (signed webhook)',
        description:
          `Signed with HMAC-SHA256: \`${SIGNATURE_HEADER}: sha256=<hex of HMAC(secret, "<timestamp>.<raw body>")>\` ` +
          `and \`${TIMESTAMP_HEADER}: <unix seconds>\` (at most 5 minutes old). At most INGEST_MAX_BATCH events.`,
        security: [{ webhookSignature: [] }],
        body: IngestRequestSchema,
        response: { 202: IngestResponseSchema, ...problemResponses(400, 401, 413, 503) },
      },
    },
    async (request, reply) => {
      if (ingest.webhookSecrets.length === 0) {
        throw new ServiceUnavailableError(
          'Webhook ingestion is not configured: set INGEST_WEBHOOK_SECRET.',
        );
      }
      const body = request.body as unknown as Buffer;
      const check = verifyWebhook({
        secrets: ingest.webhookSecrets,
        signatureHeader: header(request.headers[SIGNATURE_HEADER]),
        timestampHeader: header(request.headers[TIMESTAMP_HEADER]),
        body,
        allowMissingTimestamp: ingest.allowUntimestamped,
      });
      if (!check.ok) throw new UnauthorizedError(`Webhook signature rejected: ${check.message}.`);

      let text: string;
      try {
        text = utf8.decode(body);
      } catch {
        // JSON is UTF-8 (RFC 8259); repairing the bytes would store events other than those sent.
        throw new BadRequestError('The body is not UTF-8 text.');
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new BadRequestError(`The body is not valid JSON: ${(error as Error).message}`);
      }
      const items = batchOf(parsed);
      if (items.length > ingest.maxBatch) {
        throw new PayloadTooLargeError(
          `A batch holds at most ${ingest.maxBatch} events; this one has ${items.length}.`,
        );
      }
      const backlog = backlogOf(parsed);

      try {
        const outcome = await app.projector.ingest(
          items.map((item) => ({ body: item, position: { source: 'webhook' } })),
        );
        if (backlog !== undefined) app.catchUp.report('webhook', backlog, outcome.accepted);
        return await reply.code(202).send({
          accepted: outcome.accepted,
          duplicates: outcome.duplicates,
          rejected: outcome.rejected,
        });
      } catch (error) {
        if (!isTransient(error)) throw error;
        throw new ServiceUnavailableError(
          'The database is unavailable; nothing was stored. Retry later.',
          {
            headers: { 'retry-after': '5' },
            cause: error,
          },
        );
      }
    },
  );
}

/** The producer's `backlog` beside `events`, when it reports one. */
function backlogOf(parsed: unknown): number | undefined {
  if (typeof parsed !== 'object' || parsed === null || !('backlog' in parsed)) return undefined;
  const { backlog } = parsed;
  if (typeof backlog !== 'number' || !Number.isSafeInteger(backlog) || backlog < 0)
    throw new BadRequestError('"backlog" must be a non-negative integer.');
  return backlog;
}

function batchOf(parsed: unknown): unknown[] {
  if (Array.isArray(parsed)) return parsed;
  if (typeof parsed === 'object' && parsed !== null && 'events' in parsed) {
    const { events } = parsed;
    if (Array.isArray(events)) return events;
  }
  return [parsed];
}
