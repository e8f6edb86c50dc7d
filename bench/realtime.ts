import { randomUUID } from 'node:crypto';
import { signWebhook } from '@backoffice/contracts/webhook-signature';
import WebSocket from 'ws';
import { int, parseBenchArgs } from './lib/args.ts';
import { describeDataset, loadedDataset } from './lib/dataset.ts';
import { HttpClient } from './lib/http.ts';
import {
  createEmptyDatabase,
  databaseSize,
  describePostgres,
  dropDatabase,
} from './lib/postgres.ts';
import { ms, num, print, printEnvironment, printLoadAtEnd, progress, table } from './lib/report.ts';
import { WEBHOOK_SECRET, signIn, startServer } from './lib/server.ts';
import { Samples, type Summary } from './lib/stats.ts';

const USAGE = `bench/realtime — WebSocket clients subscribed to dashboard.metrics and users.activity: the time
from an event's ingestion (the webhook POST) to each client's receipt, p50/p95/p99.

  node --import tsx bench/realtime.ts [--size small|medium|bench] [--clients 1000] [--events 30] [--interval 1000]

  --size      the read model copied for the run (default small; the fan-out does not depend on it)
  --clients   WebSocket clients, each with its own ticket (default 1000)
  --events    user.created events posted, one at a time (default 30)
  --interval  milliseconds between two events (default 1000)`;

const args = parseBenchArgs(
  USAGE,
  { clients: { type: 'string' }, events: { type: 'string' }, interval: { type: 'string' } },
  'small',
);
const clientCount = int(args.clients, 'clients', 1_000);
const eventCount = int(args.events, 'events', 30);
const interval = int(args.interval, 'interval', 1_000);
const WAIT_MS = 15_000;

interface Client {
  socket: WebSocket;
  snapshots: number;
  /** Per posted event: when its users.activity message and the next dashboard update arrived. */
  activity: (number | undefined)[];
  dashboard: (number | undefined)[];
}

const dataset = await loadedDataset(args.size);
const database = `backoffice_bench_realtime_${process.pid}`;
printEnvironment('bench/realtime', {
  postgres: await describePostgres(),
  extra: {
    'read model': `a copy of ${describeDataset(dataset, await databaseSize(dataset.name))}`,
    server: 'a separate process (apps/server/src/main.ts), LOG_LEVEL=info, RATE_LIMIT_MAX raised',
    clients: `${num(clientCount)} WebSocket clients (ws) in this process, each opened with its own ticket (POST /v1/admin/realtime/ticket), subscribed to dashboard.metrics and users.activity`,
    events: `${eventCount} user.created events, one per signed webhook POST, every ${interval} ms; latency = receipt in this process − the moment the POST was sent`,
  },
});

