import type { DashboardMetrics } from '@backoffice/contracts';
import { int, parseBenchArgs, type Size } from './lib/args.ts';
import { describeDataset, loadedDataset, type Dataset } from './lib/dataset.ts';
import { HttpClient, getJson } from './lib/http.ts';
import { databaseSize, describePostgres } from './lib/postgres.ts';
import { ms, num, print, printEnvironment, printLoadAtEnd, progress, table } from './lib/report.ts';
import { startServer, signIn } from './lib/server.ts';
import { Samples } from './lib/stats.ts';

const USAGE = `bench/dashboard — p50/p95/p99 of GET /v1/admin/dashboard/metrics on the small read model
(100k transactions) and on the bench one (10M transactions): it must not grow with the size.

  node --import tsx bench/dashboard.ts [--size bench|small|medium] [--requests 1000] [--concurrency 10]

  --size         bench (default): both read models, small then bench; small or medium: that one only
  --requests     timed requests per read model and mode (default 1000)
  --concurrency  requests in flight in the second, loaded mode (default 10)`;

const args = parseBenchArgs(USAGE, {
  requests: { type: 'string' },
  concurrency: { type: 'string' },
});
const requests = int(args.requests, 'requests', 1_000);
const concurrency = int(args.concurrency, 'concurrency', 10);
const sizes: Size[] = args.size === 'bench' ? ['small', 'bench'] : [args.size];

const datasets: Dataset[] = [];
for (const size of sizes) datasets.push(await loadedDataset(size));
printEnvironment('bench/dashboard', {
  postgres: await describePostgres(),
  extra: {
    'read models': (
      await Promise.all(datasets.map(async (d) => describeDataset(d, await databaseSize(d.name))))
    ).join('; '),
    server:
      'a separate process per read model (apps/server/src/main.ts), LOG_LEVEL=info, RATE_LIMIT_MAX raised',
    client: `undici; ${num(requests)} timed requests one at a time, then ${num(requests)} with ${concurrency} in flight, after 100 warm-up requests`,
  },
});

const rows: string[][] = [];
for (const dataset of datasets) {
  progress(`dashboard on ${dataset.name}`);
  const server = await startServer(dataset.name);
  const http = new HttpClient(server.url, concurrency);
  try {
    const token = await signIn(server.url);
    const metrics = await getJson<DashboardMetrics>(http, '/v1/admin/dashboard/metrics', token);
    for (let i = 0; i < 100; i++) await http.get('/v1/admin/dashboard/metrics', token);
    for (const inFlight of [1, concurrency]) {
      const samples = new Samples();
      let next = 0;
      let errors = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next++ < requests) {
            const result = await http.get('/v1/admin/dashboard/metrics', token);
            if (result.status !== 200) errors++;
            samples.add(result.ms);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      const s = samples.summary();
      rows.push([
        `${num(metrics.transactions.total)} transactions, ${num(metrics.users.total)} users`,
        String(inFlight),
        ms(s.p50),
        ms(s.p95),
        ms(s.p99),
        ms(s.max),
        num(requests / seconds),
        String(errors),
      ]);
    }
  } finally {
    await http.close();
    await server.stop();
  }
}

print('## GET /v1/admin/dashboard/metrics — latency in ms');
print();
table(
  ['read model (from the answer)', 'in flight', 'p50', 'p95', 'p99', 'max', 'req/s', 'errors'],
  rows,
);
printLoadAtEnd();
