import type { PackName } from '@backoffice/contracts';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  parseSandboxOptions,
  SERVE_FLAGS,
  serviceTokenKey,
  type SandboxConfig,
  type SandboxOptions,
} from './config.ts';
import { openSandboxDatabase } from './db/database.ts';
import { KNOWN_ACCOUNTS, type KnownAccount } from './domain/accounts.ts';
import { hashPassword } from './domain/passwords.ts';
import { seedIfEmpty } from './generator/seeding.ts';
import { OutboxRelay, type RelayStatus } from './outbox/relay.ts';
import { servicesOf } from './packs.ts';
import { FaultSwitch, type ServiceName } from './platform/faults.ts';
import type { ServiceApp } from './platform/http.ts';
import { createLogger } from './platform/logger.ts';
import { buildAppFor, createServices } from './services/index.ts';
import { Traffic } from './traffic/traffic.ts';
import { createPublisher } from './transports/index.ts';

export interface StartSandboxOptions extends Omit<SandboxOptions, 'packs'> {
  /** The platforms whose services run: default `['money-planner']` (the User Service always runs). */
  packs?: readonly PackName[];
  /** Where logs go; default: JSON lines on stderr at `logLevel`. */
  logger?: Logger;
  /** The end of the generated history when seeding; default: now. */
  seedEnd?: Date;
}

export interface SandboxStatus {
  outbox: RelayStatus;
  traffic: { rate: number | 'history'; actionsPerformed: number };
}

/** The services' base URLs: the User Service's always, the others' when their pack runs. */
export interface SandboxUrls {
  users: string;
  /** With money-planner. */
  transactions?: string;
  /** With money-planner. */
  budgets?: string;
  /** With virtual-pet. */
  pets?: string;
  /** With virtual-pet. */
  payments?: string;
}

export interface Sandbox {
  urls: SandboxUrls;
  /** True when this start seeded the database (its first start). */
  seeded: boolean;
  /** The accounts present in every sandbox; their password is `config.userPassword`. */
  accounts: readonly KnownAccount[];
  config: SandboxConfig;
  status(): Promise<SandboxStatus>;
  /** Stops traffic, the services (letting requests in flight finish), the relay, the pool and the embedded PostgreSQL. */
  stop(): Promise<void>;
}

/** Each service's entry in `urls`, and the option of its port. */
const LISTENING: Record<
  ServiceName,
  {
    url: keyof SandboxUrls;
    port: 'userPort' | 'transactionPort' | 'budgetPort' | 'petPort' | 'paymentPort';
  }
> = {
  'user-service': { url: 'users', port: 'userPort' },
  'transaction-service': { url: 'transactions', port: 'transactionPort' },
  'budget-service': { url: 'budgets', port: 'budgetPort' },
  'pet-service': { url: 'pets', port: 'petPort' },
  'payment-service': { url: 'payments', port: 'paymentPort' },
};

