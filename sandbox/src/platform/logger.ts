import pino, { type Logger } from 'pino';

/**
 * JSON log lines (pino), on stderr: stdout carries the machine-readable ready line for the process that
 * spawned the sandbox (the backoffice's demo mode).
 */
export function createLogger(
  level: string,
  destination: pino.DestinationStream = pino.destination(2),
): Logger {
  return pino(
    {
      level,
      name: 'sandbox',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: ['req.headers.authorization', 'password', '*.password'],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
