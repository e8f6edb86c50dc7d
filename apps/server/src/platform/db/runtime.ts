import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import { createDatabase, waitForDatabase, type DatabaseHandle } from './database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '@backoffice/embedded-pg';

export interface DatabaseRuntime {
  database: DatabaseHandle;
  /** Present when no DATABASE_URL was given and we run PostgreSQL ourselves. */
  embedded: EmbeddedPostgresHandle | undefined;
  /** Closes the pool, then stops the embedded server if this process owns it. */
  close(): Promise<void>;
}

/** DATABASE_URL → that server; unset → the embedded PostgreSQL in BACKOFFICE_DATA_DIR/postgres. */
export async function openDatabase(config: Config, logger: Logger): Promise<DatabaseRuntime> {
  let url = config.database.url;
  let embedded: EmbeddedPostgresHandle | undefined;
  if (url === undefined) {
    embedded = await startEmbeddedPostgres({
      dir: path.join(config.dataDir, 'postgres'),
      port: config.embeddedPostgres.port,
      settings: config.embeddedPostgres.settings,
      log: (message) => logger.info({ component: 'embedded-postgres' }, message),
    });
    url = embedded.url;
  }
  try {
    await waitForDatabase(url, config.database.connectTimeoutMs);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const database = createDatabase(url, { poolMax: config.database.poolMax });
  return {
    database,
    embedded,
    async close() {
      await database.close();
      await embedded?.stop();
    },
  };
}
