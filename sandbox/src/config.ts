import {
  DEFAULT_NATS_STREAM,
  DEFAULT_PACKS,
  PACK_NAMES,
  type PackName,
} from '@backoffice/contracts';
import type { VerificationKey } from '@backoffice/contracts/service-token';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_USER_PASSWORD } from './domain/accounts.ts';
import { servicesOf } from './packs.ts';
import { parseFaults } from './platform/faults.ts';
import { PUBLISH_TARGETS } from './transports/publisher.ts';

/**
 * The sandbox's options: one zod schema for `startSandbox()` and the command line, where each option
 * has a flag and an environment variable (the flag wins). Only SANDBOX_-prefixed variables are read
 * (plus NATS_URL, KAFKA_BROKERS and BACKOFFICE_DATA_DIR, which mean the same thing for the backoffice):
 * spawned by the backoffice, the sandbox inherits its environment, and must not take its DATABASE_URL
 * or PORT for its own.
 */

/** Development defaults: the sandbox is a dev, test and demo tool (README: "Security"). */
export const DEV_SERVICE_JWT_SECRET = 'sandbox-dev-service-token-secret';
export const DEV_WEBHOOK_SECRET = 'sandbox-dev-webhook-secret';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const count = z.coerce.number().int().min(0).max(100_000_000);
const port = z.coerce.number().int().min(0).max(65_535);
const httpUrl = z.url({ protocol: /^https?$/ });
const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// or postgresql:// URL');
/** A list of pack names, or a comma-separated string of them; each once, in the order given. */
const packList = z
  .union([z.array(z.string()), z.string().transform((v) => v.split(','))])
  .transform((list) => [...new Set(list.map((p) => p.trim()).filter((p) => p !== ''))])
  .pipe(
    z
      .array(
        z.enum(PACK_NAMES, {
          error: (issue) =>
            `unknown pack ${JSON.stringify(issue.input)} (known: ${PACK_NAMES.join(', ')})`,
        }),
      )
      .min(1, 'name at least one pack'),
  );

const OptionsSchema = z.object({
  packs: packList.default([...DEFAULT_PACKS]),
  users: count.default(2_000),
  transactions: count.default(100_000),
  rate: z.union([z.literal('history'), z.coerce.number().min(0).max(10_000)]).default('history'),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(42),
  publish: z.enum(PUBLISH_TARGETS).default('webhook'),
  webhookUrl: httpUrl.default('http://localhost:8084/v1/ingest/events'),
  webhookSecret: z.string().min(1).default(DEV_WEBHOOK_SECRET),
  natsUrl: z.string().min(1).default('nats://127.0.0.1:4222'),
  natsStream: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default(DEFAULT_NATS_STREAM),
  natsSubjectPrefix: z.string().default(''),
  kafkaBrokers: z
    .union([z.array(z.string()), z.string().transform((v) => v.split(','))])
    .transform((list) => list.map((b) => b.trim()).filter((b) => b !== ''))
    .pipe(z.array(z.string()).min(1))
    .default(['localhost:9092']),
  userPort: port.default(8080),
  transactionPort: port.default(8081),
  budgetPort: port.default(8083),
  petPort: port.default(8085),
  paymentPort: port.default(8086),
  host: z.string().min(1).default('127.0.0.1'),
  databaseUrl: postgresUrl.optional(),
  dataDir: z
    .string()
    .min(1)
    .default('./.data')
    .transform((dir) => path.resolve(dir)),
  batchSize: z.coerce.number().int().min(1).max(10_000).default(500),
  sessionTtlSeconds: z.coerce.number().int().min(1).default(86_400),
  userPassword: z.string().min(8).default(DEFAULT_USER_PASSWORD),
  serviceJwtSecret: z.string().min(16).optional(),
  serviceJwtPublicKey: z.string().includes('BEGIN PUBLIC KEY').optional(),
  faults: z.string().default(''),
  logLevel: z.enum(LOG_LEVELS).default('info'),
  /** How often expired sessions are ended, budget periods rolled over and payments settled. */
  sweepIntervalSeconds: z.coerce.number().min(0.1).default(10),
});

/** The options; faults are parsed once the packs are known (a fault names a running service). */
export const SandboxOptionsSchema = OptionsSchema.transform((options, ctx) => {
  try {
    return { ...options, faults: parseFaults(options.faults, servicesOf(options.packs)) };
  } catch (error) {
    ctx.addIssue({ code: 'custom', path: ['faults'], message: (error as Error).message });
    return z.NEVER;
  }
});

export type SandboxOptions = z.input<typeof SandboxOptionsSchema>;
export type SandboxConfig = z.output<typeof SandboxOptionsSchema>;

type OptionName = keyof SandboxOptions;

