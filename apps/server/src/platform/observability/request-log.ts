import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * One log line per request instead of Fastify's two ("incoming request" + "request completed"), carrying
 * what an operator searches by: method, URL, route template, status and duration. The correlation id is
 * on every line through the request's child logger. Routes with `logLevel: 'warn'` (probes, metrics)
 * stay out of the log; routes with `routineLogLevel` log their answered requests at that level.
 */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const fields = {
      req: { method: request.method, url: request.url, route: request.routeOptions.url },
      res: { statusCode: reply.statusCode },
      responseTime: Math.round(reply.elapsedTime * 100) / 100,
    };
    if (error !== null && error !== undefined)
      request.log.error({ ...fields, err: error }, 'request errored');
    else if (reply.statusCode < 400 && request.routeOptions.config.routineLogLevel !== undefined)
      request.log[request.routeOptions.config.routineLogLevel](fields, 'request completed');
    else request.log.info(fields, 'request completed');
  }
}
