import Fastify from 'fastify';

/**
 * The baseline of bench/load: bare Fastify (no plugins, no logger, no authentication, no database), one
 * route, GET /bare, answering a JSON document of about the size given (bytes, first argument) — a page of
 * user-like items, serialised on every request as a handler's return value is. Run as its own process by
 * startBareFastify; prints "listening on <port>".
 */
const bytes = Number(process.argv[2] ?? '2000');
const item = (i: number) => ({
  id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
  email: `user${i}@example.org`,
  name: `User Number ${i}`,
  role: 'Customer',
  state: 'Active',
  createdAt: '2026-01-01T00:00:00.000Z',
  lastLoginAt: '2026-06-01T12:00:00.000Z',
  totalTransactions: i,
});
const body: { data: ReturnType<typeof item>[]; total: number; padding: string } = {
  data: [],
  total: 0,
  padding: '',
};
while (JSON.stringify(body).length + JSON.stringify(item(0)).length < bytes)
  body.data.push(item(body.data.length));
body.total = body.data.length;
body.padding = 'x'.repeat(Math.max(0, bytes - JSON.stringify(body).length));

const app = Fastify({ logger: false });
app.get('/bare', () => body);
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(
  `listening on ${typeof address === 'object' && address !== null ? address.port : '?'}\n`,
);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
