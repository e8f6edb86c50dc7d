import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_TOPICS, topicForEventType } from '@backoffice/contracts';
import { signWebhook } from '@backoffice/contracts/webhook-signature';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { Agent, request } from 'undici';
import { int, parseBenchArgs } from './lib/args.ts';
import { DATA_DIR, eventBatches, eventFile } from './lib/events.ts';
import {
  adminQuery,
  createEmptyDatabase,
  createMigratedDatabase,
  databaseSize,
  databaseUrl,
  describePostgres,
  dropDatabase,
} from './lib/postgres.ts';
import {
  num,
  print,
  printEnvironment,
  printLoadAtEnd,
  progress,
  ratio,
  table,
} from './lib/report.ts';
import {
  WEBHOOK_SECRET,
  sampleRss,
  spread,
  startServer,
  type RssSample,
  type ServerProcess,
} from './lib/server.ts';

const USAGE = `bench/ingest — events/s through the webhook and through NATS JetStream, each into a fresh
database, and the rate of a raw COPY of the resulting rows into the same tables, in one run.

  node --import tsx bench/ingest.ts [--size small|medium|bench] [--events N] [--batch 1000] [--concurrency 2]

  --size         the generated stream (bench, the default: 1M users, 10M transactions, about 21M events;
                 medium: 100k users, 1M transactions, about 2.1M events; small: 10k users, 100k
                 transactions, about 210k events)
  --events N     only the first N events of the stream (a prefix; the output says which)
  --batch        events per webhook request and per NATS fetch (default 1000: INGEST_MAX_BATCH's default)
  --concurrency  webhook requests in flight (default 2)

NATS_URL (default nats://127.0.0.1:4222) and BENCH_POSTGRES_URL choose the servers; psql must be on PATH.`;

const args = parseBenchArgs(USAGE, {
  events: { type: 'string' },
  batch: { type: 'string' },
  concurrency: { type: 'string' },
});
const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const batchSize = int(args.batch, 'batch', 1_000);
const concurrency = int(args.concurrency, 'concurrency', 2);
const run = promisify(execFile);

/** Every table ingestion writes to (those left empty by a stream are skipped). */
const INGESTION_TABLES = [
  'processed_events',
  'event_log',
  'user_summaries',
  'user_sessions',
  'transaction_summaries',
  'budget_summaries',
  'entity_tombstones',
  'daily_transaction_metrics',
  'daily_transaction_users',
  'daily_user_metrics',
  'read_model_counters',
  'ingestion_source_stats',
  'audit_logs',
  'audit_event_links',
  'audit_checkpoints',
];

/**
 * The read model compared between the webhook and NATS databases: columns that record where an event
 * came from or when it was applied (now()) are left out.
 */
const COMPARED: Record<string, string> = {
  user_summaries: '*',
  user_sessions: '*',
  transaction_summaries: '*',
  budget_summaries: '*',
  entity_tombstones: '*',
  daily_transaction_metrics:
    'date, total_transactions, total_amount, income_amount, expense_amount, total_users',
  daily_transaction_users: '*',
  daily_user_metrics: '*',
  read_model_counters: '*',
};

interface PipelineResult {
  label: string;
  seconds: number;
  cpuSeconds: number;
  rss: RssSample[];
}

const file = await eventFile(args.size);
const total = Math.min(int(args.events, 'events', file.events), file.events);
const prefix = total < file.events;
const suffix = `${process.pid}`;
const databases = {
  webhook: `backoffice_bench_ingest_webhook_${suffix}`,
  nats: `backoffice_bench_ingest_nats_${suffix}`,
  copy: `backoffice_bench_ingest_copy_${suffix}`,
};

printEnvironment('bench/ingest', {
  postgres: await describePostgres(),
  extra: {
    NATS: `${NATS_URL} (${await natsVersion()})`,
    'event stream': `sandbox generator, ${num(file.users)} users, ${num(file.transactions)} transactions, seed ${file.seed}, ending ${file.end}: ${num(file.events)} events (${num(file.bytes / 2 ** 30, 1)} GiB NDJSON)`,
    'events used': prefix
      ? `the first ${num(total)} events (a prefix: --events ${total})`
      : `all ${num(total)} events`,
    'server process': `node --import tsx apps/server/src/main.ts, LOG_LEVEL=info, DATABASE_POOL_MAX=20 (default), RATE_LIMIT_MAX raised for the bench`,
    'webhook sender': `this process: batches of ${batchSize} events ({"events":[…]}, HMAC-signed), ${concurrency} requests in flight`,
  },
});

