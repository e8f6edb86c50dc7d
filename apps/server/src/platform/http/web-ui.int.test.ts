import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';

describe('serving the admin UI', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'backoffice-web-'));
    await fs.mkdir(path.join(dir, 'assets'));
    await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    await fs.writeFile(path.join(dir, 'assets', 'app-3f2a1b.js'), 'console.log(1)');
    database = await createTestDatabase();
    ({ app } = await buildTestApp(database, { WEB_UI_DIR: dir }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('answers / and client-side routes with index.html, never cached', async () => {
    for (const url of ['/', '/users/42', '/access/roles?tab=history']) {
      const response = await app.inject({
        method: 'GET',
        url,
        headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
      });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toContain('<div id="root">');
    }
  });

  it('serves hashed assets with a long cache', async () => {
    const response = await app.inject({ method: 'GET', url: '/assets/app-3f2a1b.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers an unknown path asked for by anything but a browser with a 404 problem', async () => {
    for (const url of ['/nope', '/assets/stale-1a2b3c.js']) {
      const response = await app.inject({
        method: 'GET',
        url,
        headers: { accept: '*/*', 'x-correlation-id': 'not-html-1' },
      });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
      expect(response.headers['x-correlation-id']).toBe('not-html-1');
    }
  });

  it('keeps unknown API paths as 404 problems', async () => {
    for (const url of ['/v1/admin/nothing-here', '/docs/nothing', '/healthz/extra']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200);
  });
});
