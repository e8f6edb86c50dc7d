import { generateKeyPairSync, randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { buildApp, type AppOptions } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Database } from '../../src/platform/db/database.ts';
import { createLogger } from '../../src/platform/observability/logger.ts';

export const TEST_AUDIT_KEY = generateKeyPairSync('ed25519')
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

/** Log lines the app wrote, parsed, for tests that check what is (and is not) logged. */
export class LogCapture extends Writable {
  readonly lines: Record<string, unknown>[] = [];
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() !== '') this.lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    callback();
  }
}

export interface TestApp {
  app: FastifyInstance;
  logs: LogCapture;
  config: Config;
}

/**
 * The real application on a test database, not listening (call it with `app.inject`). `env` overrides
 * configuration the way the environment would. Routes can still be added before the first request.
 */
export async function buildTestApp(
  database: { db: Database; pool: pg.Pool },
  env: Record<string, string> = {},
  options: Pick<AppOptions, 'features'> = {},
): Promise<TestApp> {
  // Tests that exercise the second-factor policy set AUTH_MFA_REQUIRED_ROLES themselves.
  const config = loadConfig({
    LOG_LEVEL: 'info',
    AUTH_MFA_REQUIRED_ROLES: 'none',
    // Demo mode's defaults (first admin, no MFA at sign-in) are main.ts's business, not the app's.
    BACKOFFICE_SANDBOX: 'off',
    BACKOFFICE_DATA_DIR: path.join(os.tmpdir(), `backoffice-test-data-${process.pid}`),
    // No admin UI unless a test serves one: unknown paths answer 404, as the API does.
    WEB_UI_DIR: path.join(os.tmpdir(), 'backoffice-no-web-ui'),
    ...env,
  });
  const logs = new LogCapture();
  const logger = createLogger({ level: config.logLevel, destination: logs });
  const app = await buildApp({
    config,
    logger,
    db: database.db,
    pool: database.pool,
    secretKey: randomBytes(32),
    auditSigningKeyPem: TEST_AUDIT_KEY,
    ...options,
  });
  return { app, logs, config };
}
