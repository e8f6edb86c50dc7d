import path from 'node:path';
import {
  DEFAULT_NATS_STREAM,
  DEFAULT_PACKS,
  topicsOf,
  PACK_NAMES,
  type PackName,
} from '@backoffice/contracts';
import { z } from 'zod';

/**
 * Every setting of the service, read once from the environment.
 * The README's configuration table and `.env.example` list the same variables: keep them in step.
 */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();

const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** `from=to,from=to`: an identity provider's role names to ours. */
const roleMap = z.string().transform((value, context) => {
  const map: Record<string, string> = {};
  for (const pair of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [from, to] = pair.split('=').map((p) => p.trim());
    if (from === undefined || to === undefined || from === '' || to === '') {
      context.addIssue({ code: 'custom', message: `"${pair}" is not of the form theirs=ours` });
      return z.NEVER;
    }
    map[from] = to;
  }
  return map;
});

const postgresUrl = z
  .string()
  .url()
  .refine(
    (value) => /^postgres(ql)?:\/\//.test(value),
    'must start with postgres:// or postgresql://',
  );

const envSchema = z.object({
  PORT: port.default(8084),
  HOST: z.string().min(1).default('localhost'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_MAX: positiveInt.max(500).default(20),
  DATABASE_CONNECT_TIMEOUT_MS: positiveInt.default(10_000),
  BACKOFFICE_DATA_DIR: z.string().min(1).default('./.data'),
  EMBEDDED_POSTGRES_PORT: port.default(0),
  /** `name=value` pairs, comma-separated, over the machine-sized settings (docs/decisions/0002). */
  EMBEDDED_POSTGRES_SETTINGS: commaList
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^[a-z_]+=[A-Za-z0-9._-]+$/,
            'each must be name=value (e.g. shared_buffers=2GB), letters, digits, . _ - only',
          ),
      ),
    )
    .default([]),
  CORS_ORIGINS: commaList.default([]),
  RATE_LIMIT_MAX: positiveInt.default(1000),
  RATE_LIMIT_WINDOW_MS: positiveInt.default(60_000),
  TRUST_PROXY: booleanFlag.default(false),
  SHUTDOWN_TIMEOUT_MS: positiveInt.default(10_000),
  WEB_UI_DIR: z.string().min(1).optional(),

  BACKOFFICE_SECRET_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'must be 32 random bytes, base64 (openssl rand -base64 32)')
    .optional(),
  BACKOFFICE_BOOTSTRAP_ADMIN_EMAIL: z.email().optional(),
  BACKOFFICE_BOOTSTRAP_ADMIN_PASSWORD: z
    .string()
    .min(12, 'must be at least 12 characters')
    .optional(),

  AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_EVERY: positiveInt.default(1000),
  AUDIT_CHECKPOINT_MINUTES: positiveInt.default(5),
  AUDIT_CHECKPOINT_EXPORT_DIR: z.string().min(1).optional(),

  AUTH_PROVIDER: z.enum(['builtin', 'upstream-session', 'oidc']).default('builtin'),
  AUTH_SESSION_IDLE_MINUTES: positiveInt.default(30),
  AUTH_SESSION_ABSOLUTE_HOURS: positiveInt.default(12),
  AUTH_SESSION_CACHE_SECONDS: z.coerce.number().int().min(0).max(3_600).default(30),
  // `none`: no role requires a second factor.
  AUTH_STEP_UP_SECONDS: positiveInt.default(300),
  PII_REVEAL_MINUTES: positiveInt.max(1440).default(15),
  DASHBOARD_CACHE_MS: z.coerce.number().int().min(0).max(3_600_000).default(1_000),
  AUTH_MFA_REQUIRED_ROLES: commaList
    .transform((roles) => roles.filter((r) => r !== 'none'))
    .default(['Admin']),
  AUTH_LOGIN_MAX_FAILURES: positiveInt.default(5),
  AUTH_LOGIN_IP_MAX_FAILURES: positiveInt.default(20),
  AUTH_LOCK_BASE_SECONDS: positiveInt.default(30),
  AUTH_LOCK_MAX_SECONDS: positiveInt.default(900),
  AUTH_UPSTREAM_CACHE_TTL_MS: z.coerce.number().int().min(0).default(30_000),
  AUTH_UPSTREAM_ROLE_MAP: roleMap.default({ Admin: 'Admin', Staff: 'Staff' }),
  OIDC_ISSUER: z.url().optional(),
  OIDC_AUDIENCE: z.string().min(1).optional(),
  OIDC_JWKS_URL: z.url().optional(),
  OIDC_ROLE_CLAIM: z.string().min(1).default('realm_access.roles'),
  OIDC_ROLE_MAP: roleMap.default({}),
  OIDC_EMAIL_CLAIM: z.string().min(1).default('email'),
  OIDC_NAME_CLAIM: z.string().min(1).default('name'),

  USER_SERVICE_URL: z.url().optional(),
  TRANSACTION_SERVICE_URL: z.url().optional(),
  BUDGET_SERVICE_URL: z.url().optional(),
  PET_SERVICE_URL: z.url().optional(),
  PAYMENT_SERVICE_URL: z.url().optional(),
  SERVICE_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SERVICE_JWT_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  UPSTREAM_TIMEOUT_MS: positiveInt.default(3_000),
  UPSTREAM_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  CIRCUIT_BREAKER_FAILURES: positiveInt.default(5),
  CIRCUIT_BREAKER_HALF_OPEN_MS: positiveInt.default(10_000),
  HEALTH_CHECK_INTERVAL_MS: positiveInt.default(10_000),

  INGEST_WEBHOOK_SECRET: commaList.optional(),
  INGEST_WEBHOOK_ALLOW_UNTIMESTAMPED: booleanFlag.default(false),
  INGEST_MAX_BATCH: positiveInt.max(10_000).default(1000),
  INGEST_MAX_BODY_BYTES: positiveInt.default(10 * 1024 * 1024),

  NATS_URL: z.string().min(1).optional(),
  NATS_STREAM: z.string().min(1).default(DEFAULT_NATS_STREAM),
  NATS_SUBJECTS: commaList.optional(),
  NATS_CONSUMER: z.string().min(1).default('backoffice'),
  NATS_BATCH_SIZE: positiveInt.max(10_000).default(500),
  NATS_MAX_DELIVER: positiveInt.default(10),
  NATS_ACK_WAIT_MS: positiveInt.default(30_000),
  NATS_CREATE_STREAM: booleanFlag.default(true),

  KAFKA_BROKERS: commaList.optional(),
  KAFKA_TOPICS: commaList.optional(),
  KAFKA_GROUP_ID: z.string().min(1).default('backoffice'),
  KAFKA_CLIENT_ID: z.string().min(1).default('backoffice'),
  KAFKA_BATCH_SIZE: positiveInt.max(10_000).default(500),
  KAFKA_BATCH_WAIT_MS: positiveInt.default(200),

  BACKOFFICE_PACKS: commaList
    .pipe(
      z
        .array(
          z.enum(PACK_NAMES, {
            error: (issue) =>
              `unknown pack ${JSON.stringify(issue.input)} (known: ${PACK_NAMES.join(', ')})`,
          }),
        )
        .min(1, 'name at least one pack'),
    )
    .transform((names) => [...new Set(names)])
    .default([...DEFAULT_PACKS]),
  BACKOFFICE_SANDBOX: z.enum(['auto', 'off']).default('auto'),
  SANDBOX_USERS: z.coerce.number().int().min(0).max(10_000_000).default(2_000),
  SANDBOX_TRANSACTIONS: z.coerce.number().int().min(0).max(100_000_000).default(100_000),
  SANDBOX_RATE: z
    .union([z.literal('history'), z.coerce.number().min(0).max(10_000)])
    .default('history'),
  SANDBOX_SEED: z.coerce.number().int().min(0).default(42),
});

