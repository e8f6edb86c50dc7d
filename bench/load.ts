import { UserListQuerySchema } from '@backoffice/contracts';
import { AuditRepository } from '../apps/server/src/features/audit/audit.repository.ts';
import { DashboardRepository } from '../apps/server/src/features/dashboard/dashboard.repository.ts';
import { DashboardService } from '../apps/server/src/features/dashboard/dashboard.service.ts';
import { UsersRepository } from '../apps/server/src/features/users/users.repository.ts';
import { UsersService } from '../apps/server/src/features/users/users.service.ts';
import { PiiRevealsRepository } from '../apps/server/src/platform/auth/pii-reveals.repository.ts';
import { int, parseBenchArgs } from './lib/args.ts';
import { describeDataset, loadedDataset } from './lib/dataset.ts';
import { HttpClient } from './lib/http.ts';
import { databaseSize, describePostgres, open, postgresCpuSeconds } from './lib/postgres.ts';
import {
  ms,
  num,
  print,
  printEnvironment,
  printLoadAtEnd,
  progress,
  ratio,
  table,
} from './lib/report.ts';
import { signIn, startBareFastify, startServer, type BareProcess } from './lib/server.ts';
import { Samples, seededRandom, type Summary } from './lib/stats.ts';

const USAGE = `bench/load — concurrent authenticated clients, each with its own session, mixing user searches,
user details and dashboard reads against the real server (a separate process) for a fixed time:
throughput, latency p50/p95/p99 over every answer, and errors. In the same run, two baselines driven the
same way: the same mix as raw SQL (the server's own repository calls, in this process, on a pool of the
server's size: what the database alone can serve) and bare Fastify (one route answering JSON of the same
mean size, no database).

  node --import tsx bench/load.ts [--size bench|small] [--clients 1000] [--duration 60] [--warmup 5]
                                  [--think 0] [--targets backoffice,sql,bare] [--mix all|dashboard]
                                  [--server-env NAME=value,…]

  --size      the read model: bench (default): 1M users, 10M transactions; small: 10k users
  --clients   concurrent clients, each a keep-alive connection with its own session (default 1000)
  --duration  timed seconds per target (default 60)
  --warmup    seconds of the same load before the timed window, not counted (default 5; with think time,
              at least two mean think times, so the clients' start is spread out)
  --think     mean think time per client between an answer and its next request, in seconds, drawn from an
              exponential distribution (default 0: no think time, the server's saturated throughput)
  --targets   which of the three to drive (default all three)
  --server-env  settings for the server process, e.g. AUTH_SESSION_CACHE_SECONDS=0 to measure a lever off
  --mix       all (default): the mix below; dashboard: dashboard metrics only (against bare Fastify, the
              ceiling of a document served from memory)

Mix: 50% searches (10 variants), 30% user details (the 360° view of a random user), 20% dashboard metrics.`;

const args = parseBenchArgs(USAGE, {
  clients: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  think: { type: 'string' },
  targets: { type: 'string' },
  mix: { type: 'string' },
  'server-env': { type: 'string' },
});
const serverEnv = Object.fromEntries(
  ((args['server-env'] as string | undefined) ?? '')
    .split(',')
    .filter((pair) => pair.includes('='))
    .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
);
const mixName = (args.mix as string | undefined) ?? 'all';
if (mixName !== 'all' && mixName !== 'dashboard') throw new Error('--mix takes all or dashboard');
const clientCount = int(args.clients, 'clients', 1_000);
const duration = int(args.duration, 'duration', 60);
const thinkSeconds = Number(args.think ?? 0);
if (!Number.isFinite(thinkSeconds) || thinkSeconds < 0)
  throw new Error('--think must be a number of seconds, 0 or more');
const warmup = Math.max(int(args.warmup, 'warmup', 5), Math.ceil(2 * thinkSeconds));
if (clientCount < 1 || duration < 1) throw new Error('--clients and --duration must be at least 1');
const TARGETS = ['backoffice', 'sql', 'bare'] as const;
type TargetName = (typeof TARGETS)[number];
const targets = ((args.targets as string | undefined) ?? TARGETS.join(','))
  .split(',')
  .map((t) => t.trim()) as TargetName[];