/** The address to print for a bound port: a wildcard interface is reached through loopback. */
function urlOf(app: ServiceApp, host: string): string {
  const address = app.server.address();
  const port = address !== null && typeof address === 'object' ? address.port : 0;
  const shown =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/**
 * Starts the sandbox: database (given or embedded) and migrations, seeding on the first start, the
 * outbox relay, the services of the packs, live traffic and the periodic sweep (expired sessions,
 * budget period roll-over, payment settlement).
 */
export async function startSandbox(options: StartSandboxOptions = {}): Promise<Sandbox> {
  const { logger, seedEnd, packs, ...rest } = options;
  const config = parseSandboxOptions({
    ...rest,
    ...(packs === undefined ? {} : { packs: [...packs] }),
  });
  return runSandbox(config, {
    logger: logger ?? createLogger(config.logLevel),
    seedEnd: seedEnd ?? new Date(),
  });
}

/** startSandbox with options already parsed (the command line parses them itself, to name flags). */
export async function runSandbox(
  config: SandboxConfig,
  { logger, seedEnd }: { logger: Logger; seedEnd: Date },
): Promise<Sandbox> {
  if (config.serviceJwtSecret === undefined && config.serviceJwtPublicKey === undefined) {
    logger.warn(
      'no service-token key configured (SANDBOX_SERVICE_JWT_SECRET or _PUBLIC_KEY): using the development secret',
    );
  }

  const database = await openSandboxDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    logger,
  });
  logger.info({ database: database.embedded ? 'embedded' : database.safeUrl }, 'database ready');
  const closers: (() => Promise<void>)[] = [() => database.close()];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      await close().catch((error: unknown) => logger.error({ err: error }, 'error while stopping'));
    }
  };

  try {
    const { db } = database;
    const seedingStarted = performance.now();
    const seeding = await seedIfEmpty(db, {
      packs: config.packs,
      users: config.users,
      transactions: config.transactions,
      seed: config.seed,
      end: seedEnd,
      passwordHash: await hashPassword(config.userPassword),
    });
    if (seeding.seeded) {
      const seconds = (performance.now() - seedingStarted) / 1000;
      logger.info(
        {
          events: seeding.events,
          seconds: Number(seconds.toFixed(1)),
          packs: config.packs,
          users: config.users,
          transactions: config.transactions,
        },
        'seeded the sandbox',
      );
    }

    const publisher = createPublisher(config, logger.child({ component: 'publisher' }));
    if (publisher !== undefined) closers.push(() => publisher.close());
    const relay = new OutboxRelay({
      db,
      publisher,
      batchSize: config.batchSize,
      logger: logger.child({ component: 'relay' }),
    });
    relay.start();
    closers.push(() => relay.stop());

    const moneyPlanner = config.packs.includes('money-planner');
    const virtualPet = config.packs.includes('virtual-pet');
    const services = createServices(db, {
      sessionTtlMs: config.sessionTtlSeconds * 1000,
      packs: config.packs,
    });
    const traffic = new Traffic({
      db,
      services,
      rate: config.rate,
      seed: config.seed,
      password: config.userPassword,
      logger: logger.child({ component: 'traffic' }),
      packs: config.packs,
    });
    const status = async (): Promise<SandboxStatus> => ({
      outbox: await relay.status(),
      traffic: { rate: config.rate, actionsPerformed: traffic.actionsPerformed },
    });
    const apps = new Map<ServiceName, ServiceApp>();
    closers.push(() => Promise.all([...apps.values()].map((app) => app.close())).then(() => {}));
    for (const service of servicesOf(config.packs)) {
      apps.set(
        service,
        await buildAppFor(service, services, {
          logger,
          tokenKey: serviceTokenKey(config),
          faults: new FaultSwitch(config.faults[service]),
          status,
        }),
      );
    }
    for (const [service, app] of apps) {
      const port = config[LISTENING[service].port];
      const flag = `--${SERVE_FLAGS[LISTENING[service].port].flag}`;
      try {
        await app.listen({ port, host: config.host });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new Error(
            `Port ${port} on ${config.host} is already in use: stop the other process or change ${flag}`,
          );
        }
        throw error;
      }
    }

    await traffic.start();
    closers.push(() => traffic.stop());

    let sweep: Promise<void> | undefined;
    const sweeper = setInterval(() => {
      if (sweep !== undefined) return;
      const context = { correlationId: randomUUID() };
      sweep = services.users
        .expireSessions(context)
        .then(() => (moneyPlanner ? services.budgets.rollOverPeriods(context) : 0))
        .then(() => (virtualPet ? services.payments.settleDue(context) : 0))
        .then(
          () => undefined,
          (error: unknown) => logger.warn({ err: error }, 'sweep failed; retrying at the next one'),
        )
        .finally(() => {
          sweep = undefined;
        });
    }, config.sweepIntervalSeconds * 1000);
    closers.push(async () => {
      clearInterval(sweeper);
      await sweep;
    });

    // The User Service always runs: its entry is set in the loop like the others'.
    const urls: SandboxUrls = { users: '' };
    for (const [service, app] of apps) urls[LISTENING[service].url] = urlOf(app, config.host);
    return {
      urls,
      seeded: seeding.seeded,
      accounts: KNOWN_ACCOUNTS,
      config,
      status,
      stop: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
