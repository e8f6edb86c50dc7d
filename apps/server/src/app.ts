import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import {
  createJsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import { featuresFor } from './packs/index.ts';
import { eventsPlugin } from './platform/events/plugin.ts';
import {
  channelsOf,
  feedsOf,
  formatsOf,
  projectionsOf,
  schedulesOf,
  resourcesOf,
  type FeatureModule,
  tagsOf,
  upstreamsOf,
} from './platform/modules/feature-module.ts';
import type { KafkaConsumerPort } from './platform/events/sources/kafka.ts';
import type { Database } from './platform/db/database.ts';
import { auditPlugin } from './platform/audit/plugin.ts';
import { authPlugin } from './platform/auth/plugin.ts';
import { databasePlugin } from './platform/db/plugin.ts';
import { realtimePlugin } from './platform/realtime/plugin.ts';
import { upstreamPlugin } from './platform/upstream/plugin.ts';
import { resourceRoutes } from './platform/resources/resource.routes.ts';
import { jobsPlugin } from './platform/jobs/plugin.ts';
import { CORRELATION_HEADER, correlationIdFor } from './platform/http/correlation.ts';
import { TooManyRequestsError } from './platform/http/errors.ts';
import { clientErrorHandler, problemPlugin } from './platform/http/problem.ts';
import { DEFAULT_WEB_UI_DIR, webUiRoutes } from './platform/http/web-ui.ts';
import './platform/http/route-config.ts';
import { RequestLog } from './platform/observability/request-log.ts';
import { metricsPlugin } from './platform/observability/metrics.ts';
import { readinessPlugin } from './platform/observability/readiness.ts';

export interface AppOptions {
  config: Config;
  logger: Logger;
  db: Database;
  /** The pool behind `db`: one of its connections LISTENs (platform/db/notifications.ts). */
  pool: pg.Pool;
  /** 32 bytes that seal secrets at rest (BACKOFFICE_SECRET_KEY, or generated into the data directory). */
  secretKey: Buffer;
  /** PEM of the Ed25519 key that signs audit checkpoints. */
  auditSigningKeyPem: string;
  /** Replaces the Kafka client (tests: no broker can run here). */
  kafkaConsumer?: KafkaConsumerPort;
  /** The features to run instead of those of the configured packs (tests: a fixture pack's). */
  features?: readonly FeatureModule[];
}

export const API_VERSION = '0.1.0';

/**
 * Builds the HTTP application. Plugins load in a fixed order: transport concerns (correlation id, errors,
 * security headers, CORS, rate limit), then infrastructure (readiness, metrics, database, auth), then the
 * API documentation, then ingestion and the features. Nothing here listens; main.ts and the tests decide.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config, db } = options;
  const logger: FastifyBaseLogger = options.logger;
  // The backoffice's own features and those of the configured domain packs.
  const features = options.features ?? featuresFor(config.packs);

  const app = Fastify({
    loggerInstance: logger,
    genReqId: correlationIdFor,
    logController: new RequestLog({ requestIdLogLabel: 'correlationId' }),
    trustProxy: config.http.trustProxy,
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true },
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.addHook('onRequest', (request, reply, done) => {
    reply.header(CORRELATION_HEADER, request.id);
    done();
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        // The API documentation UI loads its own scripts and styles from this origin only.
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
      },
    },
  });
  await app.register(cors, {
    // An empty allow-list means same-origin only: no CORS headers are sent.
    origin: config.http.corsOrigins.length > 0 ? config.http.corsOrigins : false,
    credentials: true,
    exposedHeaders: [CORRELATION_HEADER, 'retry-after'],
  });
  await app.register(rateLimit, {
    global: true,
    max: config.http.rateLimit.max,
    timeWindow: config.http.rateLimit.windowMs,
    errorResponseBuilder: (_request, context) =>
      new TooManyRequestsError(
        `Rate limit of ${context.max} requests per ${context.after} exceeded`,
        Math.max(1, Math.ceil(context.ttl / 1000)),
      ),
  });
  await app.register(problemPlugin);
  // Before authentication: its onRequest hook marks upgrade requests, so that a handshake refused by
  // ours (401/403) has its socket destroyed after the answer instead of left half-open (an fd leak).
  await app.register(websocket, { options: { maxPayload: 64 * 1024 } });

  await app.register(readinessPlugin);
  await app.register(metricsPlugin);
  await app.register(databasePlugin, { db, pool: options.pool });
  await app.register(jobsPlugin);
  await app.register(auditPlugin, { config, signingKeyPem: options.auditSigningKeyPem });
  await app.register(authPlugin, { config, secretKey: options.secretKey });
  await app.register(upstreamPlugin, { config, services: upstreamsOf(features) });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Backoffice API',
        version: API_VERSION,
        description:
          'Administrative API of the Backoffice. Errors are RFC 9457 problem documents ' +
          '(`application/problem+json`); every response carries `X-Correlation-Id`.',
      },
      tags: [...tagsOf(features), { name: 'realtime', description: 'Live updates' }],
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description:
              'A session token from POST /v1/admin/auth/login, a User Service session (AUTH_PROVIDER=upstream-session) ' +
              'or an OIDC access token (AUTH_PROVIDER=oidc). Each operation lists the permission it requires.',
          },
          webhookSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'X-Backoffice-Signature',
            description: 'sha256=<hex HMAC-SHA256 of "<X-Backoffice-Timestamp>.<raw body>">',
          },
        },
      },
    },
    transform: createJsonSchemaTransform({ skipList: [] }),
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });

  await app.register(eventsPlugin, {
    config,
    projections: projectionsOf(features, { audit: app.audit }),
    feeds: feedsOf(features),
    formats: formatsOf(features),
    ...(options.kafkaConsumer === undefined ? {} : { kafkaConsumer: options.kafkaConsumer }),
  });

  // The features, in the order of their list: first every feature's services (visible to all), then
  // every feature's routes (each in its own encapsulated plugin).
  const context = { config, features };
  for (const feature of features) {
    if (feature.services === undefined) continue;
    await app.register(fp(feature.services, { name: `${feature.name}-services` }), context);
  }
  for (const task of schedulesOf(features, app)) app.scheduler.register(task);
  for (const feature of features)
    for (const [type, handler] of Object.entries(feature.jobs?.(app) ?? {}))
      app.jobs.register(type, handler);
  for (const feature of features) {
    if (feature.routes !== undefined) await app.register(feature.routes, context);
  }
  await app.register(resourceRoutes, { resources: resourcesOf(features) });

  await app.register(realtimePlugin, {
    channels: channelsOf(features, app),
    feeds: feedsOf(features),
  });

  await app.register(webUiRoutes, { root: config.webUiDir ?? DEFAULT_WEB_UI_DIR });

  return app;
}