/** The command line and environment of `npm run sandbox` (README table: keep in step). */
export const SERVE_FLAGS = {
  packs: {
    flag: 'packs',
    env: 'SANDBOX_PACKS',
    help: 'platforms whose services run, comma-separated: money-planner, virtual-pet',
  },
  users: {
    flag: 'users',
    env: 'SANDBOX_USERS',
    help: 'users generated at the first start (besides the 3 known accounts)',
  },
  transactions: {
    flag: 'transactions',
    env: 'SANDBOX_TRANSACTIONS',
    help: 'transactions generated at the first start',
  },
  rate: {
    flag: 'rate',
    env: 'SANDBOX_RATE',
    help: 'live traffic: "history" (as many as an average recent day of the history, hour by hour) or actions per second (0: none)',
  },
  seed: { flag: 'seed', env: 'SANDBOX_SEED', help: 'seed of the generated data' },
  publish: {
    flag: 'publish',
    env: 'SANDBOX_PUBLISH',
    help: 'event transport: webhook | nats | kafka | none',
  },
  webhookUrl: {
    flag: 'webhook-url',
    env: 'SANDBOX_WEBHOOK_URL',
    help: 'where webhook batches are POSTed',
  },
  webhookSecret: {
    flag: 'webhook-secret',
    env: 'SANDBOX_WEBHOOK_SECRET',
    help: 'HMAC secret signing webhook batches',
  },
  natsUrl: { flag: 'nats-url', env: 'NATS_URL', help: 'NATS server (JetStream enabled)' },
  natsStream: {
    flag: 'nats-stream',
    env: 'SANDBOX_NATS_STREAM',
    help: 'JetStream stream (created when missing)',
  },
  kafkaBrokers: {
    flag: 'kafka-brokers',
    env: 'KAFKA_BROKERS',
    help: 'comma-separated Kafka bootstrap brokers',
  },
  userPort: {
    flag: 'user-port',
    env: 'SANDBOX_USER_PORT',
    help: 'User Service port (0: any free port)',
  },
  transactionPort: {
    flag: 'transaction-port',
    env: 'SANDBOX_TRANSACTION_PORT',
    help: 'Transaction Service port',
  },
  budgetPort: { flag: 'budget-port', env: 'SANDBOX_BUDGET_PORT', help: 'Budget Service port' },
  petPort: { flag: 'pet-port', env: 'SANDBOX_PET_PORT', help: 'Pet Service port (virtual-pet)' },
  paymentPort: {
    flag: 'payment-port',
    env: 'SANDBOX_PAYMENT_PORT',
    help: 'Payment Service port (virtual-pet)',
  },
  host: { flag: 'host', env: 'SANDBOX_HOST', help: 'interface the services listen on' },
  databaseUrl: {
    flag: 'database-url',
    env: 'SANDBOX_DATABASE_URL',
    help: 'PostgreSQL database (created if missing); unset: an embedded one',
  },
  dataDir: {
    flag: 'data-dir',
    env: 'BACKOFFICE_DATA_DIR',
    help: 'the embedded PostgreSQL lives in <data-dir>/sandbox-postgres',
  },
  batchSize: { flag: 'batch-size', env: 'SANDBOX_BATCH_SIZE', help: 'events per delivered batch' },
  sessionTtlSeconds: {
    flag: 'session-ttl',
    env: 'SANDBOX_SESSION_TTL_SECONDS',
    help: 'session lifetime, seconds',
  },
  userPassword: {
    flag: 'user-password',
    env: 'SANDBOX_USER_PASSWORD',
    help: 'password of the known and generated accounts',
  },
  serviceJwtSecret: {
    flag: 'service-jwt-secret',
    env: 'SANDBOX_SERVICE_JWT_SECRET',
    help: 'HS256 secret of the backoffice service tokens',
  },
  serviceJwtPublicKey: {
    flag: 'service-jwt-public-key',
    env: 'SANDBOX_SERVICE_JWT_PUBLIC_KEY',
    help: 'Ed25519 public key (SPKI PEM) of the service tokens',
  },
  faults: {
    flag: 'faults',
    env: 'SANDBOX_FAULTS',
    help: 'initial failure injection, e.g. user-service:error:503',
  },
  logLevel: {
    flag: 'log-level',
    env: 'SANDBOX_LOG_LEVEL',
    help: 'fatal | error | warn | info | debug | trace | silent',
  },
} as const satisfies Partial<Record<OptionName, { flag: string; env: string; help: string }>>;

/** A malformed command line (unknown flag, missing value): exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Well-formed but invalid values: exit 1. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The key that verifies service tokens: the public key when given, else the shared secret. */
export function serviceTokenKey(config: SandboxConfig): VerificationKey {
  if (config.serviceJwtPublicKey !== undefined) {
    return { kind: 'ed25519', publicKeyPem: config.serviceJwtPublicKey };
  }
  return { kind: 'secret', secret: config.serviceJwtSecret ?? DEV_SERVICE_JWT_SECRET };
}

