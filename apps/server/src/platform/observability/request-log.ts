import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/** Query parameters whose values say nothing about a person, and help an operator read the log. */
const PLAIN_PARAMETERS = new Set([
  'page',
  'limit',
  'sort',
  'state',
  'role',
  'status',
  'outcome',
  'source',
  'format',
  'from',
  'to',
  'registeredFrom',
  'registeredTo',
  'activeWithinDays',
  'hasActiveSession',
]);

/**
 * The URL as logged: other query values (a search for an email or a name, a WebSocket ticket, a
 * cursor) become `…`, since logs are read more widely than the data and kept longer.
 */
export function loggedUrl(url: string): string {
  const at = url.indexOf('?');
  if (at === -1) return url;
  const query = new URLSearchParams(url.slice(at + 1));
  const kept = [...query].map(([name, value]) =>
    PLAIN_PARAMETERS.has(name) ? `${name}=${encodeURIComponent(value)}` : `${name}=…`,
  );
  return `${url.slice(0, at)}?${kept.join('&')}`;
}

/**
 * One log line per request instead of Fastify's two ("incoming request" + "request completed"), carrying
 * what an operator searches by: method, URL (personal query values left out), route template, status and duration. The correlation id is
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
      req: { method: request.method, url: loggedUrl(request.url), route: request.routeOptions.url },
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
