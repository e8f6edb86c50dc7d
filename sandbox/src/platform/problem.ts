import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
export const CORRELATION_HEADER = 'x-correlation-id';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's correlation id when it is a sane token, otherwise a fresh UUID (as the backoffice does). */
export function correlationIdFor(request: IncomingMessage): string {
  const given = request.headers[CORRELATION_HEADER];
  const value = Array.isArray(given) ? given[0] : given;
  return value !== undefined && SAFE_ID.test(value) ? value : randomUUID();
}

const problemType = (code: string) => `urn:backoffice:problem:${code}`;

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: { type: string; title: string; status: number; detail: string; errors?: unknown },
): FastifyReply {
  return reply
    .code(problem.status)
    .type(PROBLEM_CONTENT_TYPE)
    .send({ ...problem, instance: request.url, correlationId: request.id });
}

/**
 * Every error leaves as application/problem+json with the correlation id: AppErrors as they say, schema
 * validation as 400 with `errors[]`, Fastify's own client errors with their status, and anything else as
 * a 500 whose details are logged, not sent.
 */
export function installProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof AppError) {
      return send(request, reply, {
        type: problemType(error.code),
        title: error.title,
        status: error.status,
        detail: error.message,
      });
    }
    if (Array.isArray(error.validation)) {
      const location = error.validationContext ?? 'request';
      const errors = error.validation.map((issue) => ({
        location,
        pointer: issue.instancePath,
        message: issue.message ?? 'is invalid',
      }));
      return send(request, reply, {
        type: problemType('validation'),
        title: 'The request is not valid',
        status: 400,
        detail: `Invalid ${location}: ${errors.map((e) => `${e.pointer || location} ${e.message}`).join('; ')}`,
        errors,
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const title = STATUS_CODES[status] ?? 'Client error';
      return send(request, reply, {
        type: problemType(title.toLowerCase().replace(/[^a-z0-9]+/g, '-')),
        title,
        status,
        detail: error.message,
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(request, reply, {
      type: problemType('internal'),
      title: 'Internal server error',
      status: 500,
      detail: `An unexpected error occurred. Quote correlation id ${request.id} when reporting it.`,
    });
  });

  app.setNotFoundHandler((request, reply) =>
    send(request, reply, {
      type: problemType('not-found'),
      title: 'Not found',
      status: 404,
      detail: `No route ${request.method} ${request.url.split('?')[0] ?? ''}`,
    }),
  );
}
