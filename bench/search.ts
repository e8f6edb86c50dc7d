import { UserListQuerySchema } from '@backoffice/contracts';
import {
  UsersRepository,
  type UserSort,
} from '../apps/server/src/features/users/users.repository.ts';
import { int, parseBenchArgs } from './lib/args.ts';
import { describeDataset, loadedDataset } from './lib/dataset.ts';
import { HttpClient, getJson } from './lib/http.ts';
import { databaseSize, describePostgres, open } from './lib/postgres.ts';
import { ms, num, print, printEnvironment, printLoadAtEnd, progress, table } from './lib/report.ts';
import { startServer, signIn } from './lib/server.ts';
import { Samples, type Summary } from './lib/stats.ts';

const USAGE = `bench/search — p50/p95/p99 of user search variants through the API (GET /v1/admin/users) and
of the same SQL run directly (the server's UsersRepository, as UsersService.list calls it), side by side.

  node --import tsx bench/search.ts [--size bench|small|medium] [--requests 200]

  --size      bench: the 1M-user read model (default); small: 10k users; medium: 100k users
  --requests  timed requests per variant and side (default 200), one at a time, API and SQL interleaved`;

const args = parseBenchArgs(USAGE, { requests: { type: 'string' } });
const requests = int(args.requests, 'requests', 200);

type Query = Record<string, string>;
interface Variant {
  name: string;
  queries: Query[];
}

const dataset = await loadedDataset(args.size);
printEnvironment('bench/search', {
  postgres: await describePostgres(),
  extra: {
    'read model': describeDataset(dataset, await databaseSize(dataset.name)),
    server: 'a separate process (apps/server/src/main.ts), LOG_LEVEL=info, RATE_LIMIT_MAX raised',
    client: `undici, one request at a time; ${num(requests)} timed requests per variant and side after one warm-up pass`,
    'SQL side':
      'UsersRepository.page + UsersRepository.total in parallel, in this process, on a pool of 2',
  },
});

const database = open(dataset.name, 2);
const repository = new UsersRepository(database.db);
const server = await startServer(dataset.name);
const http = new HttpClient(server.url, 1);
try {
  const token = await signIn(server.url);
  const variants = await buildVariants(token);
  const rows: string[][] = [];
  for (const variant of variants) {
    progress(variant.name);
    const api = new Samples();
    const direct = new Samples();
    let answer = '';
    for (const query of variant.queries) {
      await viaApi(query, token);
      await viaSql(query);
    }
    for (let i = 0; i < requests; i++) {
      const query = variant.queries[i % variant.queries.length] as Query;
      const result = await viaApi(query, token);
      api.add(result.ms);
      direct.add(await viaSql(query));
      if (i === 0) answer = result.answer;
    }
    const a = api.summary();
    const s = direct.summary();
    rows.push([
      variant.name,
      describe(variant.queries[0] as Query),
      answer,
      ...triple(a),
      ...triple(s),
      ms(a.p50 - s.p50),
    ]);
  }
  print(
    `## User search, ${num(dataset.users)} users — latency in ms (${num(requests)} requests each)`,
  );
  print();
  table(
    [
      'variant',
      'first query',
      'rows / total',
      'API p50',
      'API p95',
      'API p99',
      'SQL p50',
      'SQL p95',
      'SQL p99',
      'API − SQL p50',
    ],
    rows,
  );
} finally {
  await http.close();
  await server.stop();
  await database.close();
}
printLoadAtEnd();

function triple(summary: Summary): string[] {
  return [ms(summary.p50), ms(summary.p95), ms(summary.p99)];
}

function describe(query: Query): string {
  const text = new URLSearchParams(query).toString();
  return text.length > 60 ? `${text.slice(0, 57)}…` : text === '' ? '(none)' : text;
}

