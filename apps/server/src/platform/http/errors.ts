import type { FieldError } from '@backoffice/contracts';

/**
 * The one error hierarchy of the service. Services and repositories throw these; the error handler
 * (problem.ts) turns them into RFC 9457 responses. Anything else that escapes is a 500 whose details are
 * logged, never sent.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  /** Short stable identifier; the problem `type` is `urn:backoffice:problem:<code>`. */
  abstract readonly code: string;
  abstract readonly title: string;
  /** Extra members of the problem document (RFC 9457 extensions). */
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    detail: string,
    options: {
      extensions?: Record<string, unknown>;
      headers?: Record<string, string>;
      cause?: unknown;
    } = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = new.target.name;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }
}

export class BadRequestError extends AppError {
  readonly status = 400;
  readonly code = 'bad-request';
  readonly title = 'Bad request';
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly code = 'validation';
  readonly title = 'The request is not valid';
  constructor(detail: string, errors: FieldError[]) {
    super(detail, { extensions: { errors } });
  }
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly code = 'unauthorized';
  readonly title = 'Authentication required';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code = 'forbidden';
  readonly title = 'Not allowed';
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'not-found';
  readonly title = 'Not found';
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code = 'conflict';
  readonly title = 'Conflict';
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly code = 'payload-too-large';
  readonly title = 'Payload too large';
}

/** A plain HTTP request to a WebSocket endpoint. */
export class UpgradeRequiredError extends AppError {
  readonly status = 426;
  readonly code = 'upgrade-required';
  readonly title = 'Upgrade required';
}

export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly code = 'too-many-requests';
  readonly title = 'Too many requests';
  constructor(detail: string, retryAfterSeconds: number) {
    super(detail, {
      extensions: { retryAfterSeconds },
      headers: { 'retry-after': String(retryAfterSeconds) },
    });
  }
}

/** An upstream service answered with an error or nonsense. */
export class BadGatewayError extends AppError {
  readonly status = 502;
  readonly code = 'bad-gateway';
  readonly title = 'Upstream service failed';
}

/** A dependency (upstream service, database, audit store) cannot be used right now. */
export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'service-unavailable';
  readonly title = 'Service unavailable';
}

export const problemType = (code: string): string => `urn:backoffice:problem:${code}`;