try {
  const webhook = await throughWebhook();
  const webhookSize = await databaseSize(databases.webhook);
  const copy = await rawCopy();
  const nats = await throughNats();
  const counts = await compare();
  report(webhook, nats, copy, counts, webhookSize);
} finally {
  for (const name of Object.values(databases)) await dropDatabase(name);
  fs.rmSync(copyDir(), { recursive: true, force: true });
}
printLoadAtEnd();

async function throughWebhook(): Promise<PipelineResult> {
  progress(`webhook: ${num(total)} events into ${databases.webhook}`);
  await createEmptyDatabase(databases.webhook);
  // No bootstrap Admin: this database holds what ingestion wrote, and nothing else.
  const server = await startServer(databases.webhook, {
    BACKOFFICE_BOOTSTRAP_ADMIN_EMAIL: '',
    BACKOFFICE_BOOTSTRAP_ADMIN_PASSWORD: '',
    INGEST_MAX_BATCH: String(batchSize),
  });
  const dispatcher = new Agent({ connections: concurrency, keepAliveTimeout: 60_000 });
  let done = 0;
  const rss = sampleRss(server, () => done);
  const reporter = setInterval(() => progress(`webhook: ${num(done)} / ${num(total)}`), 30_000);
  const cpuBefore = server.cpuSeconds();
  const started = performance.now();
  try {
    const batches = eventBatches(file.path, batchSize, total);
    const sender = async () => {
      for (let next = await batches.next(); next.done !== true; next = await batches.next()) {
        const body = `{"events":[${next.value.join(',')}]}`;
        const response = await request(`${server.url}/v1/ingest/events`, {
          method: 'POST',
          dispatcher,
          headers: { 'content-type': 'application/json', ...signWebhook(WEBHOOK_SECRET, body) },
          body,
          headersTimeout: 600_000,
          bodyTimeout: 600_000,
        });
        const text = await response.body.text();
        if (response.statusCode !== 202)
          throw new Error(`the webhook answered ${response.statusCode}: ${text.slice(0, 500)}`);
        const outcome = JSON.parse(text) as { accepted: number; rejected: unknown[] };
        if (outcome.rejected.length > 0 || outcome.accepted !== next.value.length)
          throw new Error(`events were not accepted: ${text.slice(0, 500)}`);
        done += next.value.length;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, sender));
    const seconds = (performance.now() - started) / 1000;
    return {
      label: `webhook: POST /v1/ingest/events, ${batchSize} events per request, ${concurrency} in flight`,
      seconds,
      cpuSeconds: server.cpuSeconds() - cpuBefore,
      rss: rss.stop(),
    };
  } finally {
    clearInterval(reporter);
    await dispatcher.close();
    await server.stop();
  }
}

