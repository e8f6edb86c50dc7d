import { afterEach, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { adminQuery } from '@backoffice/embedded-pg/testing';
import { createTestDatabase } from '../../../test/helpers/database.ts';
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';

describe('probes', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function appOn(options: { migrated?: boolean } = {}) {
    const database = await createTestDatabase(options);
    cleanups.push(() => database.drop());
    const { app } = await buildTestApp(database);
    cleanups.push(() => app.close());
    return { app, database };
  }

  const get = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url });

  it('GET /healthz answers 200 while the process runs', async () => {
    const { app } = await appOn();
    const response = await get(app, '/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok' });
  });

  it('GET /readyz answers 200 when the database answers and is migrated', async () => {
    const { app } = await appOn();
    const response = await get(app, '/readyz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      checks: { database: { ok: true }, migrations: { ok: true }, audit: { ok: true } },
    });
  });

  it('GET /readyz answers 503 naming the pending migrations on an unmigrated database', async () => {
    const { app } = await appOn({ migrated: false });
    const response = await get(app, '/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      status: 'unavailable',
      checks: {
        database: { ok: true },
        migrations: {
          ok: false,
          detail: expect.stringMatching(/^pending: 20261120_0001/) as string,
        },
      },
    });
  });

  it('GET /readyz answers 503 when the database goes away, and /healthz stays 200', async () => {
    const { app, database } = await appOn();
    expect((await get(app, '/readyz')).statusCode).toBe(200);

    await adminQuery(inject('postgresUrl'), `DROP DATABASE ${database.name} WITH (FORCE)`);

    const response = await get(app, '/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      status: 'unavailable',
      checks: {
        database: { ok: false, detail: expect.stringMatching(/see the service log/) as string },
      },
    });
    // Public: the driver's message (which names the database) stays in the log.
    expect(response.body).not.toContain(database.name);
    expect((await get(app, '/healthz')).statusCode).toBe(200);
  });
});
