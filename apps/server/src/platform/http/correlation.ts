import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const CORRELATION_HEADER = 'x-correlation-id';

/** Accept a caller's id only when it is a sane token; anything else gets a fresh UUID. */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function correlationIdFor(request: IncomingMessage): string {
  const given = request.headers[CORRELATION_HEADER];
  const value = Array.isArray(given) ? given[0] : given;
  return value !== undefined && SAFE_ID.test(value) ? value : randomUUID();
}
