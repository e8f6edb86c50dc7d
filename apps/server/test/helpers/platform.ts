import { randomBytes } from 'node:crypto';
import type { PackName } from '@backoffice/contracts';
import { startSandbox, type Sandbox } from '@backoffice/sandbox';
import pino from 'pino';
import { freePorts } from '../../src/demo.ts';
import { buildTestApp, type TestApp } from './app.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestPlatform extends TestApp {
  /** The backoffice's database. */
  database: TestDatabase;
  sandbox: Sandbox;
  /** Our base URL (the app listens: the sandbox posts its events to our webhook). */
  url: string;
  /** The secret the webhook's signatures are made with (the sandbox's, and a test's own). */
  webhookSecret: string;
  /** Waits until every event the sandbox produced so far has been delivered to us. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Failure injection on one of the sandbox's services (PUT /__sandbox/faults). */
  fault(
    service: 'users' | 'transactions' | 'budgets',
    fault: {
      mode: 'error' | 'slow' | 'down' | 'off';
      status?: number;
      delayMs?: number;
      pathPrefix?: string;
    },
  ): Promise<void>;
  close(): Promise<void>;
}

/**
 * The backoffice against the real sandbox: its User, Transaction and Budget services on free ports
 * (each on a database of its own), seeded, publishing signed webhook batches to our listening app,
 * with service tokens signed by a shared secret — what demo mode runs, small. No live traffic unless
 * `rate` is given, so tests decide what happens.
 */
export async function startTestPlatform(
  options: {
    users?: number;
    transactions?: number;
    rate?: number;
    /** The domain packs both sides run (BACKOFFICE_PACKS and the sandbox's services); default Money Planner. */
    packs?: readonly PackName[];
    env?: Record<string, string>;
  } = {},
): Promise<TestPlatform> {
  const database = await createTestDatabase();
  const sandboxDatabase = await createTestDatabase({ migrated: false });
  const [userPort = 0, transactionPort = 0, budgetPort = 0, petPort = 0, paymentPort = 0] =
    await freePorts(5);
  const packs = options.packs ?? ['money-planner'];
  const serviceJwtSecret = randomBytes(32).toString('base64url');
  const webhookSecret = randomBytes(32).toString('base64url');
  const test = await buildTestApp(database, {
    USER_SERVICE_URL: `http://127.0.0.1:${userPort}`,
    TRANSACTION_SERVICE_URL: `http://127.0.0.1:${transactionPort}`,
    BUDGET_SERVICE_URL: `http://127.0.0.1:${budgetPort}`,
    PET_SERVICE_URL: `http://127.0.0.1:${petPort}`,
    PAYMENT_SERVICE_URL: `http://127.0.0.1:${paymentPort}`,
    BACKOFFICE_PACKS: packs.join(','),
    SERVICE_JWT_SECRET: serviceJwtSecret,
    INGEST_WEBHOOK_SECRET: webhookSecret,
    HEALTH_CHECK_INTERVAL_MS: '200',
    ...options.env,
  });
  await test.app.listen({ port: 0, host: '127.0.0.1' });
  const address = test.app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox({
      users: options.users ?? 30,
      transactions: options.transactions ?? 300,
      rate: options.rate ?? 0,
      seed: 7,
      publish: 'webhook',
      webhookUrl: `${url}/v1/ingest/events`,
      webhookSecret,
      serviceJwtSecret,
      host: '127.0.0.1',
      userPort,
      transactionPort,
      budgetPort,
      petPort,
      paymentPort,
      packs: [...packs],
      databaseUrl: sandboxDatabase.url,
      batchSize: 1000,
      logger: pino({ level: 'silent' }),
    });
  } catch (error) {
    await test.app.close();
    await database.drop();
    await sandboxDatabase.drop();
    throw error;
  }
  const serviceUrl = {
    users: sandbox.urls.users,
    transactions: sandbox.urls.transactions,
    budgets: sandbox.urls.budgets,
  };
  const platform: TestPlatform = {
    ...test,
    database,
    sandbox,
    url,
    webhookSecret,
    async caughtUp(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { outbox } = await sandbox.status();
        if (outbox.pending === 0) return;
        if (Date.now() > deadline)
          throw new Error(
            `the sandbox still has ${outbox.pending} events to deliver (${outbox.lastError ?? 'no error'})`,
          );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async fault(service, fault) {
      const response = await fetch(`${serviceUrl[service]}/__sandbox/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fault),
      });
      if (!response.ok)
        throw new Error(`fault injection failed: ${response.status} ${await response.text()}`);
    },
    async close() {
      await sandbox.stop();
      await test.app.close();
      await database.drop();
      await sandboxDatabase.drop();
    },
  };
  await platform.caughtUp();
  return platform;
}