async function viaApi(query: Query, token: string): Promise<{ ms: number; answer: string }> {
  const result = await http.get(`/v1/admin/users?${new URLSearchParams(query).toString()}`, token);
  if (result.status !== 200)
    throw new Error(`search answered ${result.status}: ${result.body.slice(0, 300)}`);
  const body = JSON.parse(result.body) as {
    data: unknown[];
    total: number;
    totalIsEstimate: boolean;
    totalIsLowerBound: boolean;
  };
  const bound = body.totalIsLowerBound ? '>' : body.totalIsEstimate ? '≈' : '';
  return {
    ms: result.ms,
    answer: `${body.data.length} / ${bound}${num(body.total)}`,
  };
}

/** What UsersService.list runs for the same query string, straight on the database. */
async function viaSql(query: Query): Promise<number> {
  const { sort, page, limit, cursor, ...filter } = UserListQuerySchema.parse(query);
  const started = performance.now();
  await Promise.all([
    repository.page(filter, sort, cursor === undefined ? { page } : { cursor }, limit),
    repository.total(filter),
  ]);
  return performance.now() - started;
}

/**
 * The questions, drawn from the data (40 users picked by a hash of their id, so every run asks the
 * same): a prefix of an email, a last name, an exact email, an id, filters, sorts, and pages far down.
 */
async function buildVariants(token: string): Promise<Variant[]> {
  const { rows: users } = await database.pool.query<{ id: string; email: string; name: string }>(
    `SELECT id, email, coalesce(name, '') AS name FROM user_summaries
     WHERE email IS NOT NULL AND name IS NOT NULL ORDER BY md5(id::text) LIMIT 40`,
  );
  const end = new Date(dataset.end).getTime();
  const day = 86_400_000;
  const month = (offset: number) => ({
    registeredFrom: new Date(end - (offset + 30) * day).toISOString(),
    registeredTo: new Date(end - offset * day).toISOString(),
  });
  const lastName = (name: string) => name.split(' ').at(-1) ?? name;
  return [
    { name: 'list, newest first (no filter)', queries: [{}] },
    { name: 'q: email prefix (6 chars)', queries: users.map((u) => ({ q: u.email.slice(0, 6) })) },
    { name: 'q: last name (contains)', queries: users.map((u) => ({ q: lastName(u.name) })) },
    { name: 'q: exact email (contains, 1 match)', queries: users.map((u) => ({ q: u.email })) },
    { name: 'q: id', queries: users.map((u) => ({ q: u.id })) },
    { name: 'q: 2 letters', queries: users.map((u) => ({ q: u.email.slice(0, 2) })) },
    { name: 'filter: state=Blocked', queries: [{ state: 'Blocked' }] },
    { name: 'filter: role=Staff', queries: [{ role: 'Staff' }] },
    {
      name: 'filter: registered in a 30-day window',
      queries: [30, 90, 180, 270, 360].map((offset) => month(offset)),
    },
    { name: 'filter: active within 7 days', queries: [{ activeWithinDays: '7' }] },
    { name: 'filter: has an active session', queries: [{ hasActiveSession: 'true' }] },
    {
      name: 'q + state=Active, sort email',
      queries: users.map((u) => ({ q: lastName(u.name), state: 'Active', sort: 'email' })),
    },
    { name: 'sort: email', queries: [{ sort: 'email' }] },
    { name: 'sort: last login, newest first', queries: [{ sort: '-lastLoginAt' }] },
    { name: 'cursor: page 50, newest first', queries: [await cursorAt(token, '-createdAt', 50)] },
    { name: 'cursor: page 200, by email', queries: [await cursorAt(token, 'email', 200)] },
    { name: 'offset: page 400 (rows 9,976–10,000)', queries: [{ page: '400' }] },
  ];
}

/** The query string of page `page` reached by following nextCursor from the first page. */
async function cursorAt(token: string, sort: UserSort, page: number): Promise<Query> {
  let cursor: string | undefined;
  for (let i = 1; i < page; i++) {
    const { nextCursor } = await getJson<{ nextCursor: string | null }>(
      http,
      `/v1/admin/users?${new URLSearchParams({ sort, ...(cursor === undefined ? {} : { cursor }) }).toString()}`,
      token,
    );
    if (nextCursor === null) break;
    cursor = nextCursor;
  }
  return cursor === undefined ? { sort } : { sort, cursor };
}
