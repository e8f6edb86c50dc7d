import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

/** Keys whose values never reach a log line, wherever they appear in a logged object. */
const SECRET_KEYS = [
  'password',
  'token',
  'secret',
  'authorization',
  'cookie',
  'totp',
  'apiKey',
  'privateKey',
];

/**
 * JSON lines for machines (production, tests, anything piped); with `pretty`, one readable line per
 * entry for a person watching a terminal. Secrets are redacted before either format sees them.
 */
export function createLogger(options: {
  level: string;
  pretty?: boolean;
  destination?: pino.DestinationStream;
}): Logger {
  const destination =
    options.destination ??
    (options.pretty === true
      ? pretty({
          sync: true,
          singleLine: true,
          translateTime: 'SYS:HH:MM:ss',
          ignore: 'pid,hostname,service',
        })
      : undefined);
  return pino(
    {
      level: options.level,
      base: { service: 'backoffice' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: [
          ...SECRET_KEYS,
          ...SECRET_KEYS.map((k) => `*.${k}`),
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["x-backoffice-signature"]',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