/** Parses options, naming every invalid one (by flag and variable when `names` are given) in one line. */
export function parseSandboxOptions(
  input: SandboxOptions,
  describe: (option: string) => string = (option) => option,
): SandboxConfig {
  const parsed = SandboxOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${describe(String(issue.path[0] ?? 'options'))}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid sandbox options: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export interface GenerateCommand {
  command: 'generate';
  /** Undefined: the default pack's history. */
  packs?: PackName[] | undefined;
  users: number;
  transactions: number;
  seed: number;
  /** Where NDJSON goes: a file path, or '-' for stdout. */
  out: string;
  end: Date;
}

export type Command =
  { command: 'serve'; config: SandboxConfig } | GenerateCommand | { command: 'help'; text: string };

const GenerateSchema = z.object({
  packs: packList.optional(),
  users: count.default(2_000),
  transactions: count.default(100_000),
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(42),
  out: z.string().min(1).default('-'),
  end: z.iso.datetime({ offset: true }).optional(),
});

const present = (value: string | undefined) =>
  value === undefined || value === '' ? undefined : value;

/**
 * `npm run sandbox -- [flags]` serves; `npm run sandbox -- generate [flags]` writes the event stream.
 * `now` is the generated history's end unless `--end` says otherwise (the CLI is where "now" is read).
 */
export function parseCommandLine(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  now: Date,
): Command {
  const generate = argv[0] === 'generate';
  const args = generate ? argv.slice(1) : [...argv];
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: generate
        ? {
            packs: { type: 'string' },
            users: { type: 'string' },
            transactions: { type: 'string' },
            seed: { type: 'string' },
            out: { type: 'string' },
            end: { type: 'string' },
            help: { type: 'boolean', short: 'h' },
          }
        : {
            ...Object.fromEntries(
              Object.values(SERVE_FLAGS).map(({ flag }) => [flag, { type: 'string' as const }]),
            ),
            help: { type: 'boolean', short: 'h' },
          },
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}. Run with --help for the options.`);
  }
  if (positionals.length > 0) {
    throw new UsageError(
      `Unknown command "${positionals.join(' ')}". Run with --help for the options.`,
    );
  }
  if (values.help === true)
    return { command: 'help', text: generate ? GENERATE_HELP : serveHelp() };

  const flag = (name: string) => {
    const value = values[name];
    return typeof value === 'string' ? present(value) : undefined;
  };
  if (generate) {
    const parsed = GenerateSchema.safeParse({
      packs: flag('packs'),
      users: flag('users'),
      transactions: flag('transactions'),
      seed: flag('seed'),
      out: flag('out'),
      end: flag('end'),
    });
    if (!parsed.success) {
      throw new ConfigError(
        `Invalid generate options: ${parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; ')}`,
      );
    }
    const { end, ...rest } = parsed.data;
    return { command: 'generate', ...rest, end: end === undefined ? now : new Date(end) };
  }

  const input: Record<string, string | undefined> = {};
  for (const [option, { flag: name, env: variable }] of Object.entries(SERVE_FLAGS)) {
    input[option] = flag(name) ?? present(env[variable]);
  }
  const describe = (option: string) => {
    const names: { flag: string; env: string } | undefined =
      SERVE_FLAGS[option as keyof typeof SERVE_FLAGS];
    return names === undefined ? option : `--${names.flag} (${names.env})`;
  };
  return { command: 'serve', config: parseSandboxOptions(input, describe) };
}

function serveHelp(): string {
  const defaults: Record<string, unknown> = SandboxOptionsSchema.parse({});
  const rows = Object.entries(SERVE_FLAGS).map(([option, { flag, env, help }]) => {
    const value = defaults[option];
    const shown =
      typeof value === 'string' || typeof value === 'number'
        ? ` (default ${value})`
        : Array.isArray(value)
          ? ` (default ${value.join(',')})`
          : '';
    return `  --${flag.padEnd(24)} ${env.padEnd(32)} ${help}${shown}`;
  });
  return [
    'Usage: npm run sandbox -- [options]            start the services of the packs (--packs)',
    '       npm run sandbox -- generate [options]   write the generated event history as NDJSON',
    '',
    'Options (flag, environment variable, meaning; the flag wins):',
    ...rows,
    '  --help, -h',
    '',
    'On start, one JSON line {"event":"sandbox.ready",...} is written to stdout; logs go to stderr.',
  ].join('\n');
}

const GENERATE_HELP = [
  'Usage: npm run sandbox -- generate [options]',
  '',
  '  --packs <list>       money-planner, virtual-pet, comma-separated (default money-planner)',
  '  --users <n>          users besides the 3 known accounts (default 2000)',
  '  --transactions <n>   transactions, with money-planner (default 100000)',
  '  --seed <n>           seed (default 42): same seed and end, same bytes',
  '  --end <iso>          end of the 18-month history (default: now)',
  '  --out <file|->       output file, or - for stdout (default -)',
  '',
  'Progress and the final count, time and rate go to stderr.',
].join('\n');