export type Env = z.input<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** `auto`: readable lines in demo mode on a terminal, JSON lines everywhere else. */
  logFormat: 'auto' | 'json' | 'pretty';
  database: { url: string | undefined; poolMax: number; connectTimeoutMs: number };
  dataDir: string;
  embeddedPostgres: { port: number; settings: Record<string, string> };
  http: {
    corsOrigins: string[];
    rateLimit: { max: number; windowMs: number };
    trustProxy: boolean;
  };
  shutdownTimeoutMs: number;
  /** How long the dashboard's metrics document is served from memory at most (changes evict it). */
  dashboardCacheMs: number;
  /** The admin UI's build (index.html and assets); unset: apps/web/dist. */
  webUiDir: string | undefined;
  /** 32 bytes that encrypt secrets at rest (TOTP); unset: generated into the data directory. */
  secretKey: string | undefined;
  bootstrapAdmin: { email: string; password: string | undefined } | undefined;
  audit: {
    /** PEM file of the Ed25519 key that signs checkpoints; unset: generated into the data directory. */
    signingKeyFile: string | undefined;
    checkpointEvery: number;
    checkpointMinutes: number;
    /** A directory outside the database where each checkpoint is also written; unset: not exported. */
    checkpointExportDir: string | undefined;
  };
  auth: {
    provider: 'builtin' | 'upstream-session' | 'oidc';
    sessionIdleMinutes: number;
    sessionAbsoluteHours: number;
    /** How long a session's principal may be served from memory (0: never); changes evict it at once. */
    sessionCacheSeconds: number;
    mfaRequiredRoles: string[];
    /** How recent a second-factor proof must be for step-up actions (bulk, force logout). */
    stepUpSeconds: number;
    /** How long a staff member's reveal of one user's personal data lasts. */
    piiRevealMinutes: number;
    throttle: {
      maxFailures: number;
      ipMaxFailures: number;
      lockBaseSeconds: number;
      lockMaxSeconds: number;
    };
    /** AUTH_PROVIDER=upstream-session: the service whose sessions staff sign in with. */
    upstream: {
      serviceName: string;
      url: string | undefined;
      cacheTtlMs: number;
      roleMap: Record<string, string>;
    };
    oidc:
      | {
          issuer: string;
          audience: string;
          jwksUrl: string | undefined;
          roleClaim: string;
          roleMap: Record<string, string>;
          emailClaim: string;
          nameClaim: string;
        }
      | undefined;
  };
  upstream: {
    userServiceUrl: string | undefined;
    transactionServiceUrl: string | undefined;
    budgetServiceUrl: string | undefined;
    petServiceUrl: string | undefined;
    paymentServiceUrl: string | undefined;
    /** HS256 shared secret for service tokens; with a private key file instead, EdDSA. */
    serviceJwtSecret: string | undefined;
    serviceJwtPrivateKeyFile: string | undefined;
    timeoutMs: number;
    retries: number;
    breaker: { failures: number; halfOpenMs: number };
    healthIntervalMs: number;
  };
  ingest: {
    /** Empty: the webhook is disabled (503). Several: any of them verifies (rotation). */
    webhookSecrets: string[];
    allowUntimestamped: boolean;
    maxBatch: number;
    maxBodyBytes: number;
  };
  nats:
    | {
        servers: string;
        stream: string;
        subjects: string[];
        durable: string;
        batchSize: number;
        maxDeliver: number;
        ackWaitMs: number;
        createStream: boolean;
      }
    | undefined;
  kafka:
    | {
        brokers: string[];
        topics: string[];
        groupId: string;
        clientId: string;
        batchSize: number;
        batchWaitMs: number;
      }
    | undefined;
  /** The domain packs this instance serves (BACKOFFICE_PACKS), in the order named. */
  packs: PackName[];
  /**
   * Demo mode: with no platform service configured (BACKOFFICE_SANDBOX=auto), the sandbox's User,
   * Transaction and Budget services run inside this process and publish to our webhook.
   */
  sandbox:
    { users: number; transactions: number; rate: number | 'history'; seed: number } | undefined;
}

