import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { QuietRequestLog } from './http.ts';
import Fastify from 'fastify';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      callback();
    },
  });
  return { lines, logger: pino({ level }, stream) };
}

describe('the sandbox services’ request log', () => {
  it('writes one line per request at debug, none at info', async () => {
    for (const level of ['info', 'debug'] as const) {
      const { lines, logger } = capture(level);
      const app = Fastify({ loggerInstance: logger, logController: new QuietRequestLog() });
      app.get('/health', () => ({ status: 'ok' }));
      await app.inject({ method: 'GET', url: '/health' });
      await app.close();
      const requestLines = lines.filter((l) => String(l.msg).includes('request'));
      expect(requestLines).toEqual(
        level === 'info'
          ? []
          : [
              expect.objectContaining({
                level: 20,
                msg: 'request completed',
                res: { statusCode: 200 },
              }),
            ],
      );
    }
  });
});
