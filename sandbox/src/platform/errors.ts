/**
 * The services' errors; the problem handler (problem.ts) turns them into RFC 9457 responses, like the
 * backoffice's own (docs/api.md). A minimal copy: the sandbox must not depend on apps/server.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  /** The problem `type` is `urn:backoffice:problem:<code>`. */
  abstract readonly code: string;
  abstract readonly title: string;
}

export class BadRequestError extends AppError {
  readonly status = 400;
  readonly code = 'bad-request';
  readonly title = 'Bad request';
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

/** An error answered on purpose (failure injection, faults.ts), with the status asked for. */
export class InjectedFaultError extends AppError {
  readonly code = 'injected-fault';
  readonly title = 'Injected fault';
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(detail);
  }
}
