import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildTestApp, type LogCapture } from '../../../test/helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';
import { ConflictError } from './errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('problem responses and correlation ids', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let logs: LogCapture;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ app, logs } = await buildTestApp(database, { RATE_LIMIT_MAX: '5' }));
    const routes = app.withTypeProvider<ZodTypeProvider>();
    routes.post(
      '/test/echo',
      {
        config: { public: true, rateLimit: false },
        schema: { body: z.object({ email: z.email(), age: z.number().int().min(18) }) },
      },
      (request) => request.body,
    );
    routes.get('/test/crash', { config: { public: true, rateLimit: false } }, () => {
      throw new Error('database password is hunter2');
    });
    routes.get('/test/conflict', { config: { public: true, rateLimit: false } }, () => {
      throw new ConflictError('User is already blocked', { extensions: { userId: 'u1' } });
    });
    routes.get('/test/limited', { config: { public: true } }, () => ({ ok: true }));
    // A real pool of one connection, asked for a second: pg's own "timeout exceeded" error.
    routes.get('/test/saturated', { config: { public: true, rateLimit: false } }, async () => {
      const pool = new pg.Pool({
        connectionString: database.url,
        max: 1,
        connectionTimeoutMillis: 100,
      });
      const held = await pool.connect();
      try {
        await pool.connect();
        return { ok: true };
      } finally {
        held.release();
        await pool.end();
      }
    });
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('answers an unknown route with a 404 problem echoing the caller’s correlation id', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/no/such/route?x=1',
      headers: { 'x-correlation-id': 'support-ticket-42' },
    });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.headers['x-correlation-id']).toBe('support-ticket-42');
    expect(response.json()).toEqual({
      type: 'urn:backoffice:problem:not-found',
      title: 'Not found',
      status: 404,
      detail: 'No route GET /no/such/route',
      instance: '/no/such/route?x=1',
      correlationId: 'support-ticket-42',
    });
  });

  it('generates a correlation id when none (or an unsafe one) is given, and logs it', async () => {
    const plain = await app.inject({ method: 'GET', url: '/healthz' });
    expect(plain.headers['x-correlation-id']).toMatch(UUID);

    const unsafe = await app.inject({
      method: 'GET',
      url: '/no/such/route',
      headers: { 'x-correlation-id': 'bad id\twith spaces' },
    });
    const id = unsafe.headers['x-correlation-id'] as string;
    expect(id).toMatch(UUID);
    const line = logs.lines.find((l) => l.correlationId === id);
    expect(line).toMatchObject({ msg: 'request completed', res: { statusCode: 404 } });
  });

  it('answers a body that fails its schema with 400 and one entry per invalid field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      payload: { email: 'not-an-email', age: 12 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json<{ type: string; errors: { location: string; pointer: string }[] }>();
    expect(body.type).toBe('urn:backoffice:problem:validation');
    expect(body.errors.map((e) => [e.location, e.pointer])).toEqual([
      ['body', '/email'],
      ['body', '/age'],
    ]);
  });

  it('answers a body that is not JSON with a 400 problem', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 400, title: 'Bad Request' });
  });

  it('answers an oversized body with a 413 problem', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'a@b.c', padding: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ status: 413 });
  });

  it('hides the details of an unexpected error from the client but logs them', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/crash' });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const text = response.body;
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('at ');
    const id = response.headers['x-correlation-id'];
    expect(response.json()).toMatchObject({
      type: 'urn:backoffice:problem:internal',
      status: 500,
      detail: expect.stringContaining(String(id)) as string,
    });
    const logged = logs.lines.find((l) => l.correlationId === id && l.level === 'error');
    expect(JSON.stringify(logged)).toContain('hunter2');
  });

  it('answers 503 with Retry-After when the database is saturated, not a 500', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/saturated' });
    expect(response.statusCode, response.body).toBe(503);
    expect(response.headers['retry-after']).toBe('2');
    expect(response.json()).toMatchObject({
      type: 'urn:backoffice:problem:service-unavailable',
      detail: expect.stringMatching(/Try again/) as string,
    });
  });

  it('maps an AppError to its status, carrying its extensions', async () => {
    const response = await app.inject({ method: 'GET', url: '/test/conflict' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      type: 'urn:backoffice:problem:conflict',
      detail: 'User is already blocked',
      userId: 'u1',
    });
  });

  it('limits the request rate with a 429 problem and Retry-After', async () => {
    const statuses: number[] = [];
    let last;
    for (let i = 0; i < 7; i++) {
      last = await app.inject({ method: 'GET', url: '/test/limited' });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(last?.headers['retry-after']).toMatch(/^\d+$/);
    expect(last?.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(last?.json()).toMatchObject({
      type: 'urn:backoffice:problem:too-many-requests',
      status: 429,
    });
  });

  describe('errors of the HTTP parser, before any route (a real socket)', () => {
    /** Sends raw bytes to the listening app and reads the whole answer until it closes. */
    async function raw(request: string): Promise<{ head: string; body: string }> {
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const answer = await new Promise<string>((resolve, reject) => {
        const chunks: Buffer[] = [];
        const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(request));
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        // The server closes the connection after answering; a reset may follow the answer.
        socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
        socket.on('error', (error) => (chunks.length > 0 ? undefined : reject(error)));
      });
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      return { head, body };
    }

    beforeAll(async () => {
      await app.listen({ port: 0, host: '127.0.0.1' });
    });

    it('answers a 100 KB header with a 431 problem', async () => {
      const { head, body } = await raw(
        `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`,
      );
      expect(head).toMatch(/^HTTP\/1\.1 431 /);
      expect(head).toMatch(/content-type: application\/problem\+json/i);
      expect(head).toMatch(/x-correlation-id: [0-9a-f-]{36}/i);
      expect(JSON.parse(body)).toMatchObject({
        type: 'urn:backoffice:problem:request-header-fields-too-large',
        title: 'Request Header Fields Too Large',
        status: 431,
        correlationId: expect.stringMatching(UUID) as string,
      });
    });

    it('answers a request that is not HTTP with a 400 problem', async () => {
      const { head, body } = await raw('HELLO\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(body)).toMatchObject({ type: 'urn:backoffice:problem:bad-request' });
    });
  });

  it('sends security headers', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });
});
