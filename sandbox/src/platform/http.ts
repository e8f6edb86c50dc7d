import { verifyServiceToken, type VerificationKey } from '@backoffice/contracts/service-token';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import { z } from 'zod';
import { InjectedFaultError, UnauthorizedError } from './errors.ts';
import { FaultSchema, FaultStateSchema, type FaultSwitch, type ServiceName } from './faults.ts';
import { CORRELATION_HEADER, correlationIdFor, installProblemHandler } from './problem.ts';
import { HealthSchema } from './schemas.ts';
import type { ActionContext } from './context.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without a service token: health, failure injection, sign-up and sign-in. */
    public?: boolean;
  }
  interface FastifyRequest {
    /** The verified service token's `sub`, on admin routes. */
    actor: string | undefined;
  }
}

export type ServiceApp = FastifyInstance;

/**
 * One line per request, at debug: the backoffice's health checks and calls are steady machine traffic
 * that would bury the demo's console (LOG_LEVEL=debug shows them). Errors keep their level.
 */
export class QuietRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const fields = {
      req: { method: request.method, url: request.url },
      res: { statusCode: reply.statusCode },
      responseTime: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (error !== null && error !== undefined)
      request.log.error({ ...fields, err: error }, 'request errored');
    else request.log.debug(fields, 'request completed');
  }
}

export interface ServiceAppOptions {
  service: ServiceName;
  logger: Logger;
  faults: FaultSwitch;
  tokenKey: VerificationKey;
  /** What `GET /__sandbox/status` answers (outbox backlog, traffic…). */
  status: () => Promise<object>;
}

/** The context of the events a request causes. */
export function contextOf(request: {
  id: string;
  actor: string | undefined;
  ip: string;
  headers: { 'user-agent'?: string | undefined };
}): ActionContext {
  const client = { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
  return request.actor === undefined
    ? { correlationId: request.id, client }
    : { correlationId: request.id, actor: request.actor, client };
}

/**
 * A service's Fastify application, without its feature routes: zod schemas, correlation ids,
 * problem+json errors, failure injection, service tokens on every route not marked `public`, and
 * `GET /health`. Hooks run in that order, so a service that is "down" does not even check tokens.
 */
export function buildServiceApp(options: ServiceAppOptions): ServiceApp {
  const { service, faults, tokenKey } = options;
  const logger: FastifyBaseLogger = options.logger.child({ service });
  const app = Fastify({
    loggerInstance: logger,
    logController: new QuietRequestLog(),
    genReqId: correlationIdFor,
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installProblemHandler(app);
  app.decorateRequest('actor', undefined);

  app.addHook('onRequest', async (request, reply) => {
    reply.header(CORRELATION_HEADER, request.id);
    const fault = faults.matching(request.url);
    switch (fault?.mode) {
      case undefined:
      case 'off':
        return;
      case 'slow':
        await delay(fault.delayMs);
        return;
      case 'error':
        throw new InjectedFaultError(
          fault.status,
          `${service} is failing on purpose (PUT /__sandbox/faults): status ${fault.status}`,
        );
      case 'down':
        reply.hijack();
        request.raw.socket.destroy();
        return;
    }
  });

  app.addHook('onRequest', async (request) => {
    if (request.is404 || request.routeOptions.config.public === true) return;
    const token = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (token === undefined) {
      throw new UnauthorizedError(
        'This endpoint needs a service token: Authorization: Bearer <JWT>',
      );
    }
    try {
      request.actor = (await verifyServiceToken(tokenKey, token, service)).sub;
    } catch (error) {
      throw new UnauthorizedError(
        `The service token was refused: ${error instanceof Error ? error.message : 'invalid'}`,
      );
    }
  });

  const routes = app.withTypeProvider<ZodTypeProvider>();
  routes.get(
    '/health',
    { config: { public: true }, schema: { response: { 200: HealthSchema } } },
    () => ({ status: 'ok' as const, service }),
  );
  routes.get(
    '/__sandbox/faults',
    { config: { public: true }, schema: { response: { 200: FaultStateSchema } } },
    () => faults.current,
  );
  routes.put(
    '/__sandbox/faults',
    {
      config: { public: true },
      schema: { body: FaultSchema, response: { 200: FaultStateSchema } },
    },
    (request) => {
      faults.set(request.body);
      request.log.warn({ fault: faults.current }, 'failure injection changed');
      return faults.current;
    },
  );
  routes.delete(
    '/__sandbox/faults',
    { config: { public: true }, schema: { response: { 200: FaultStateSchema } } },
    () => {
      faults.clear();
      return faults.current;
    },
  );
  routes.get(
    '/__sandbox/status',
    { config: { public: true }, schema: { response: { 200: z.record(z.string(), z.unknown()) } } },
    async () => ({ service, faults: faults.current, ...(await options.status()) }),
  );
  return app;
}
