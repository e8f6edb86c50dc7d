import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../test/helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../test/helpers/database.ts';

describe('the HTTP platform', () => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ app } = await buildTestApp(database, { CORS_ORIGINS: 'https://admin.example' }));
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  describe('GET /docs/json', () => {
    it('is an OpenAPI 3.1 document describing the routes from their schemas', async () => {
      const response = await app.inject({ method: 'GET', url: '/docs/json' });
      expect(response.statusCode).toBe(200);
      const doc = response.json<{ openapi: string; paths: Record<string, unknown> }>();
      expect(doc.openapi).toBe('3.1.0');
      expect(doc.paths['/healthz']).toBeDefined();
      expect(doc.paths['/readyz']).toMatchObject({
        get: {
          responses: { '200': expect.anything() as unknown, '503': expect.anything() as unknown },
        },
      });
    });

    it('serves the documentation UI at /docs', async () => {
      const response = await app.inject({ method: 'GET', url: '/docs/' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/text\/html/);
    });
  });

  describe('GET /metrics', () => {
    it('exposes runtime metrics and the request duration histogram by route and status', async () => {
      await app.inject({ method: 'GET', url: '/healthz' });
      await app.inject({ method: 'GET', url: '/nowhere/12345' });
      const response = await app.inject({ method: 'GET', url: '/metrics' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain/);
      const text = response.body;
      expect(text).toContain('process_cpu_seconds_total');
      expect(text).toContain('nodejs_eventloop_lag_seconds');
      expect(text).toMatch(
        /http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} 1/,
      );
      // Unknown paths are counted under one label, so a scanner cannot blow up the series count.
      expect(text).toMatch(/route="unmatched",status_code="404"/);
      expect(text).not.toContain('12345');
    });
  });

  describe('CORS', () => {
    it('allows an origin on the allow-list', async () => {
      const response = await app.inject({
        method: 'OPTIONS',
        url: '/healthz',
        headers: { origin: 'https://admin.example', 'access-control-request-method': 'GET' },
      });
      expect(response.headers['access-control-allow-origin']).toBe('https://admin.example');
    });

    it('sends no CORS headers to any other origin', async () => {
      const response = await app.inject({
        method: 'GET',
        url: '/healthz',
        headers: { origin: 'https://evil.example' },
      });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
