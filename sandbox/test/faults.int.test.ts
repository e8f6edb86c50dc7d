import { ProblemSchema } from '@backoffice/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/sandbox.ts';
import { freshDatabaseUrl } from './helpers/database.ts';
import { silentLogger } from './helpers/services.ts';
import { TEST_TOKEN_SECRET } from './helpers/tokens.ts';

/** Failure injection as a client of the real, listening services sees it (fetch over TCP). */
describe('failure injection (/__sandbox/faults)', () => {
  const database = freshDatabaseUrl();
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({
      databaseUrl: database.url,
      users: 0,
      transactions: 0,
      rate: 0,
      publish: 'none',
      userPort: 0,
      transactionPort: 0,
      budgetPort: 0,
      serviceJwtSecret: TEST_TOKEN_SECRET,
      faults: 'transaction-service:error:502',
      logger: silentLogger,
    });
  });
  afterEach(async () => {
    await fetch(`${sandbox.urls.users}/__sandbox/faults`, { method: 'DELETE' });
  });
  afterAll(async () => {
    await sandbox.stop();
    await database.drop();
  });

  const setFault = (fault: object) =>
    fetch(`${sandbox.urls.users}/__sandbox/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fault),
    });

  it('answers every request, /health included, with the injected status; /__sandbox stays reachable', async () => {
    const set = await setFault({ mode: 'error', status: 503 });
    expect(await set.json()).toEqual({ mode: 'error', status: 503, delayMs: 2000 });
    for (const path of ['/health', '/v1/auth/session', '/v1/users']) {
      const response = await fetch(`${sandbox.urls.users}${path}`);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(ProblemSchema.parse(await response.json()).type).toBe(
        'urn:backoffice:problem:injected-fault',
      );
    }
    expect(await (await fetch(`${sandbox.urls.users}/__sandbox/faults`)).json()).toMatchObject({
      mode: 'error',
    });
    await fetch(`${sandbox.urls.users}/__sandbox/faults`, { method: 'DELETE' });
    expect((await fetch(`${sandbox.urls.users}/health`)).status).toBe(200);
  });

  it('delays requests when slow, then answers them normally', async () => {
    await setFault({ mode: 'slow', delayMs: 300 });
    const started = performance.now();
    const response = await fetch(`${sandbox.urls.users}/health`);
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('closes the connection without an answer when down', async () => {
    await setFault({ mode: 'down' });
    const error = await fetch(`${sandbox.urls.users}/health`).then(
      () => undefined,
      (e: unknown) => e as { cause?: { code?: string } },
    );
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(error?.cause?.code);
  });

  it('only affects paths under pathPrefix', async () => {
    await setFault({ mode: 'error', status: 500, pathPrefix: '/v1/auth' });
    expect((await fetch(`${sandbox.urls.users}/v1/auth/session`)).status).toBe(500);
    expect((await fetch(`${sandbox.urls.users}/health`)).status).toBe(200);
  });

  it('starts with the faults given in the options (SANDBOX_FAULTS), per service', async () => {
    expect((await fetch(`${sandbox.urls.transactions}/health`)).status).toBe(502);
    expect((await fetch(`${sandbox.urls.budgets}/health`)).status).toBe(200);
  });

  it('refuses an invalid fault with 400', async () => {
    expect((await setFault({ mode: 'explode' })).status).toBe(400);
    expect((await setFault({ mode: 'error', status: 200 })).status).toBe(400);
  });

  it('reports the outbox backlog and traffic at /__sandbox/status', async () => {
    const status = (await (
      await fetch(`${sandbox.urls.budgets}/__sandbox/status`)
    ).json()) as Record<string, unknown>;
    expect(status).toMatchObject({
      service: 'budget-service',
      outbox: { publish: 'none', deliveredTotal: 0, failingSince: null },
      traffic: { rate: 0, actionsPerformed: 0 },
    });
    expect((status.outbox as { pending: number }).pending).toBeGreaterThan(0);
  });
});