/** The first Admin created in demo mode when BACKOFFICE_BOOTSTRAP_ADMIN_EMAIL is not set. */
export const DEMO_ADMIN_EMAIL = 'admin@example.com';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws a ConfigError whose message names every invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set": `PORT= npm start` must not be read as port 0.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      // The variable (a list's issue also names the item's index: the message says which item).
      const name = String(issue.path[0] ?? '');
      const given = env[name];
      return `${name}: ${issue.message}${given === undefined ? '' : ` (got ${JSON.stringify(given)})`}`;
    });
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const services = [
    e.USER_SERVICE_URL,
    e.TRANSACTION_SERVICE_URL,
    e.BUDGET_SERVICE_URL,
    e.PET_SERVICE_URL,
    e.PAYMENT_SERVICE_URL,
  ];
  const demo = e.BACKOFFICE_SANDBOX === 'auto' && services.every((url) => url === undefined);
  if (e.AUTH_PROVIDER === 'upstream-session' && e.USER_SERVICE_URL === undefined && !demo) {
    throw new ConfigError(
      'Invalid configuration: USER_SERVICE_URL: required when AUTH_PROVIDER=upstream-session',
    );
  }
  if (
    services.some((url) => url !== undefined) &&
    e.SERVICE_JWT_SECRET === undefined &&
    e.SERVICE_JWT_PRIVATE_KEY_FILE === undefined
  ) {
    throw new ConfigError(
      'Invalid configuration: SERVICE_JWT_SECRET: required (or SERVICE_JWT_PRIVATE_KEY_FILE) to call the platform’s services',
    );
  }
  if (e.AUTH_PROVIDER === 'oidc' && e.OIDC_ISSUER === undefined) {
    throw new ConfigError('Invalid configuration: OIDC_ISSUER: required when AUTH_PROVIDER=oidc');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    database: {
      url: e.DATABASE_URL,
      poolMax: e.DATABASE_POOL_MAX,
      connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    },
    dataDir: path.resolve(e.BACKOFFICE_DATA_DIR),
    packs: e.BACKOFFICE_PACKS,
    embeddedPostgres: {
      port: e.EMBEDDED_POSTGRES_PORT,
      settings: Object.fromEntries(
        e.EMBEDDED_POSTGRES_SETTINGS.map((pair) => pair.split('=') as [string, string]),
      ),
    },
    http: {
      corsOrigins: e.CORS_ORIGINS,
      rateLimit: { max: e.RATE_LIMIT_MAX, windowMs: e.RATE_LIMIT_WINDOW_MS },
      trustProxy: e.TRUST_PROXY,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    dashboardCacheMs: e.DASHBOARD_CACHE_MS,
    webUiDir: e.WEB_UI_DIR === undefined ? undefined : path.resolve(e.WEB_UI_DIR),
    secretKey: e.BACKOFFICE_SECRET_KEY,
    audit: {
      signingKeyFile: e.AUDIT_SIGNING_KEY_FILE,
      checkpointEvery: e.AUDIT_CHECKPOINT_EVERY,
      checkpointMinutes: e.AUDIT_CHECKPOINT_MINUTES,
      checkpointExportDir:
        e.AUDIT_CHECKPOINT_EXPORT_DIR === undefined
          ? undefined
          : path.resolve(e.AUDIT_CHECKPOINT_EXPORT_DIR),
    },
    bootstrapAdmin:
      e.BACKOFFICE_BOOTSTRAP_ADMIN_EMAIL === undefined && !demo
        ? undefined
        : {
            email: e.BACKOFFICE_BOOTSTRAP_ADMIN_EMAIL ?? DEMO_ADMIN_EMAIL,
            password: e.BACKOFFICE_BOOTSTRAP_ADMIN_PASSWORD,
          },
    auth: {
      provider: e.AUTH_PROVIDER,
      sessionIdleMinutes: e.AUTH_SESSION_IDLE_MINUTES,
      sessionAbsoluteHours: e.AUTH_SESSION_ABSOLUTE_HOURS,
      sessionCacheSeconds: e.AUTH_SESSION_CACHE_SECONDS,
      // The demo asks for no authenticator at sign-in unless told to; step-up actions still do.
      mfaRequiredRoles:
        present.AUTH_MFA_REQUIRED_ROLES === undefined && demo ? [] : e.AUTH_MFA_REQUIRED_ROLES,
      stepUpSeconds: e.AUTH_STEP_UP_SECONDS,
      piiRevealMinutes: e.PII_REVEAL_MINUTES,
      throttle: {
        maxFailures: e.AUTH_LOGIN_MAX_FAILURES,
        ipMaxFailures: e.AUTH_LOGIN_IP_MAX_FAILURES,
        lockBaseSeconds: e.AUTH_LOCK_BASE_SECONDS,
        lockMaxSeconds: e.AUTH_LOCK_MAX_SECONDS,
      },
      upstream: {
        serviceName: 'User Service',
        url: e.USER_SERVICE_URL,
        cacheTtlMs: e.AUTH_UPSTREAM_CACHE_TTL_MS,
        roleMap: e.AUTH_UPSTREAM_ROLE_MAP,
      },
      oidc:
        e.OIDC_ISSUER === undefined
          ? undefined
          : {
              issuer: e.OIDC_ISSUER,
              audience: e.OIDC_AUDIENCE ?? 'backoffice',
              jwksUrl: e.OIDC_JWKS_URL,
              roleClaim: e.OIDC_ROLE_CLAIM,
              roleMap: e.OIDC_ROLE_MAP,
              emailClaim: e.OIDC_EMAIL_CLAIM,
              nameClaim: e.OIDC_NAME_CLAIM,
            },
    },
    upstream: {
      userServiceUrl: e.USER_SERVICE_URL,
      transactionServiceUrl: e.TRANSACTION_SERVICE_URL,
      budgetServiceUrl: e.BUDGET_SERVICE_URL,
      petServiceUrl: e.PET_SERVICE_URL,
      paymentServiceUrl: e.PAYMENT_SERVICE_URL,
      serviceJwtSecret: e.SERVICE_JWT_SECRET,
      serviceJwtPrivateKeyFile: e.SERVICE_JWT_PRIVATE_KEY_FILE,
      timeoutMs: e.UPSTREAM_TIMEOUT_MS,
      retries: e.UPSTREAM_RETRIES,
      breaker: { failures: e.CIRCUIT_BREAKER_FAILURES, halfOpenMs: e.CIRCUIT_BREAKER_HALF_OPEN_MS },
      healthIntervalMs: e.HEALTH_CHECK_INTERVAL_MS,
    },
    ingest: {
      webhookSecrets: e.INGEST_WEBHOOK_SECRET ?? [],
      allowUntimestamped: e.INGEST_WEBHOOK_ALLOW_UNTIMESTAMPED,
      maxBatch: e.INGEST_MAX_BATCH,
      maxBodyBytes: e.INGEST_MAX_BODY_BYTES,
    },
    nats:
      e.NATS_URL === undefined
        ? undefined
        : {
            servers: e.NATS_URL,
            stream: e.NATS_STREAM,
            subjects: e.NATS_SUBJECTS ?? topicsOf(e.BACKOFFICE_PACKS),
            durable: e.NATS_CONSUMER,
            batchSize: e.NATS_BATCH_SIZE,
            maxDeliver: e.NATS_MAX_DELIVER,
            ackWaitMs: e.NATS_ACK_WAIT_MS,
            createStream: e.NATS_CREATE_STREAM,
          },
    kafka:
      e.KAFKA_BROKERS === undefined || e.KAFKA_BROKERS.length === 0
        ? undefined
        : {
            brokers: e.KAFKA_BROKERS,
            topics: e.KAFKA_TOPICS ?? topicsOf(e.BACKOFFICE_PACKS),
            groupId: e.KAFKA_GROUP_ID,
            clientId: e.KAFKA_CLIENT_ID,
            batchSize: e.KAFKA_BATCH_SIZE,
            batchWaitMs: e.KAFKA_BATCH_WAIT_MS,
          },
    sandbox: demo
      ? {
          users: e.SANDBOX_USERS,
          transactions: e.SANDBOX_TRANSACTIONS,
          rate: e.SANDBOX_RATE,
          seed: e.SANDBOX_SEED,
        }
      : undefined,
  };
}