await createEmptyDatabase(database, dataset.name);
const server = await startServer(database);
const http = new HttpClient(server.url, 4);
const clients: Client[] = [];
let current = -1;
let currentUserId = '';
let sentAt = 0;
try {
  const token = await signIn(server.url);
  const connectStarted = performance.now();
  progress(`opening ${clientCount} sockets`);
  for (let i = 0; i < clientCount; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, clientCount - i) }, async () =>
        clients.push(await connect(await ticket(token))),
      ),
    );
  }
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  progress('subscribing');
  const subscribeStarted = performance.now();
  for (const client of clients)
    client.socket.send(
      JSON.stringify({ type: 'subscribe', channels: ['dashboard.metrics', 'users.activity'] }),
    );
  // A snapshot the server fails to compute is logged there and never sent: wait a while, then count.
  await until(() => clients.every((c) => c.snapshots >= 2), 60_000, 'snapshots').catch(
    () => undefined,
  );
  const subscribeSeconds = (performance.now() - subscribeStarted) / 1000;
  const withoutSnapshots = clients.filter((c) => c.snapshots < 2).length;
  const failedSnapshots = server.logCount('snapshot failed');

  const post = new Samples();
  const fanOut = new Samples();
  for (let e = 0; e < eventCount; e++) {
    progress(`event ${e + 1}/${eventCount}`);
    const userId = randomUUID();
    const body = JSON.stringify([userCreated(userId, e)]);
    current = e;
    currentUserId = userId;
    sentAt = performance.now();
    const answer = await http.post('/v1/ingest/events', body, {
      'content-type': 'application/json',
      ...signWebhook(WEBHOOK_SECRET, body),
    });
    if (answer.status !== 202)
      throw new Error(`the webhook answered ${answer.status}: ${answer.body}`);
    post.add(answer.ms);
    await until(
      () => clients.every((c) => c.activity[e] !== undefined && c.dashboard[e] !== undefined),
      WAIT_MS,
      `event ${e}`,
    ).catch((error: unknown) => progress((error as Error).message));
    fanOut.add(Math.max(...clients.map((c) => c.activity[e] ?? Number.NaN)));
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, sentAt + interval - performance.now())),
    );
  }

  const activity = new Samples();
  const dashboard = new Samples();
  let missing = 0;
  for (const client of clients) {
    for (let e = 0; e < eventCount; e++) {
      const a = client.activity[e];
      const d = client.dashboard[e];
      if (a === undefined) missing++;
      else activity.add(a);
      if (d === undefined) missing++;
      else dashboard.add(d);
    }
  }
  const line = (label: string, s: Summary) => [
    label,
    num(s.count),
    ms(s.p50),
    ms(s.p95),
    ms(s.p99),
    ms(s.max),
  ];
  print(`## Ingestion → WebSocket, ${num(clientCount)} clients, ${eventCount} events — ms`);
  print();
  table(
    ['measure', 'samples', 'p50', 'p95', 'p99', 'max'],
    [
      line('users.activity: POST sent → this client got the event', activity.summary()),
      line(
        'dashboard.metrics: POST sent → this client got the next update (coalesced ≤ 2/s)',
        dashboard.summary(),
      ),
      line(
        'per event: POST sent → the last of the clients got it (users.activity)',
        fanOut.summary(),
      ),
      line('the webhook POST itself (202 after commit)', post.summary()),
    ],
  );
  print(
    `Opening ${num(clientCount)} sockets (ticket + handshake, 50 at a time): ${num(connectSeconds, 1)} s. ` +
      `Subscribing all of them until each had both snapshots: ${num(subscribeSeconds, 1)} s` +
      (withoutSnapshots > 0
        ? ` — ${withoutSnapshots} clients still lacked a snapshot after 60 s (the server logged ${failedSnapshots} "snapshot failed")`
        : '') +
      '. ' +
      `Messages missing after ${WAIT_MS / 1000} s: ${missing}. Server RSS at the end: ${num(server.rssMiB())} MiB.`,
  );
  print();
} finally {
  for (const client of clients) client.socket.terminate();
  await http.close();
  await server.stop();
  await dropDatabase(database);
}
printLoadAtEnd();

async function ticket(token: string): Promise<string> {
  const response = await fetch(`${server.url}/v1/admin/realtime/ticket`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  if (response.status !== 200)
    throw new Error(`ticket: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { ticket: string }).ticket;
}

function connect(ticketValue: string): Promise<Client> {
  const socket = new WebSocket(
    `${server.url.replace('http', 'ws')}/v1/admin/ws?ticket=${encodeURIComponent(ticketValue)}`,
    { perMessageDeflate: false },
  );
  const client: Client = { socket, snapshots: 0, activity: [], dashboard: [] };
  socket.on('message', (raw: Buffer) => {
    const at = performance.now();
    // Only the envelope's start is read: the receipt time must not include parsing 1,000 copies.
    const head = raw.subarray(0, 60).toString('utf8');
    if (head.startsWith('{"type":"snapshot"')) client.snapshots++;
    else if (current >= 0 && head.startsWith('{"type":"event","channel":"users.activity"')) {
      if (client.activity[current] === undefined && raw.includes(currentUserId))
        client.activity[current] = at - sentAt;
    } else if (current >= 0 && head.startsWith('{"type":"update","channel":"dashboard.metrics"')) {
      client.dashboard[current] ??= at - sentAt;
    }
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`the handshake answered ${response.statusCode}`)),
    );
    socket.once('error', reject);
  });
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function userCreated(id: string, n: number) {
  const now = new Date().toISOString();
  return {
    event_id: randomUUID(),
    event_type: 'user.created',
    timestamp: now,
    version: '1.0',
    data: {
      user: {
        id,
        email: `realtime-bench-${process.pid}-${n}@example.org`,
        name: `Realtime Bench ${n}`,
        role: 'Customer',
        state: 'Active',
        created_at: now,
      },
    },
    metadata: { source_service: 'user-service', correlation_id: randomUUID() },
  };
}
