import net from 'node:net';
import type { Sandbox } from '@backoffice/sandbox';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { SecretStore } from './platform/secrets.ts';

/** The database the in-process sandbox keeps its services' data in, next to ours. */
const SANDBOX_DATABASE = 'backoffice_sandbox';

export interface DemoPlatform {
  /** The configuration with the sandbox's services as upstream and its webhook secret accepted. */
  config: Config;
  /** Starts the sandbox once the backoffice listens on `port` (its events are posted there). */
  start(port: number): Promise<Sandbox>;
}

/**
 * Demo mode (no platform service configured): the sandbox's User, Transaction and Budget services run
 * in this process on free loopback ports, seeded on the first start, publishing signed webhook batches
 * to our ingest endpoint. Their secrets are generated once and kept in the data directory.
 */
export async function prepareDemo(
  config: Config,
  secrets: SecretStore,
  pool: pg.Pool,
  databaseUrl: string,
  logger: Logger,
): Promise<DemoPlatform> {
  const demo = config.sandbox;
  if (demo === undefined) throw new Error('demo mode is off');
  const webhookSecret = await secrets.get('demoWebhookSecret');
  const serviceJwtSecret = await secrets.get('demoServiceJwtSecret');
  const [userPort = 0, transactionPort = 0, budgetPort = 0] = await freePorts(3);
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const sandboxDatabaseUrl = await sandboxDatabase(pool, databaseUrl, logger);

  return {
    config: {
      ...config,
      // Staff may sign in with sandbox User Service sessions (AUTH_PROVIDER=upstream-session).
      auth: { ...config.auth, upstream: { ...config.auth.upstream, url: url(userPort) } },
      upstream: {
        ...config.upstream,
        userServiceUrl: url(userPort),
        transactionServiceUrl: url(transactionPort),
        budgetServiceUrl: url(budgetPort),
        serviceJwtSecret,
        serviceJwtPrivateKeyFile: undefined,
      },
      ingest: {
        ...config.ingest,
        webhookSecrets: [...config.ingest.webhookSecrets, webhookSecret],
      },
    },
    async start(port) {
      // Loaded only in demo mode: a production deployment never runs the sandbox's code.
      const { startSandbox } = await import('@backoffice/sandbox');
      return startSandbox({
        users: demo.users,
        transactions: demo.transactions,
        rate: demo.rate,
        seed: demo.seed,
        publish: 'webhook',
        webhookUrl: `http://127.0.0.1:${port}/v1/ingest/events`,
        webhookSecret,
        serviceJwtSecret,
        host: '127.0.0.1',
        userPort,
        transactionPort,
        budgetPort,
        databaseUrl: sandboxDatabaseUrl,
        dataDir: config.dataDir,
        logger: logger.child({ component: 'sandbox' }),
      });
    },
  };
}

/**
 * A database for the sandbox on our PostgreSQL server, created on the first start. Where we may not
 * create one (a managed DATABASE_URL), undefined: the sandbox then runs its own embedded PostgreSQL.
 */
async function sandboxDatabase(
  pool: pg.Pool,
  databaseUrl: string,
  logger: Logger,
): Promise<string | undefined> {
  try {
    const { rowCount } = await pool.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      SANDBOX_DATABASE,
    ]);
    // An identifier cannot be a bind parameter; this one is a constant.
    if (rowCount === 0) {
      await pool.query(`CREATE DATABASE ${SANDBOX_DATABASE}`).catch((error: unknown) => {
        // Another start created it in the meantime.
        if ((error as { code?: string }).code !== '42P04') throw error;
      });
    }
  } catch (error) {
    logger.warn(
      { err: error },
      `cannot create the database ${SANDBOX_DATABASE}: the sandbox starts its own PostgreSQL`,
    );
    return undefined;
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${SANDBOX_DATABASE}`;
  return url.toString();
}

/** Ports the kernel reports free now (held together, so they differ). */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
