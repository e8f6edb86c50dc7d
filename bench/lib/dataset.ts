import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../apps/server/src/app.ts';
import { loadConfig } from '../../apps/server/src/config.ts';
import { createLogger } from '../../apps/server/src/platform/observability/logger.ts';
import type { BatchOutcome } from '../../apps/server/src/platform/events/types.ts';
import { SIZES, type Size } from './args.ts';
import { eventBatches, eventFile, type EventFile } from './events.ts';
import pg from 'pg';
import {
  adminQuery,
  createEmptyDatabase,
  createMigratedDatabase,
  databaseExists,
  databaseUrl,
  dropDatabase,
  open,
  readMarker,
  writeMarker,
} from './postgres.ts';
import { num, progress } from './report.ts';

export const DATASET_DATABASES = {
  small: 'backoffice_bench_small',
  medium: 'backoffice_bench_medium',
  bench: 'backoffice_bench_1m',
} as const satisfies Record<Size, string>;

export interface Dataset {
  name: string;
  size: Size;
  users: number;
  transactions: number;
  /** Events ingested through the projector (for a scaled read model: those of the small one). */
  events: number;
  /** The end of the generated history. */
  end: string;
  loadedAt: string;
  loadSeconds: number;
  /** The bench read model is the small one, ingested, then replicated this many times by SQL. */
  scaledFrom?: { name: string; factor: number };
  complete: true;
}

/** Events per projector call while loading: the webhook's default maximum batch (INGEST_MAX_BATCH). */
const LOAD_BATCH = 1_000;

/** How many copies of the small read model make the bench one (10k → 1M users, 100k → 10M transactions). */
export const SCALE_FACTOR = SIZES.bench.users / SIZES.small.users;

/**
 * The read model of a size, built once and kept (`backoffice_bench_small`, `backoffice_bench_1m`):
 * search, dashboard and load read it, realtime works on a copy.
 *
 * The small one is built by the real ingestion code, in this process: the server's app (buildApp) with
 * its projector, fed the generator's events in batches of 1,000 exactly as the webhook route feeds it
 * (parsed envelopes, source "webhook") — only the HTTP hop is skipped. So every table (processed_events,
 * event_log, the read model, counters, the audit entries the audit projection writes) is what ingestion
 * produces. Then VACUUM ANALYZE, as autovacuum would eventually do.
 *
 * The bench one (1M users, 10M transactions) would take the projector about an hour on a 2-core machine
 * (≈ 21M events at ≈ 7k events/s), so it is the small read model replicated SCALE_FACTOR times by SQL
 * (see scaleUp): the same users, sessions, transactions and budgets under new ids (emails get a `+k`
 * tag), and the counters and daily aggregates multiplied accordingly. Its event log, processed events and
 * audit trail stay those of the small one. A database without the completion marker is rebuilt.
 */
export async function loadedDataset(size: Size): Promise<Dataset> {
  const name = DATASET_DATABASES[size];
  const marker = await readMarker<Dataset>(name);
  if (marker?.complete === true && (await databaseExists(name))) return marker;
  if (size === 'bench') return scaledDataset(await loadedDataset('small'));

  const file = await eventFile(size);
  progress(
    `loading ${num(file.events)} events into ${name} through the projector (once; kept for later runs)`,
  );
  await dropDatabase(name);
  await createMigratedDatabase(name);
  const started = performance.now();
  await ingestInProcess(name, file);
  const loadSeconds = (performance.now() - started) / 1000;
  progress(`loaded in ${num(loadSeconds)} s; VACUUM ANALYZE`);
  await adminQuery('VACUUM ANALYZE', [], databaseUrl(name));
  const dataset: Dataset = {
    name,
    size,
    users: SIZES[size].users,
    transactions: SIZES[size].transactions,
    events: file.events,
    end: file.end,
    loadedAt: new Date().toISOString(),
    loadSeconds,
    complete: true,
  };
  await writeMarker(name, dataset);
  return dataset;
}

/** One line describing a read model, for the reports. */
export function describeDataset(dataset: Dataset, size: string): string {
  const base = `${dataset.name} (${size}): ${num(dataset.users)} users, ${num(dataset.transactions)} transactions`;
  return dataset.scaledFrom === undefined
    ? `${base}, from ${num(dataset.events)} generated events ingested through the projector`
    : `${base}: ${dataset.scaledFrom.name} (${num(dataset.events)} generated events ingested through the projector) replicated ${dataset.scaledFrom.factor}× by SQL (new ids, emails tagged +k; counters and daily aggregates multiplied); event log and audit trail not replicated`;
}

/**
 * The k-th copy's id of an entity: derived from the original id and k, in the UUID version 4 format (the
 * API's schemas check it), so the entity and the rows that refer to it get the same one.
 */
const copyId = (column: string) =>
  `overlay(overlay(md5(${column}::text || ':' || k) placing '4' from 13) placing '8' from 17)::uuid`;

/** Per table: the columns rewritten in the k-th copy (k = 1 … factor − 1); the others are copied as they are. */
const REPLICATED: Record<string, Record<string, string>> = {
  user_summaries: {
    id: copyId('id'),
    email:
      "CASE WHEN email IS NULL THEN NULL ELSE split_part(email, '@', 1) || '+' || k || '@' || split_part(email, '@', 2) END",
  },
  user_sessions: { session_id: "session_id || '~' || k", user_id: copyId('user_id') },
  transaction_summaries: { id: copyId('id'), user_id: copyId('user_id') },
  budget_summaries: { id: copyId('id'), user_id: copyId('user_id') },
  entity_tombstones: { entity_id: `${copyId('entity_id')}::text` },
  daily_transaction_users: { user_id: copyId('user_id') },
};

