// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../../server/src/platform/db/database.ts';
import { PACK_NAMES } from '@backoffice/contracts';
import { featuresFor } from '../../../server/src/packs/index.ts';
import { resourcesOf } from '../../../server/src/platform/modules/feature-module.ts';
import { buildTestApp } from '../../../server/test/helpers/app.ts';
import { endpoints } from './endpoints.ts';

interface OpenApiDocument {
  paths: Record<string, Record<string, { security?: unknown[] }>>;
}

/**
 * The client may only call what the server declares. The OpenAPI document comes from the server's own
 * app, built here (no database is needed to describe the routes, so the pool points nowhere and is
 * never used), so it cannot go stale.
 */
describe('the API client against the server’s OpenAPI document', () => {
  let document: OpenApiDocument;
  let database: DatabaseHandle;

  beforeAll(async () => {
    database = createDatabase('postgres://nobody@127.0.0.1:9/none', { poolMax: 1 });
    // Every pack, so that every declared resource's routes are in the document.
    const { app } = await buildTestApp(database, {
      LOG_LEVEL: 'silent',
      BACKOFFICE_PACKS: PACK_NAMES.join(','),
    });
    try {
      const response = await app.inject({ method: 'GET', url: '/docs/json' });
      expect(response.statusCode).toBe(200);
      document = response.json<OpenApiDocument>();
    } finally {
      await app.close();
    }
  });

  afterAll(async () => {
    await database.close();
  });

  /** A `:resource` endpoint stands for each declared resource of every pack. */
  const declared = resourcesOf(featuresFor(PACK_NAMES)).map((r) => r.name);
  const operations = Object.entries(endpoints).flatMap(([name, endpoint]) =>
    (endpoint.path.includes(':resource') ? declared : [undefined]).map((resource) => ({
      name: resource === undefined ? name : `${name} (${resource})`,
      ...endpoint,
      openApiPath: endpoint.path
        .replace(':resource', resource ?? ':resource')
        .replace(/:([A-Za-z]+)/g, '{$1}'),
    })),
  );

  it('knows the declared resources it checks the generic endpoints with', () => {
    expect(declared).toEqual(expect.arrayContaining(['budgets', 'pets', 'payments', 'sign-ins']));
  });

  it.each(operations)('$name: $method $path is an operation of the API', (operation) => {
    const methods = document.paths[operation.openApiPath];
    expect(methods, `no path ${operation.openApiPath}`).toBeDefined();
    expect(methods?.[operation.method.toLowerCase()], `no ${operation.method}`).toBeDefined();
  });

  it.each(operations)(
    '$name: sends the session token exactly when the API requires one',
    (operation) => {
      const security =
        document.paths[operation.openApiPath]?.[operation.method.toLowerCase()]?.security;
      const requiresToken = Array.isArray(security) && security.length > 0;
      expect(requiresToken).toBe(!('public' in operation && operation.public === true));
    },
  );
});
