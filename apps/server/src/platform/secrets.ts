import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Secrets this installation generates for itself when the environment does not provide them (the
 * encryption key, and in demo mode the webhook secret, the service-token secret and the first admin's
 * password). Kept in `<BACKOFFICE_DATA_DIR>/secrets.json`, readable by its owner only, created once and
 * reused on every start, so sessions and encrypted data survive restarts.
 */
export class SecretStore {
  private constructor(
    private readonly file: string,
    private readonly values: Record<string, string>,
  ) {}

  static async open(dataDir: string): Promise<SecretStore> {
    const file = path.join(dataDir, 'secrets.json');
    await fs.mkdir(dataDir, { recursive: true });
    let values: Record<string, string> = {};
    try {
      values = JSON.parse(await fs.readFile(file, 'utf8')) as Record<string, string>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw new Error(`${file} is unreadable: ${(error as Error).message}`, { cause: error });
      }
    }
    return new SecretStore(file, values);
  }

  /** The stored value, or a new one from `generate`, persisted before it is returned. */
  async get(
    name: string,
    generate: () => string = () => randomBytes(32).toString('base64url'),
  ): Promise<string> {
    const existing = this.values[name];
    if (existing !== undefined) return existing;
    const value = generate();
    this.values[name] = value;
    const temporary = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(temporary, `${JSON.stringify(this.values, null, 2)}\n`, { mode: 0o600 });
    await fs.rename(temporary, this.file);
    return value;
  }
}

/**
 * The key that seals secrets at rest: BACKOFFICE_SECRET_KEY, or one generated once into the data
 * directory. Several instances on one database must share it, so with DATABASE_URL set we say so.
 */
export async function instanceSecretKey(
  config: Config,
  store: SecretStore,
  logger: Logger,
): Promise<Buffer> {
  if (config.secretKey !== undefined) return Buffer.from(config.secretKey, 'base64');
  if (config.database.url !== undefined) {
    logger.warn(
      'BACKOFFICE_SECRET_KEY is not set: using a key generated into the data directory. Instances sharing ' +
        'this database must share the key: set BACKOFFICE_SECRET_KEY (openssl rand -base64 32) on all of them.',
    );
  }
  return Buffer.from(await store.get('secretKey'), 'base64url');
}

/** The Ed25519 key that signs audit checkpoints: AUDIT_SIGNING_KEY_FILE, or generated once. */
export async function auditSigningKey(config: Config, store: SecretStore): Promise<string> {
  if (config.audit.signingKeyFile !== undefined)
    return fs.readFile(config.audit.signingKeyFile, 'utf8');
  return store.get('auditSigningKey', () =>
    generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  );
}