if (targets.length === 0 || targets.some((t) => !TARGETS.includes(t)))
  throw new Error(`--targets takes a list of ${TARGETS.join(', ')}`);

type Kind = 'search' | 'details' | 'dashboard' | 'bare';
interface Request {
  kind: Kind;
  path: string;
  token?: string;
}
interface Answer {
  /** The HTTP status, or the error's code when there was no answer. */
  status: string;
  ms: number;
  bytes: number;
}
interface Target {
  label: string;
  send(request: Request): Promise<Answer>;
  cpuSeconds(): number;
  rssMiB(): number;
  close(): Promise<void>;
}
interface KindResult {
  /** Every answer, errors included: what a person waits. */
  all: Samples;
  /** Only the 200s. */
  ok: Samples;
  errors: number;
  bytes: number;
}
interface Result {
  label: string;
  seconds: number;
  all: Summary;
  ok: Summary;
  byKind: Map<Kind, KindResult>;
  errors: number;
  statuses: Map<string, number>;
  meanBytes: number;
  targetCpu: number;
  clientCpu: number;
  postgresCpu: number;
  rssMiB: number;
  loggedErrors?: Map<string, number>;
}

/** A staff id for the raw-SQL side's reveal look-ups (no such staff: the look-up finds nothing, as for an Admin). */
const BENCH_VIEWER = '00000000-0000-4000-8000-000000000b0b';
const POOL_MAX = 20; // the server's DATABASE_POOL_MAX default, and the raw-SQL side's pool
const dataset = await loadedDataset(args.size);
printEnvironment('bench/load', {
  postgres: await describePostgres(),
  extra: {
    'read model': describeDataset(dataset, await databaseSize(dataset.name)),
    server: `a separate process (apps/server/src/main.ts), LOG_LEVEL=info (a log line per request, to a file), DATABASE_POOL_MAX=${POOL_MAX} (default), RATE_LIMIT_MAX raised${
      Object.keys(serverEnv).length > 0
        ? `; ${Object.entries(serverEnv)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}`
        : ''
    }`,
    'raw SQL': `the same mix as the repository calls the server's services make (UsersRepository.page + total, UsersService.detail, DashboardService.computeMetrics — the dashboard computed for every request, as the server does not), in this process on a pool of ${POOL_MAX}: no HTTP, no auth, no serialisation`,
    'bare Fastify':
      'a separate process (bench/lib/bare-fastify.ts): GET /bare returns a JSON document of the backoffice’s mean response size; no logger, no auth, no database',
    clients: `${num(clientCount)} concurrent clients in this process (undici, one keep-alive connection each), each signed in with its own session (sign-ins not timed); ${thinkSeconds === 0 ? 'no think time' : `think time exponential with a mean of ${thinkSeconds} s`}; ${warmup} s warm-up, then ${duration} s timed, per target`,
    mix:
      mixName === 'dashboard'
        ? 'dashboard metrics only'
        : '50% searches (10 variants: email prefix, last name, exact email, id, state/role filters, date window, sorts, first page), 30% user details (360° view), 20% dashboard metrics',
    latency:
      'over every answer in the timed window, errors included (the ok columns: 200s only); CPU seconds within the timed window; PostgreSQL CPU summed over its processes (/proc)',
  },
});

const questions = await drawQuestions();
const results: Result[] = [];
const mix = (random: () => number, token?: string): Request => {
  const r = mixName === 'dashboard' ? 1 : random();
  if (r < 0.5) return { kind: 'search', path: pick(questions.searches, random), token };
  if (r < 0.8)
    return { kind: 'details', path: `/v1/admin/users/${pick(questions.ids, random)}`, token };
  return { kind: 'dashboard', path: '/v1/admin/dashboard/metrics', token };
};

if (targets.includes('backoffice')) {
  const server = await startServer(dataset.name, {
    DATABASE_POOL_MAX: String(POOL_MAX),
    ...serverEnv,
  });
  try {
    progress(`signing in ${num(clientCount)} sessions`);
    const tokens = await signInMany(server.url, clientCount);
    const random = seededRandom(7);
    const result = await drive(httpTarget('backoffice', server), (client) =>
      mix(random, tokens[client]),
    );
    result.loggedErrors = server.loggedErrors();
    results.push(result);
  } finally {
    await server.stop();
  }
}

