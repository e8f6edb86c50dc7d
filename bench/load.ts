import { int, parseBenchArgs } from './lib/args.ts';
import { describeDataset, loadedDataset } from './lib/dataset.ts';
import { HttpClient } from './lib/http.ts';
import { databaseSize, describePostgres, open } from './lib/postgres.ts';
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
throughput, latency p50/p95/p99 and errors; then bare Fastify (one route answering JSON of the same mean
size, no database) driven the same way in the same run, and the ratio.

  node --import tsx bench/load.ts [--size bench|small] [--clients 1000] [--duration 60] [--warmup 5]

  --size      the read model: bench (default): 1M users, 10M transactions; small: 10k users
  --clients   concurrent clients, each a keep-alive connection with its own session (default 1000)
  --duration  timed seconds per target (default 60)
  --warmup    seconds of the same load before the timed window, not counted (default 5)

Each client loops without think time: 50% searches (10 variants), 30% user details (the 360° view of a
random user), 20% dashboard metrics.`;

const args = parseBenchArgs(USAGE, {
  clients: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
});
const clientCount = int(args.clients, 'clients', 1_000);
const duration = int(args.duration, 'duration', 60);
const warmup = int(args.warmup, 'warmup', 5);
if (clientCount < 1 || duration < 1) throw new Error('--clients and --duration must be at least 1');

type Kind = 'search' | 'details' | 'dashboard' | 'bare';
interface Request {
  kind: Kind;
  path: string;
  token?: string;
}

interface Result {
  label: string;
  seconds: number;
  overall: Summary;
  byKind: Map<Kind, { samples: Samples; errors: number; bytes: number }>;
  errors: number;
  statuses: Map<string, number>;
  meanBytes: number;
  serverCpu: number;
  clientCpu: number;
  rssMiB: number;
  loggedErrors?: Map<string, number>;
}

const dataset = await loadedDataset(args.size);
printEnvironment('bench/load', {
  postgres: await describePostgres(),
  extra: {
    'read model': describeDataset(dataset, await databaseSize(dataset.name)),
    server:
      'a separate process (apps/server/src/main.ts), LOG_LEVEL=info (a log line per request, to a file), DATABASE_POOL_MAX=20 (default), RATE_LIMIT_MAX raised',
    baseline:
      'bare Fastify 5 in a separate process (bench/lib/bare-fastify.ts): GET /bare returns a JSON document of the backoffice’s mean response size; no logger, no auth, no database',
    clients: `${num(clientCount)} concurrent clients in this process (undici, one keep-alive connection each, no think time), each signed in with its own session (sign-ins not timed); ${warmup} s warm-up, then ${duration} s timed, per target`,
    mix: '50% searches (10 variants: email prefix, last name, exact email, id, state/role filters, date window, sorts, first page), 30% user details (360° view), 20% dashboard metrics',
  },
});

const questions = await drawQuestions();
const server = await startServer(dataset.name);
let real: Result;
try {
  progress(`signing in ${num(clientCount)} sessions`);
  const tokens = await signInMany(server.url, clientCount);
  const random = seededRandom(7);
  const pickReal = (client: number): Request => {
    const token = tokens[client] as string;
    const r = random();
    if (r < 0.5) return { kind: 'search', path: pick(questions.searches, random), token };
    if (r < 0.8)
      return { kind: 'details', path: `/v1/admin/users/${pick(questions.ids, random)}`, token };
    return { kind: 'dashboard', path: '/v1/admin/dashboard/metrics', token };
  };
  real = await drive('backoffice', server, pickReal);
  real.loggedErrors = server.loggedErrors();
} finally {
  await server.stop();
}

const bare = await startBareFastify(Math.round(real.meanBytes));
let baseline: Result;
try {
  baseline = await drive('bare Fastify', bare, () => ({ kind: 'bare', path: '/bare' }));
} finally {
  await bare.stop();
}

report(real, baseline);
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

/**
 * `clientCount` loops, each on its own connection, until warm-up + duration are over; a request counts
 * when it completes inside the timed window.
 */
async function drive(
  label: string,
  target: Pick<BareProcess, 'url' | 'cpuSeconds' | 'rssMiB'>,
  next: (client: number) => Request,
): Promise<Result> {
  progress(`${label}: ${num(clientCount)} clients, ${warmup} s warm-up + ${duration} s timed`);
  const http = new HttpClient(target.url, clientCount);
  const overall = new Samples();
  const byKind = new Map<Kind, { samples: Samples; errors: number; bytes: number }>();
  const statuses = new Map<string, number>();
  let errors = 0;
  let bytes = 0;
  const started = performance.now();
  const windowStart = started + warmup * 1000;
  const windowEnd = windowStart + duration * 1000;
  let serverCpu = 0;
  let clientCpu = process.cpuUsage();
  const markWindow = setTimeout(() => {
    serverCpu = target.cpuSeconds();
    clientCpu = process.cpuUsage();
  }, warmup * 1000);
  const reporter = setInterval(
    () => progress(`${label}: ${num(overall.count)} requests counted, ${errors} errors`),
    15_000,
  );
  try {
    await Promise.all(
      Array.from({ length: clientCount }, async (_, client) => {
        while (performance.now() < windowEnd) {
          const request = next(client);
          let status: string;
          let took: number;
          let size = 0;
          try {
            const response = await http.get(request.path, request.token);
            status = String(response.status);
            took = response.ms;
            size = response.body.length;
          } catch (error) {
            status = (error as { code?: string }).code ?? (error as Error).name;
            took = NaN;
          }
          const now = performance.now();
          if (now < windowStart || now > windowEnd) continue;
          let kind = byKind.get(request.kind);
          if (kind === undefined) {
            kind = { samples: new Samples(), errors: 0, bytes: 0 };
            byKind.set(request.kind, kind);
          }
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status === '200') {
            overall.add(took);
            kind.samples.add(took);
            kind.bytes += size;
            bytes += size;
          } else {
            errors++;
            kind.errors++;
          }
        }
      }),
    );
  } finally {
    clearTimeout(markWindow);
    clearInterval(reporter);
  }
  const cpu = process.cpuUsage(clientCpu);
  const result: Result = {
    label,
    seconds: duration,
    overall: overall.summary(),
    byKind,
    errors,
    statuses,
    meanBytes: overall.count === 0 ? 0 : bytes / overall.count,
    serverCpu: target.cpuSeconds() - serverCpu,
    clientCpu: (cpu.user + cpu.system) / 1e6,
    rssMiB: target.rssMiB(),
  };
  await http.close();
  progress(
    `${label}: ${num(result.overall.count / duration)} req/s, p50 ${ms(result.overall.p50)} ms, ${errors} errors (started ${num((performance.now() - started) / 1000)} s ago)`,
  );
  return result;
}

function report(real: Result, baseline: Result): void {
  const rate = (r: Result) => r.overall.count / r.seconds;
  const row = (r: Result) => [
    r.label,
    num(r.overall.count),
    num(rate(r)),
    ms(r.overall.p50),
    ms(r.overall.p95),
    ms(r.overall.p99),
    ms(r.overall.max),
    num(r.errors),
    num(r.meanBytes),
    num(r.serverCpu, 1),
    num(r.clientCpu, 1),
    num(r.rssMiB),
  ];
  print(
    `## ${num(clientCount)} concurrent clients, ${duration} s each — latency in ms (successful requests)`,
  );
  print();
  table(
    [
      'target',
      'requests',
      'req/s',
      'p50',
      'p95',
      'p99',
      'max',
      'errors',
      'mean bytes',
      'server CPU s',
      'client CPU s',
      'server RSS MiB',
    ],
    [row(real), row(baseline)],
  );
  print(
    `Throughput ratio backoffice ÷ bare Fastify: ${ratio(rate(real) / rate(baseline))} ` +
      `(${num(rate(real))} vs ${num(rate(baseline))} req/s). ` +
      `p50 ratio: ${ratio(real.overall.p50 / baseline.overall.p50)}.`,
  );
  print();
  print('### The backoffice by request kind');
  print();
  table(
    ['kind', 'requests', 'req/s', 'p50', 'p95', 'p99', 'max', 'errors', 'mean bytes'],
    [...real.byKind.entries()].map(([kind, k]) => {
      const s = k.samples.summary();
      return [
        kind,
        num(s.count),
        num(s.count / real.seconds),
        ms(s.p50),
        ms(s.p95),
        ms(s.p99),
        ms(s.max),
        num(k.errors),
        num(s.count === 0 ? 0 : k.bytes / s.count),
      ];
    }),
  );
  const statuses = (r: Result) =>
    [...r.statuses.entries()].map(([status, n]) => `${status}: ${num(n)}`).join(', ');
  print(
    `Answers in the timed window — backoffice: ${statuses(real)}; bare Fastify: ${statuses(baseline)}.`,
  );
  print();
  const logged = [...(real.loggedErrors ?? new Map<string, number>()).entries()].sort(
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
