import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isTransient } from '../db/transient.ts';
import { CORRELATION_HEADER } from './correlation.ts';
import { AppError, problemType } from './errors.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

interface ProblemFields {
  type: string;
  title: string;
  status: number;
  detail: string;
  [extension: string]: unknown;
}

function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: ProblemFields,
  headers: Record<string, string> = {},
): FastifyReply {
  const body = { ...problem, instance: request.url, correlationId: request.id };
  return reply.code(problem.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send(body);
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
}

/**
 * Every error leaves the service as RFC 9457 problem+json with the correlation id: AppErrors as they say,
 * schema validation as 400 with `errors[]`, Fastify's own client errors (bad JSON, body too large, wrong
 * media type) with their status, a database that is saturated or unreachable as a 503 with Retry-After,
 * and anything else as a 500 that hides its details and logs them.
 */
export const problemPlugin = fp(
  (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      if (error instanceof AppError) {
        if (error.status >= 500) request.log.error({ err: error }, error.message);
        return sendProblem(
          request,
          reply,
          {
            type: problemType(error.code),
            title: error.title,
            status: error.status,
            detail: error.message,
            ...error.extensions,
          },
          error.headers,
        );
      }

      if (Array.isArray(error.validation)) {
        const location = error.validationContext ?? 'request';
        const errors = (error.validation as ValidationIssue[]).map((issue) => ({
          location,
          pointer: issue.instancePath === '/' ? '' : (issue.instancePath ?? ''),
          message: issue.message ?? 'is invalid',
        }));
        return sendProblem(request, reply, {
          type: problemType('validation'),
          title: 'The request is not valid',
          status: 400,
          detail: `Invalid ${location}: ${errors.map((e) => `${e.pointer || location} ${e.message}`).join('; ')}`,
          errors,
        });
      }

      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        // Fastify's own 4xx errors (FST_ERR_CTP_*, rate limit) carry messages written for clients.
        const headers: Record<string, string> = {};
        const retryAfter = reply.getHeader('retry-after');
        if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
        return sendProblem(
          request,
          reply,
          {
            type: problemType(slug(STATUS_CODES[status] ?? 'client-error')),
            title: STATUS_CODES[status] ?? 'Client error',
            status,
            detail: error.message,
          },
          headers,
        );
      }

      if (isTransient(error)) {
        // The database is saturated (no pool connection within its timeout) or unreachable: the
        // client may try again, which a 500 ("a bug") would not say.
        request.log.warn({ err: error }, 'database unavailable');
        return sendProblem(
          request,
          reply,
          {
            type: problemType('service-unavailable'),
            title: 'Service unavailable',
            status: 503,
            detail: 'The database is busy or unreachable right now. Try again in a moment.',
          },
          { 'retry-after': '2' },
        );
      }

      request.log.error({ err: error }, 'unhandled error');
      return sendProblem(request, reply, {
        type: problemType('internal'),
        title: 'Internal server error',
        status: 500,
        detail: `An unexpected error occurred. Quote correlation id ${request.id} when reporting it.`,
      });
    });

    app.setNotFoundHandler((request, reply) =>
      sendProblem(request, reply, {
        type: problemType('not-found'),
        title: 'Not found',
        status: 404,
        detail: `No route ${request.method} ${request.url.split('?')[0] ?? ''}`,
      }),
    );
  },
  { name: 'problem' },
);

/** What Node's HTTP parser refuses before any route runs, with the status each deserves. */
const CLIENT_ERRORS: Record<string, { status: number; detail: string }> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    detail:
      'The request headers are larger than the server accepts (Node’s limit, 16 KiB by default).',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, detail: 'The request took too long to arrive.' },
};

/**
 * Fastify's `clientErrorHandler`: errors of Node's HTTP parser (headers too large, malformed requests,
 * timeouts) happen before routing, so the error handler never sees them. They get a problem document
 * too, with a correlation id of their own, and the connection is closed, as Node does.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = error.code === undefined ? undefined : CLIENT_ERRORS[error.code];
  const status = known?.status ?? 400;
  const title = STATUS_CODES[status] ?? 'Bad Request';
  const correlationId = randomUUID();
  const body = JSON.stringify({
    type: problemType(slug(title)),
    title,
    status,
    detail: known?.detail ?? 'The request is not valid HTTP.',
    correlationId,
  });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `${CORRELATION_HEADER}: ${correlationId}\r\n` +
        'Connection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroy(error);
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
