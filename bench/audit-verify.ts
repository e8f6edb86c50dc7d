import { createHash } from 'node:crypto';
import pg from 'pg';
import { canonicalJson, GENESIS_HASH } from '../apps/server/src/platform/audit/chain.ts';
import { verifyAuditChain } from '../apps/server/src/platform/audit/verify.ts';
import { hashedEntryOf, type AuditRow } from '../apps/server/src/platform/audit/writer.ts';
import { fillAuditChain } from '../apps/server/test/helpers/audit-fill.ts';
import { int, parseBenchArgs } from './lib/args.ts';
import {
  adminQuery,
  createMigratedDatabase,
  databaseExists,
  databaseSize,
  databaseUrl,
  describePostgres,
  dropDatabase,
  open,
  readMarker,
  writeMarker,
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
import { median } from './lib/stats.ts';

const USAGE = `bench/audit-verify — verify speed (entries/s) of the audit hash chain, against a raw SELECT
streaming the same rows and a bare SHA-256 over the same bytes.

  node --import tsx bench/audit-verify.ts [--size small|bench] [--runs 3]

  --size   bench: 1,000,000 entries (default); small (or medium): 100,000
  --runs   measurements of each kind; the median is reported (default 3)

The chain is built once with fillAuditChain (apps/server/test/helpers/audit-fill.ts: entries hashed
exactly as the writer hashes them) into backoffice_bench_audit_<size> and kept.`;

const args = parseBenchArgs(USAGE, { runs: { type: 'string' } });
const runs = int(args.runs, 'runs', 3);
const entries = args.size === 'bench' ? 1_000_000 : 100_000;
const name = `backoffice_bench_audit_${args.size === 'bench' ? '1m' : 'small'}`;
/** The verifier's batch size (verify.ts default). */
const BATCH = 5_000;
const COLUMNS = `seq, id, at, actor_type, actor_id, actor_email, action, resource_type, resource_id,
  outcome, reason, before, after, ip, user_agent, correlation_id, event_id, metadata, prev_hash, hash`;

await ensureChain();
printEnvironment('bench/audit-verify', {
  postgres: await describePostgres(),
  extra: {
    chain: `${num(entries)} entries in ${name} (${await databaseSize(name)}), built by fillAuditChain`,
    verifier: `verifyAuditChain (apps/server/src/platform/audit/verify.ts) in this process — what \`backoffice verify-audit\` and the verify job run — batches of ${num(BATCH)}`,
    runs: `${runs} of each, alternating; medians reported`,
  },
});

const handle = open(name, 2);
const client = new pg.Client({ connectionString: databaseUrl(name) });
await client.connect();
const timings = {
  verify: [] as number[],
  select: [] as number[],
  sha: [] as number[],
  cpu: [] as number[],
};
try {
  for (let run = 1; run <= runs; run++) {
    progress(`run ${run}/${runs}`);
    timings.verify.push(await timeVerify());
    timings.select.push(await timeSelect());
    const { sha, cpu } = await timeHashing();
    timings.sha.push(sha);
    timings.cpu.push(cpu);
  }
} finally {
  await client.end();
  await handle.close();
}

const rate = (seconds: number[]) => entries / median(seconds);
const verifyRate = rate(timings.verify);
print(`## Audit chain verification, ${num(entries)} entries (median of ${runs})`);
print();
table(
  ['what', 'seconds', 'entries/s', 'verify ÷ this'],
  [
    [
      'verify: verifyAuditChain (SELECT in batches, canonical JSON, SHA-256 chain, checks)',
      num(median(timings.verify), 2),
      num(verifyRate),
      ratio(1),
    ],
    [
      `baseline: raw SELECT of the same rows and columns (pg, keyset batches of ${num(BATCH)})`,
      num(median(timings.select), 2),
      num(rate(timings.select)),
      ratio(verifyRate / rate(timings.select)),
    ],
    [
      'baseline: bare SHA-256 chain over the same canonical bytes (no database, no JSON)',
      num(median(timings.sha), 2),
      num(rate(timings.sha)),
      ratio(verifyRate / rate(timings.sha)),
    ],
    [
      'for reference: canonical JSON + SHA-256 (the verifier’s CPU work, rows already in memory)',
      num(median(timings.cpu), 2),
      num(rate(timings.cpu)),
      ratio(verifyRate / rate(timings.cpu)),
    ],
  ],
);
print(
  `All runs (s): verify ${timings.verify.map((s) => num(s, 2)).join(', ')}; SELECT ${timings.select.map((s) => num(s, 2)).join(', ')}; SHA-256 ${timings.sha.map((s) => num(s, 2)).join(', ')}.`,
);
print();
printLoadAtEnd();

async function ensureChain(): Promise<void> {
  const marker = await readMarker<{ entries: number; complete: boolean }>(name);
  if (marker?.complete === true && marker.entries === entries && (await databaseExists(name)))
    return;
  progress(`building a chain of ${num(entries)} entries in ${name} (once; kept for later runs)`);
  await dropDatabase(name);
  await createMigratedDatabase(name);
  const db = open(name, 2);
  try {
    await fillAuditChain(db.db, entries, 5_000);
  } finally {
    await db.close();
  }
  await adminQuery('VACUUM ANALYZE audit_logs', [], databaseUrl(name));
  await writeMarker(name, { entries, complete: true });
}

async function timeVerify(): Promise<number> {
  const started = performance.now();
  const result = await verifyAuditChain(handle.db, { batchSize: BATCH });
  const seconds = (performance.now() - started) / 1000;
  if (!result.ok || result.checked !== entries)
    throw new Error(`verification failed: ${JSON.stringify(result)}`);
  return seconds;
}

/** The verifier's query, batch by batch, doing nothing with the rows. */
async function* batches(): AsyncGenerator<AuditRow[]> {
  for (let from = 1; ;) {
    const { rows } = await client.query<AuditRow>(
      `SELECT ${COLUMNS} FROM audit_logs WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT $3`,
      [from, entries, BATCH],
    );
    if (rows.length === 0) return;
    yield rows;
    from = (rows.at(-1)?.seq ?? entries) + 1;
  }
}

async function timeSelect(): Promise<number> {
  const started = performance.now();
  let n = 0;
  for await (const rows of batches()) n += rows.length;
  if (n !== entries) throw new Error(`SELECT streamed ${n} rows, expected ${entries}`);
  return (performance.now() - started) / 1000;
}

/** Times only the hashing (bare), and canonical JSON + hashing, over rows already fetched. */
async function timeHashing(): Promise<{ sha: number; cpu: number }> {
  let sha = 0;
  let cpu = 0;
  let previous = GENESIS_HASH;
  let previousForCpu = GENESIS_HASH;
  for await (const rows of batches()) {
    let started = performance.now();
    for (const row of rows) {
      const hash = createHash('sha256')
        .update(previousForCpu, 'utf8')
        .update(canonicalJson(hashedEntryOf({ ...row, search_text: '' })), 'utf8')
        .digest('hex');
      if (hash !== row.hash) throw new Error(`entry ${row.seq} does not match its hash`);
      previousForCpu = hash;
    }
    cpu += performance.now() - started;
    const texts = rows.map((row) => canonicalJson(hashedEntryOf({ ...row, search_text: '' })));
    started = performance.now();
    for (const text of texts)
      previous = createHash('sha256').update(previous, 'utf8').update(text, 'utf8').digest('hex');
    sha += performance.now() - started;
  }
  if (previous !== previousForCpu) throw new Error('the two hash walks disagree');
  return { sha: sha / 1000, cpu: cpu / 1000 };
}