if (targets.includes('sql')) {
  const random = seededRandom(7);
  results.push(await drive(sqlTarget(), () => mix(random)));
}

if (targets.includes('bare')) {
  const meanBytes = results.find((r) => r.label === 'backoffice')?.meanBytes ?? 4_000;
  const bare = await startBareFastify(Math.round(meanBytes));
  try {
    results.push(
      await drive(httpTarget('bare Fastify', bare), () => ({ kind: 'bare', path: '/bare' })),
    );
  } finally {
    await bare.stop();
  }
}

report(results);
printLoadAtEnd();

function pick<T>(values: readonly T[], random: () => number): T {
  return values[Math.floor(random() * values.length)] as T;
}

/** Sessions for the bench Admin, 8 sign-ins at a time (each costs an argon2id verification). */
async function signInMany(url: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        next++;
        tokens.push(await signIn(url));
      }
    }),
  );
  return tokens;
}

/** Search query strings and user ids, drawn from the data (fixed: every run asks the same). */
async function drawQuestions(): Promise<{ searches: string[]; ids: string[] }> {
  const database = open(dataset.name, 1);
  try {
    const { rows } = await database.pool.query<{ id: string; email: string; name: string }>(
      `SELECT id, email, coalesce(name, '') AS name FROM user_summaries
       WHERE email IS NOT NULL AND name IS NOT NULL AND md5(id::text) < '08' LIMIT 2000`,
    );
    const end = new Date(dataset.end).getTime();
    const day = 86_400_000;
    const searches: string[] = [];
    const query = (q: Record<string, string>) =>
      `/v1/admin/users?${new URLSearchParams(q).toString()}`;
    rows.slice(0, 100).forEach((u, i) => {
      const lastName = u.name.split(' ').at(-1) ?? u.name;
      const from = end - ((i % 12) * 30 + 30) * day;
      searches.push(
        query({ q: u.email.slice(0, 6) }),
        query({ q: lastName }),
        query({ q: u.email }),
        query({ q: u.id }),
        query({ q: lastName, state: 'Active', sort: 'email' }),
        query({
          registeredFrom: new Date(from).toISOString(),
          registeredTo: new Date(from + 30 * day).toISOString(),
        }),
        query(i % 2 === 0 ? { state: 'Blocked' } : { role: 'Staff' }),
        query({ sort: i % 2 === 0 ? 'email' : '-lastLoginAt' }),
        query({ activeWithinDays: '7' }),
        query({}),
      );
    });
    return { searches, ids: rows.map((u) => u.id) };
  } finally {
    await database.close();
  }
}

function httpTarget(
  label: string,
  process: Pick<BareProcess, 'url' | 'cpuSeconds' | 'rssMiB'>,
): Target {
  const http = new HttpClient(process.url, clientCount);
  return {
    label,
    async send(request) {
      const started = performance.now();
      try {
        const response = await http.get(request.path, request.token);
        return { status: String(response.status), ms: response.ms, bytes: response.body.length };
      } catch (error) {
        const status = (error as { code?: string }).code ?? (error as Error).name;
        return { status, ms: performance.now() - started, bytes: 0 };
      }
    },
    cpuSeconds: () => process.cpuSeconds(),
    rssMiB: () => process.rssMiB(),
    close: () => http.close(),
  };
}

/**
 * The mix as the server's services query it, in this process: the ceiling the database sets. The
 * answer is serialised only to count its bytes (not timed apart: JSON.stringify is part of any API).
 */
