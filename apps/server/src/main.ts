import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.ts';
import type { Sandbox } from '@backoffice/sandbox';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { prepareDemo, type DemoPlatform } from './demo.ts';
import { ensureFirstAdmin } from './features/access/bootstrap.ts';
import { StaffRepository } from './features/access/staff.repository.ts';
import { temporaryPassword } from './features/access/staff.service.ts';
import { migrateToLatest } from './platform/db/migrations.ts';
import { SecretStore, auditSigningKey, instanceSecretKey } from './platform/secrets.ts';
import { openDatabase, type DatabaseRuntime } from './platform/db/runtime.ts';
import { createLogger } from './platform/observability/logger.ts';
import { startupBanner, type StartupBanner } from './startup-banner.ts';

/**
 * Boot: config → database (embedded or DATABASE_URL) → migrations → app → listen → (demo mode) the
 * sandbox → the banner (URL, sign-in) → "backoffice ready".
 * SIGINT/SIGTERM: stop accepting, let in-flight requests finish, close the pool, stop the embedded
 * PostgreSQL, exit 0. A second signal (a second later), or a drain longer than SHUTDOWN_TIMEOUT_MS,
 * exits 1 at once.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  // Readable lines for a person trying the demo in a terminal; JSON for everything that reads logs.
  const pretty =
    config.logFormat === 'pretty' ||
    (config.logFormat === 'auto' && config.sandbox !== undefined && process.stdout.isTTY);
  const logger = createLogger({ level: config.logLevel, pretty });
  const started = performance.now();

  let runtime: DatabaseRuntime | undefined;
  let app: FastifyInstance | undefined;
  let demo: DemoPlatform | undefined;
  let sandbox: Sandbox | undefined;
  let stoppingSince: number | undefined;
  let admin: StartupBanner['admin'];

  const stop = async (reason: string, exitCode: number) => {
    if (stoppingSince !== undefined) {
      // Ctrl-C under `npm start` arrives twice at once (the terminal signals the process group and npm
      // forwards its own copy): only a second request a moment later means "stop now".
      if (performance.now() - stoppingSince < 1_000) return;
      logger.warn({ reason }, 'second stop request: exiting immediately');
      process.exit(1);
    }
    stoppingSince = performance.now();
    logger.info({ reason }, 'shutting down');
    setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out: exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs).unref();
    try {
      // The sandbox first: its relay posts to us until it stops.
      await sandbox?.stop();
      await app?.close();
      await runtime?.close();
      logger.info('stopped');
    } catch (error) {
      logger.error({ err: error }, 'error while shutting down');
      exitCode = 1;
    }
    process.exit(exitCode);
  };

  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    void stop('uncaught exception', 1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    void stop('unhandled rejection', 1);
  });

  try {
    runtime = await openDatabase(config, logger);
    const applied = await migrateToLatest(runtime.database.db);
    for (const migration of applied)
      logger.info({ migration: migration.migrationName }, 'migration applied');

    const secrets = await SecretStore.open(config.dataDir);
    const secretKey = await instanceSecretKey(config, secrets, logger);
    const auditSigningKeyPem = await auditSigningKey(config, secrets);
    if (config.sandbox !== undefined) {
      demo = await prepareDemo(
        config,
        secrets,
        runtime.database.pool,
        runtime.embedded?.url ?? config.database.url ?? '',
        logger,
      );
      config = demo.config;
    }
    app = await buildApp({
      config,
      logger,
      db: runtime.database.db,
      pool: runtime.database.pool,
      secretKey,
      auditSigningKeyPem,
    });
    if (config.bootstrapAdmin !== undefined) {
      const password =
        config.bootstrapAdmin.password ??
        (await secrets.get('bootstrapAdminPassword', temporaryPassword));
      const created = await ensureFirstAdmin(
        runtime.database.db,
        app.audit,
        { email: config.bootstrapAdmin.email, password },
        logger,
      );
      if (config.bootstrapAdmin.password === undefined && (created || demo !== undefined)) {
        admin = {
          email: config.bootstrapAdmin.email,
          password: created ? password : undefined,
          secretsFile: path.join(config.dataDir, 'secrets.json'),
        };
      }
    } else if (
      (await new StaffRepository(runtime.database.db).count()) === 0 &&
      config.auth.provider === 'builtin'
    ) {
      logger.warn(
        'No staff account exists: set BACKOFFICE_BOOTSTRAP_ADMIN_EMAIL, or run `npx backoffice create-admin`.',
      );
    }

    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    reportStartupFailure(logger, error, config);
    await stop('startup failed', 1);
    return;
  }

  if (demo !== undefined) {
    try {
      sandbox = await demo.start(boundPort(app));
      logger.info({ urls: sandbox.urls, seeded: sandbox.seeded }, 'demo platform ready');
    } catch (error) {
      // The backoffice stays up: its health page shows the services as down.
      logger.error({ err: error }, 'the demo platform (sandbox) failed to start');
    }
  }

  const url = publicUrl(app, config);
  process.stderr.write(
    startupBanner({
      url,
      ...(admin === undefined ? {} : { admin }),
      ...(demo === undefined
        ? {}
        : {
            demo: {
              seeded: sandbox?.seeded ?? false,
              ...(sandbox === undefined ? {} : { services: serviceNames(sandbox.urls) }),
            },
          }),
    }),
  );
  logger.info(
    {
      url,
      database: runtime.embedded ? 'embedded' : runtime.database.safeUrl,
      startupMs: Math.round(performance.now() - started),
    },
    'backoffice ready',
  );
}

/** The sandbox's services by the names people know them by ("Pet", not "pets"). */
function serviceNames(urls: object): string[] {
  const names: Record<string, string> = {
    users: 'User',
    transactions: 'Transaction',
    budgets: 'Budget',
    pets: 'Pet',
    payments: 'Payment',
  };
  return Object.entries(urls as Record<string, string | undefined>)
    .filter(([, url]) => url !== undefined)
    .map(([key]) => names[key] ?? key);
}

function boundPort(app: FastifyInstance): number {
  const address = app.server.address();
  return address !== null && typeof address === 'object' ? address.port : 0;
}

/** The URL to print: the port actually bound (PORT=0 picks one), and a host a browser can open. */
function publicUrl(app: FastifyInstance, config: Config): string {
  const port = boundPort(app);
  const host = ['0.0.0.0', '::', '127.0.0.1', '::1'].includes(config.host)
    ? 'localhost'
    : config.host;
  return `http://${host}:${port}`;
}

function reportStartupFailure(logger: Logger, error: unknown, config: Config): void {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    logger.fatal(
      `Port ${config.port} on ${config.host} is already in use: stop the other process or set PORT.`,
    );
  } else {
    logger.fatal({ err: error }, error instanceof Error ? error.message : 'startup failed');
  }
}

await main();
