const TRANSIENT_CODES = new Set([
  '55P03',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Failures worth retrying as they are (the database or the network), as opposed to a failure caused by
 * what was asked (the events of a batch, a request). SQLSTATE classes: 08 connection, 40 rollback (serialization, deadlock),
 * 53 insufficient resources, 57 operator intervention, 58 system error; and 55P03, a lock timeout.
 */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  // Our own errors wrap the database's (the audit writer's "unavailable", say): judge by the cause.
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined && isTransient(cause)) return true;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return /^(08|40|53|57|58)/.test(code) || TRANSIENT_CODES.has(code);
  const message = (error as { message?: unknown }).message;
  return (
    typeof message === 'string' &&
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end/i.test(
      message,
    )
  );
}