function sqlTarget(): Target {
  const database = open(dataset.name, POOL_MAX);
  const users = new UsersRepository(database.db);
  const service = new UsersService(
    database.db,
    users,
    new AuditRepository(database.db),
    undefined as never, // the audit writer and the upstream clients: reads use neither
    undefined as never,
    new PiiRevealsRepository(database.db),
    15,
  );
  const dashboard = new DashboardService(
    new DashboardRepository(database.db),
    undefined as never, // the upstream clients: metrics do not use them
    { catchingUp: () => null } as never,
  );
  const answer = async (request: Request): Promise<unknown> => {
    switch (request.kind) {
      case 'search': {
        const query = UserListQuerySchema.parse(
          Object.fromEntries(new URL(request.path, 'http://x').searchParams),
        );
        const { sort, page, limit, cursor, ...filter } = query;
        return service.list(filter, sort, page, limit, cursor);
      }
      case 'details':
        // The server looks up the viewer's reveal of this user on every detail: so does this side.
        return service.detail(request.path.split('/').at(-1) as string, BENCH_VIEWER);
      case 'dashboard':
        // Computed for every request: the queries the server's cached document saves.
        return dashboard.computeMetrics();
      case 'bare':
        throw new Error('not a raw-SQL request');
    }
  };
  return {
    label: 'raw SQL',
    async send(request) {
      const started = performance.now();
      try {
        const body = JSON.stringify(await answer(request));
        return { status: '200', ms: performance.now() - started, bytes: body.length };
      } catch (error) {
        const status = (error as { code?: string }).code ?? (error as Error).name;
        return { status, ms: performance.now() - started, bytes: 0 };
      }
    },
    cpuSeconds: () => {
      const cpu = process.cpuUsage();
      return (cpu.user + cpu.system) / 1e6;
    },
    rssMiB: () => process.memoryUsage().rss / 2 ** 20,
    close: () => database.close(),
  };
}

/**
 * `clientCount` loops, each on its own connection, until warm-up + duration are over; a request counts
 * when it completes inside the timed window. With think time, each client first waits a drawn think
 * time, so that the clients do not all start at once.
 */
async function drive(target: Target, next: (client: number) => Request): Promise<Result> {
  const label = target.label;
  progress(`${label}: ${num(clientCount)} clients, ${warmup} s warm-up + ${duration} s timed`);
  const all = new Samples();
  const ok = new Samples();
  const byKind = new Map<Kind, KindResult>();
  const statuses = new Map<string, number>();
  let errors = 0;
  let bytes = 0;
  const started = performance.now();
  const windowStart = started + warmup * 1000;
  const windowEnd = windowStart + duration * 1000;
  let targetCpu = 0;
  let postgresCpu = 0;
  let clientCpu = process.cpuUsage();
  const markWindow = setTimeout(() => {
    targetCpu = target.cpuSeconds();
    postgresCpu = postgresCpuSeconds();
    clientCpu = process.cpuUsage();
  }, warmup * 1000);
  const reporter = setInterval(
    () => progress(`${label}: ${num(all.count)} answers counted, ${errors} errors`),
    15_000,
  );
  const thinkRandom = seededRandom(11);
  const think = () =>
    thinkSeconds === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) =>
          setTimeout(resolve, -Math.log(1 - thinkRandom()) * thinkSeconds * 1000),
        );
  let endCpu = { target: 0, postgres: 0 };
  const markEnd = setTimeout(
    () => {
      endCpu = { target: target.cpuSeconds(), postgres: postgresCpuSeconds() };
    },
    warmup * 1000 + duration * 1000,
  );
  try {
    await Promise.all(
      Array.from({ length: clientCount }, async (_, client) => {
        await think();
        while (performance.now() < windowEnd) {
          const request = next(client);
          const answer = await target.send(request);
          const now = performance.now();
          if (now >= windowStart && now <= windowEnd) {
            let kind = byKind.get(request.kind);
            if (kind === undefined) {
              kind = { all: new Samples(), ok: new Samples(), errors: 0, bytes: 0 };
              byKind.set(request.kind, kind);
            }
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            all.add(answer.ms);
            kind.all.add(answer.ms);
            if (answer.status === '200') {
              ok.add(answer.ms);
              kind.ok.add(answer.ms);
              kind.bytes += answer.bytes;
              bytes += answer.bytes;
            } else {
              errors++;
              kind.errors++;
            }
          }
          if (performance.now() < windowEnd) await think();
        }
      }),
    );
  } finally {
    clearTimeout(markWindow);
    clearTimeout(markEnd);
    clearInterval(reporter);
  }
  const cpu = process.cpuUsage(clientCpu);
  const result: Result = {
    label,
    seconds: duration,
    all: all.summary(),
    ok: ok.summary(),
    byKind,
    errors,
    statuses,
    meanBytes: ok.count === 0 ? 0 : bytes / ok.count,
    targetCpu: endCpu.target - targetCpu,
    clientCpu: (cpu.user + cpu.system) / 1e6,
    postgresCpu: endCpu.postgres - postgresCpu,
    rssMiB: target.rssMiB(),
  };
  await target.close();
  progress(
    `${label}: ${num(result.all.count / duration)} answers/s, p50 ${ms(result.all.p50)} ms, p95 ${ms(result.all.p95)} ms, ${errors} errors (started ${num((performance.now() - started) / 1000)} s ago)`,
  );
  return result;
}

