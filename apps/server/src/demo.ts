import net from 'node:net';
import type { PackName } from '@backoffice/contracts';
import type { Sandbox } from '@backoffice/sandbox';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { SecretStore } from './platform/secrets.ts';

/**
 * The database the in-process sandbox keeps its services' data in, next to ours: one per set of packs,
 * since the sandbox seeds a history (of the packs it runs) only into an empty database — a Money Planner
 * demo's database has no pets to show when Virtual Pet is turned on.
 */
function sandboxDatabaseName(packs: readonly PackName[]): string {
  const names = [...new Set(packs)].sort();
  if (names.length === 1 && names[0] === 'money-planner') return 'backoffice_sandbox';
  // Pack names are a fixed list of [a-z-] words: a safe identifier.
  return `backoffice_sandbox_${names.map((name) => name.replaceAll('-', '_')).join('_')}`;
}

export interface DemoPlatform {
  /** The configuration with the sandbox's services as upstream and its webhook secret accepted. */
  config: Config;
  /** Starts the sandbox once the backoffice listens on `port` (its events are posted there). */
  start(port: number): Promise<Sandbox>;
}

/**
 * Demo mode (no platform service configured): the sandbox's services of the packs that run (User,
 * Transaction and Budget for Money Planner; User, Pet and Payment, and a Keycloak-like identity provider
 * for Virtual Pet) run
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
  const [userPort = 0, transactionPort = 0, budgetPort = 0, petPort = 0, paymentPort = 0] =
    await freePorts(5);
  const url = (port: number) => `http://127.0.0.1:${port}`;
  const sandboxDatabaseUrl = await sandboxDatabase(
    pool,
    databaseUrl,
    sandboxDatabaseName(config.packs),
    logger,
  );

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
        petServiceUrl: url(petPort),
        paymentServiceUrl: url(paymentPort),
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
        petPort,
        paymentPort,
        packs: config.packs,
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
  name: string,
  logger: Logger,
): Promise<string | undefined> {
  try {
    const { rowCount } = await pool.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    // An identifier cannot be a bind parameter; this one is a constant.
    if (rowCount === 0) {
      await pool.query(`CREATE DATABASE ${name}`).catch((error: unknown) => {
        // Another start created it in the meantime.
        if ((error as { code?: string }).code !== '42P04') throw error;
      });
    }
  } catch (error) {
    logger.warn(
      { err: error },
      `cannot create the database ${name}: the sandbox starts its own PostgreSQL`,
    );
    return undefined;
  }
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
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