async function throughNats(): Promise<PipelineResult> {
  const stream = `BACKOFFICE_BENCH_${suffix}`;
  const subjectPrefix = `bench${suffix}.`;
  const subjects = DEFAULT_TOPICS.map((topic) => `${subjectPrefix}${topic}`);
  const nc = await connect({ servers: NATS_URL, name: 'backoffice-bench' });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: stream, subjects });
  try {
    // The stream is filled first (as when the backoffice catches up with a backlog), so the figure is the
    // consumer's, not this process's publishing.
    progress(`NATS: publishing ${num(total)} events into the stream ${stream}`);
    const js = jetstream(nc);
    const publishStarted = performance.now();
    for await (const lines of eventBatches(file.path, 1_000, total)) {
      await Promise.all(
        lines.map((line) => {
          const type = /"event_type":"([^"]+)"/.exec(line)?.[1] ?? '';
          return js.publish(`${subjectPrefix}${topicForEventType(type) ?? 'users.events'}`, line);
        }),
      );
    }
    const publishSeconds = (performance.now() - publishStarted) / 1000;
    progress(`NATS: published in ${num(publishSeconds, 1)} s; consuming into ${databases.nats}`);

    await createEmptyDatabase(databases.nats);
    const counter = new pg.Pool({ connectionString: databaseUrl(databases.nats), max: 1 });
    let done = 0;
    let server: ServerProcess | undefined;
    try {
      server = await startServer(databases.nats, {
        BACKOFFICE_BOOTSTRAP_ADMIN_EMAIL: '',
        BACKOFFICE_BOOTSTRAP_ADMIN_PASSWORD: '',
        NATS_URL,
        NATS_STREAM: stream,
        NATS_SUBJECTS: subjects.join(','),
        NATS_CONSUMER: 'backoffice-bench',
        NATS_BATCH_SIZE: String(batchSize),
        NATS_CREATE_STREAM: 'false',
      });
      const rss = sampleRss(server, () => done);
      const cpuBefore = server.cpuSeconds();
      const started = performance.now();
      let lastProgress = started;
      let lastReport = started;
      while (done < total) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const { rows } = await counter.query<{ processed: string | null }>(
          `SELECT sum(processed + duplicates + dead_letters) AS processed FROM ingestion_source_stats`,
        );
        const now = Number(rows[0]?.processed ?? 0);
        if (now > done) lastProgress = performance.now();
        done = now;
        if (performance.now() - lastProgress > 120_000)
          throw new Error(`NATS ingestion stalled at ${done} of ${total} events`);
        if (performance.now() - lastReport > 30_000) {
          lastReport = performance.now();
          progress(`NATS: ${num(done)} / ${num(total)}`);
        }
      }
      const seconds = (performance.now() - started) / 1000;
      return {
        label: `NATS JetStream: durable pull consumer, fetches of ${batchSize} (stream filled beforehand at ${num(total / publishSeconds)} events/s)`,
        seconds,
        cpuSeconds: server.cpuSeconds() - cpuBefore,
        rss: rss.stop(),
      };
    } finally {
      await server?.stop();
      await counter.end();
    }
  } finally {
    await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
  }
}

interface CopyResult {
  seconds: number;
  bytes: number;
  rows: Map<string, number>;
}

function copyDir(): string {
  return path.join(DATA_DIR, `copy-${suffix}`);
}

/**
 * The baseline: the rows ingestion left in the webhook database, written to files (not timed), then
 * loaded with plain COPY (psql \copy, text format) into the same tables of a freshly migrated database
 * — same indexes, constraints and triggers — in one transaction.
 */
async function rawCopy(): Promise<CopyResult> {
  progress('raw COPY: exporting the webhook database’s rows');
  const dir = copyDir();
  fs.mkdirSync(dir, { recursive: true });
  const rows = new Map<string, number>();
  for (const name of INGESTION_TABLES) {
    const n = await count(databases.webhook, name);
    if (n > 0) rows.set(name, n);
  }
  let bytes = 0;
  const script: string[] = [];
  for (const name of rows.keys()) {
    const target = path.join(dir, `${name}.copy`);
    // Generated columns (audit_logs.search_text) are computed by the database on the way in.
    const [row] = await adminQuery<{ columns: string }>(
      `SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) AS columns FROM pg_attribute
       WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''`,
      [name],
      databaseUrl(databases.webhook),
    );
    const columns = row?.columns ?? '*';
    await psql(databases.webhook, ['-c', `\\copy (SELECT ${columns} FROM ${name}) TO '${target}'`]);
    bytes += fs.statSync(target).size;
    script.push(`\\copy ${name} (${columns}) FROM '${target}'`);
  }
  fs.writeFileSync(path.join(dir, 'load.sql'), `${script.join('\n')}\n`);
  await createMigratedDatabase(databases.copy);
  progress(`raw COPY: loading ${num(bytes / 2 ** 20)} MiB into ${databases.copy}`);
  const started = performance.now();
  await psql(databases.copy, ['--single-transaction', '-f', path.join(dir, 'load.sql')]);
  const seconds = (performance.now() - started) / 1000;
  for (const [name, n] of rows) {
    const copied = await count(databases.copy, name);
    if (copied !== n) throw new Error(`COPY left ${copied} rows in ${name}, expected ${n}`);
  }
  await dropDatabase(databases.copy);
  fs.rmSync(dir, { recursive: true, force: true });
  return { seconds, bytes, rows };
}

async function psql(database: string, args: string[]): Promise<void> {
  await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', databaseUrl(database), ...args], {
    maxBuffer: 16 << 20,
  });
}