async function scaledDataset(small: Dataset): Promise<Dataset> {
  const name = DATASET_DATABASES.bench;
  progress(
    `building ${name}: ${small.name} replicated ${SCALE_FACTOR}× by SQL (once; kept for later runs)`,
  );
  await dropDatabase(name);
  await createEmptyDatabase(name, small.name);
  const started = performance.now();
  await scaleUp(name, SCALE_FACTOR);
  const loadSeconds = (performance.now() - started) / 1000;
  progress(`built in ${num(loadSeconds)} s`);
  const dataset: Dataset = {
    ...small,
    name,
    size: 'bench',
    users: small.users * SCALE_FACTOR,
    transactions: small.transactions * SCALE_FACTOR,
    loadedAt: new Date().toISOString(),
    loadSeconds,
    scaledFrom: { name: small.name, factor: SCALE_FACTOR },
  };
  await writeMarker(name, dataset);
  return dataset;
}

/**
 * Adds factor − 1 copies of every row of the entity tables (indexes dropped first and rebuilt after,
 * as a bulk load does), multiplies the counters and daily aggregates, then VACUUM ANALYZE.
 */
async function scaleUp(name: string, factor: number): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(name) });
  await client.connect();
  try {
    await client.query("SET maintenance_work_mem = '512MB'");
    await client.query('SET synchronous_commit = off');
    for (const [table, rewritten] of Object.entries(REPLICATED)) {
      const started = performance.now();
      const { rows: indexes } = await client.query<{ name: string; definition: string }>(
        `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
         WHERE schemaname = 'public' AND tablename = $1
           AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = $1::regclass)`,
        [table],
      );
      const { rows: constraints } = await client.query<{ name: string; definition: string }>(
        `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
         WHERE conrelid = $1::regclass AND contype IN ('p', 'u')`,
        [table],
      );
      const { rows: columns } = await client.query<{ name: string }>(
        `SELECT attname AS name FROM pg_attribute
         WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
         ORDER BY attnum`,
        [table],
      );
      for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
      for (const constraint of constraints)
        await client.query(`ALTER TABLE ${table} DROP CONSTRAINT ${constraint.name}`);
      const list = columns.map((c) => `"${c.name}"`).join(', ');
      const values = columns.map((c) => rewritten[c.name] ?? `"${c.name}"`).join(', ');
      const { rowCount } = await client.query(
        `INSERT INTO ${table} (${list}) SELECT ${values} FROM ${table}, generate_series(1, ${factor - 1}) AS k`,
      );
      for (const constraint of constraints)
        await client.query(
          `ALTER TABLE ${table} ADD CONSTRAINT ${constraint.name} ${constraint.definition}`,
        );
      for (const index of indexes) await client.query(index.definition);
      progress(
        `${table}: +${num(rowCount ?? 0)} rows, ${indexes.length + constraints.length} indexes rebuilt, ${num((performance.now() - started) / 1000)} s`,
      );
    }
    await client.query(
      `UPDATE daily_transaction_metrics SET total_transactions = total_transactions * $1,
         total_amount = total_amount * $1, income_amount = income_amount * $1,
         expense_amount = expense_amount * $1, total_users = total_users * $1`,
      [factor],
    );
    await client.query('UPDATE daily_user_metrics SET registrations = registrations * $1', [
      factor,
    ]);
    await client.query('UPDATE read_model_counters SET value = value * $1', [factor]);
    await client.query(
      `UPDATE dashboard_snapshots SET value = to_jsonb(value::text::bigint * $1)
       WHERE jsonb_typeof(value) = 'number'`,
      [factor],
    );
    progress('VACUUM ANALYZE');
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

async function ingestInProcess(name: string, file: EventFile): Promise<void> {
  const { app, close } = await inProcessApp(name);
  try {
    // Two batches in flight: the next one is parsed and validated while the previous one commits.
    const inFlight: Promise<BatchOutcome>[] = [];
    let done = 0;
    let lastReport = performance.now();
    const settle = async () => {
      const outcome = await inFlight.shift();
      if (outcome !== undefined && outcome.rejected.length > 0)
        throw new Error(`events were rejected: ${JSON.stringify(outcome.rejected.slice(0, 3))}`);
    };
    for await (const lines of eventBatches(file.path, LOAD_BATCH)) {
      const messages = lines.map((line) => ({
        body: JSON.parse(line) as unknown,
        position: { source: 'webhook' as const },
      }));
      inFlight.push(app.projector.ingest(messages));
      if (inFlight.length >= 2) await settle();
      done += lines.length;
      if (performance.now() - lastReport > 30_000) {
        lastReport = performance.now();
        progress(`${num(done)} / ${num(file.events)} events`);
      }
    }
    while (inFlight.length > 0) await settle();
  } finally {
    await close();
  }
}

/**
 * The server's application in this process, on a database (not listening): the real projector and
 * its projections, wired as in production.
 */
export async function inProcessApp(
  name: string,
): Promise<{ app: FastifyInstance; close: () => Promise<void> }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backoffice-bench-app-'));
  const config = loadConfig({
    DATABASE_URL: databaseUrl(name),
    BACKOFFICE_SANDBOX: 'off',
    LOG_LEVEL: 'error',
    AUTH_MFA_REQUIRED_ROLES: 'none',
    BACKOFFICE_DATA_DIR: dataDir,
    WEB_UI_DIR: path.join(dataDir, 'no-web-ui'),
  });
  const handle = open(name, 4);
  const app = await buildApp({
    config,
    logger: createLogger({ level: 'error' }),
    db: handle.db,
    pool: handle.pool,
    secretKey: randomBytes(32),
    auditSigningKeyPem: generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString(),
  });
  await app.ready();
  return {
    app,
    async close() {
      await app.close();
      await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
