import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { createStaff, signIn } from '../../../test/helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';

/**
 * Access control is complete: every route under /v1/admin answers 401 without a token, and 403 to a
 * signed-in person whose role grants nothing — unless it is the sign-in itself, or a route for any
 * signed-in person (their own account). New routes are covered as soon as they are registered.
 */
describe('every /v1/admin route', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let nobody: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ app } = await buildTestApp(database));
    await app.ready();
    await database.db
      .insertInto('roles')
      .values({ name: 'Nobody', description: 'grants nothing' })
      .execute();
    const person = await createStaff(database.db, { roles: ['Nobody'] });
    nobody = await signIn(app, person.email);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const concrete = (url: string) =>
    url.replace(
      /:id\b/g,
      url.includes('dead-letters') ? '1' : '00000000-0000-4000-8000-000000000000',
    );

  it('is declared, and there are enough of them for this test to mean something', () => {
    expect(app.adminRoutes.length).toBeGreaterThan(25);
    expect(app.adminRoutes.filter((r) => r.access === 'public').map((r) => r.url)).toEqual([
      '/v1/admin/auth/login',
    ]);
  });

  it('answers 401 without a bearer token', async () => {
    for (const route of app.adminRoutes.filter((r) => r.access !== 'public')) {
      const response = await app.inject({
        method: route.method as 'GET',
        url: concrete(route.url),
        payload: {},
      });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('answers 403 to a role without the permission, and lets a signed-in person reach their own routes', async () => {
    // Signing out ends the session the walk uses: it goes last.
    const isLogout = (url: string) => url === '/v1/admin/auth/logout';
    const routes = app.adminRoutes
      .filter((r) => r.access !== 'public')
      .sort((a, b) => Number(isLogout(a.url)) - Number(isLogout(b.url)));
    for (const route of routes) {
      const response = await app.inject({
        method: route.method as 'GET',
        url: concrete(route.url),
        headers: { authorization: `Bearer ${nobody}` },
        payload: {},
      });
      const label = `${route.method} ${route.url} (${route.access})`;
      if (route.access === 'authenticated') {
        expect([401, 403], label).not.toContain(response.statusCode);
      } else {
        expect(response.statusCode, label).toBe(403);
        expect(response.json(), label).toMatchObject({ permission: route.access });
      }
    }
  });

  it('is documented in OpenAPI with the bearer scheme and its permission', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/docs/json' })).json<{
      paths: Record<
        string,
        Record<string, { security?: unknown; 'x-permission'?: string; description?: string }>
      >;
    }>();
    for (const route of app.adminRoutes.filter((r) => r.access !== 'public')) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${path}`).toBeDefined();
      expect(operation?.security).toEqual([{ bearerAuth: [] }]);
      expect(operation?.['x-permission']).toBe(route.access);
    }
  });
});