async function count(database: string, name: string): Promise<number> {
  const [row] = await adminQuery<{ n: string }>(
    `SELECT count(*) AS n FROM ${name}`,
    [],
    databaseUrl(database),
  );
  return Number(row?.n ?? 0);
}

/** Row count and an order-independent digest of each read-model table, in both pipelines' databases. */
async function compare(): Promise<{ name: string; rows: number; same: boolean }[]> {
  const digest = async (database: string, name: string, columns: string) => {
    const [row] = await adminQuery<{ n: string; digest: string | null }>(
      `SELECT count(*) AS n, sum(('x' || substr(md5(r::text), 1, 15))::bit(60)::bigint)::text AS digest
       FROM (SELECT ${columns} FROM ${name}) r`,
      [],
      databaseUrl(database),
    );
    return `${row?.n ?? 0}:${row?.digest ?? ''}`;
  };
  const results = [];
  for (const [name, columns] of Object.entries(COMPARED)) {
    const [a, b] = await Promise.all([
      digest(databases.webhook, name, columns),
      digest(databases.nats, name, columns),
    ]);
    results.push({ name, rows: Number(a.split(':')[0]), same: a === b });
  }
  return results;
}

function report(
  webhook: PipelineResult,
  nats: PipelineResult,
  copy: CopyResult,
  counts: { name: string; rows: number; same: boolean }[],
  webhookSize: string,
): void {
  const copyRate = total / copy.seconds;
  const rssRange = (samples: RssSample[]) => {
    const values = samples.map((s) => s.rssMiB);
    return `${num(Math.min(...values))}–${num(Math.max(...values))}`;
  };
  print(`## Events/s, ${num(total)} events${prefix ? ' (a prefix of the stream)' : ''}`);
  print();
  table(
    ['path', 'seconds', 'events/s', 'vs raw COPY', 'server CPU s', 'server RSS MiB'],
    [
      [
        webhook.label,
        num(webhook.seconds, 1),
        num(total / webhook.seconds),
        ratio(total / webhook.seconds / copyRate),
        num(webhook.cpuSeconds, 1),
        rssRange(webhook.rss),
      ],
      [
        nats.label,
        num(nats.seconds, 1),
        num(total / nats.seconds),
        ratio(total / nats.seconds / copyRate),
        num(nats.cpuSeconds, 1),
        rssRange(nats.rss),
      ],
      [
        `baseline: raw COPY of the resulting ${num([...copy.rows.values()].reduce((a, b) => a + b, 0))} rows (${num(copy.bytes / 2 ** 20)} MiB, psql \\copy, one transaction) into the same tables`,
        num(copy.seconds, 1),
        num(copyRate),
        ratio(1),
        '',
        '',
      ],
    ],
  );
  const worst = Math.min(total / webhook.seconds, total / nats.seconds) / copyRate;
  print(
    `Target: each pipeline ≥ 0.25× the raw COPY rate — ${worst >= 0.25 ? 'met' : 'NOT met'} (slowest pipeline ${ratio(worst)}).`,
  );
  print();

  for (const result of [webhook, nats]) {
    print(`### Server memory over time — ${result.label.split(':')[0]}`);
    print();
    const samples = spread(result.rss, 12);
    table(
      samples.map((s) => `${num(s.seconds)} s`),
      [samples.map((s) => `${num(s.done)}`), samples.map((s) => `${num(s.rssMiB)} MiB`)],
    );
  }

  print('### Rows written (webhook database), and the read model of both pipelines compared');
  print();
  const compared = new Map(counts.map((c) => [c.name, c]));
  table(
    ['table', 'rows', 'webhook = NATS'],
    [...copy.rows.entries()].map(([name, rows]) => {
      const c = compared.get(name);
      return [
        name,
        num(rows),
        c === undefined ? '(not compared)' : c.same ? 'identical' : 'DIFFERENT',
      ];
    }),
  );
  print(`Webhook database size after ingestion: ${webhookSize}.`);
  print();
}

async function natsVersion(): Promise<string> {
  try {
    const nc = await connect({ servers: NATS_URL, name: 'backoffice-bench' });
    const version = nc.info?.version ?? '?';
    await nc.close();
    return `nats-server ${version}`;
  } catch (error) {
    throw new Error(`NATS is not reachable at ${NATS_URL}: ${(error as Error).message}`);
  }
}