function report(results: readonly Result[]): void {
  const okRate = (r: Result) => r.ok.count / r.seconds;
  print(
    `## ${num(clientCount)} concurrent clients, ${thinkSeconds === 0 ? 'no think time' : `think time mean ${thinkSeconds} s`}, ${duration} s each — latency in ms over every answer`,
  );
  print();
  table(
    [
      'target',
      'answers',
      'ok/s',
      'p50',
      'p95',
      'p99',
      'max',
      'errors',
      'ok p50',
      'ok p95',
      'mean bytes',
      'target CPU s',
      'PostgreSQL CPU s',
      'client CPU s',
      'RSS MiB',
    ],
    results.map((r) => [
      r.label,
      num(r.all.count),
      num(okRate(r)),
      ms(r.all.p50),
      ms(r.all.p95),
      ms(r.all.p99),
      ms(r.all.max),
      num(r.errors),
      ms(r.ok.p50),
      ms(r.ok.p95),
      num(r.meanBytes),
      num(r.targetCpu, 1),
      num(r.postgresCpu, 1),
      num(r.clientCpu, 1),
      num(r.rssMiB),
    ]),
  );
  const backoffice = results.find((r) => r.label === 'backoffice');
  const rawSql = results.find((r) => r.label === 'raw SQL');
  const bare = results.find((r) => r.label === 'bare Fastify');
  if (backoffice !== undefined) {
    if (rawSql !== undefined)
      print(
        `Throughput backoffice ÷ raw SQL: ${ratio(okRate(backoffice) / okRate(rawSql))} (${num(okRate(backoffice))} vs ${num(okRate(rawSql))} ok/s).`,
      );
    if (bare !== undefined)
      print(
        `Throughput backoffice ÷ bare Fastify: ${ratio(okRate(backoffice) / okRate(bare))} (${num(okRate(backoffice))} vs ${num(okRate(bare))} ok/s).`,
      );
  }
  print();
  print('### By request kind (ok/s; latency over every answer)');
  print();
  const kindRows: string[][] = [];
  for (const r of results) {
    for (const [kind, k] of r.byKind) {
      const s = k.all.summary();
      const sqlKind = rawSql?.byKind.get(kind);
      kindRows.push([
        r.label,
        kind,
        num(k.ok.count / r.seconds),
        ms(s.p50),
        ms(s.p95),
        ms(s.p99),
        num(k.errors),
        num(k.ok.count === 0 ? 0 : k.bytes / k.ok.count),
        r === backoffice && sqlKind !== undefined && sqlKind.ok.count > 0
          ? ratio(k.ok.count / sqlKind.ok.count)
          : '',
      ]);
    }
  }
  table(
    ['target', 'kind', 'ok/s', 'p50', 'p95', 'p99', 'errors', 'mean bytes', '÷ raw SQL'],
    kindRows,
  );
  for (const r of results)
    print(
      `Answers in the timed window — ${r.label}: ${[...r.statuses.entries()].map(([status, n]) => `${status}: ${num(n)}`).join(', ')}.`,
    );
  print();
  const logged = [...(backoffice?.loggedErrors ?? new Map<string, number>()).entries()].sort(
    (a, b) => b[1] - a[1],
  );
  if (logged.length > 0) {
    print('### Errors the backoffice logged during the run (warm-up included), by message');
    print();
    table(
      ['message', 'count'],
      logged.slice(0, 10).map(([message, n]) => [message.slice(0, 160), num(n)]),
    );
  }
}
