import { signWebhook } from '@backoffice/contracts/webhook-signature';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, uuid } from '../../../test/factories/events.ts';
import { buildTestApp, type LogCapture } from '../../../test/helpers/app.ts';
import { signedIn } from '../../../test/helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/database.ts';

const SECRET = 'webhook-secret';

interface Catching {
  catchingUp: { behind: number; since: string } | null;
}

/**
 * A webhook producer reports with each batch how many events it still has to deliver. While that is
 * large, the ingestion status and the dashboard say the read model is catching up; when it reaches
 * zero, they stop saying so and one log line says how long it took.
 */
describe('catching up (the read model behind its sources)', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let logs: LogCapture;
  let admin: Awaited<ReturnType<typeof signedIn>>;

  beforeAll(async () => {
    database = await createTestDatabase();
    ({ app, logs } = await buildTestApp(database, { INGEST_WEBHOOK_SECRET: SECRET }));
    await app.ready();
    admin = await signedIn(app, database.db, ['Admin']);
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  async function post(body: unknown) {
    const raw = JSON.stringify(body);
    return app.inject({
      method: 'POST',
      url: '/v1/ingest/events',
      headers: { 'content-type': 'application/json', ...signWebhook(SECRET, raw) },
      payload: raw,
    });
  }

  /** As many events as make a difference (CATCHING_UP_MIN_EVENTS). */
  const batch = () =>
    Array.from({ length: 100 }, () =>
      events.userCreated({ id: uuid(), email: `${uuid()}@example.com` }),
    );
  const get = async <T>(url: string) =>
    (await app.inject({ method: 'GET', url, headers: admin.headers })).json<T>();
  const ingestion = () =>
    get<Catching & { sources: { name: string; lag: number | null }[] }>(
      '/v1/admin/system/ingestion',
    );
  const dashboard = () => get<Catching>('/v1/admin/dashboard/metrics');
  const caughtUpLines = () =>
    logs.lines.filter((l) => String(l.msg).startsWith('read model caught up'));

  it('is not catching up before any source said it is behind', async () => {
    expect((await ingestion()).catchingUp).toBeNull();
    expect((await dashboard()).catchingUp).toBeNull();
  });

  it('is catching up while the producer reports a backlog, then caught up once, with a log line', async () => {
    const first = await post({ events: batch(), backlog: 5_000 });
    expect(first.statusCode).toBe(202);

    const behind = await ingestion();
    expect(behind.catchingUp).toEqual({ behind: 5_000, since: expect.any(String) as string });
    expect(behind.sources.find((s) => s.name === 'webhook')?.lag).toBe(5_000);
    const since = behind.catchingUp?.since;
    expect((await dashboard()).catchingUp).toEqual({ behind: 5_000, since });

    // Still behind, the same episode: `since` does not move.
    expect((await post({ events: batch(), backlog: 2_000 })).statusCode).toBe(202);
    expect((await dashboard()).catchingUp).toEqual({ behind: 2_000, since });
    expect(caughtUpLines()).toHaveLength(0);

    expect((await post({ events: batch(), backlog: 0 })).statusCode).toBe(202);
    expect((await ingestion()).catchingUp).toBeNull();
    expect((await dashboard()).catchingUp).toBeNull();
    expect(caughtUpLines()).toEqual([
      expect.objectContaining({
        level: 'info',
        events: 300,
        msg: expect.stringMatching(/^read model caught up: 300 events in \d+(\.\d)? s$/) as string,
      }),
    ]);

    // Caught up stays caught up: no second line for batches that report nothing waiting.
    expect((await post({ events: batch(), backlog: 0 })).statusCode).toBe(202);
    await dashboard();
    expect(caughtUpLines()).toHaveLength(1);
  });

  it('ignores a few events in flight: live traffic is not "catching up"', async () => {
    expect((await post({ events: batch().slice(0, 1), backlog: 12 })).statusCode).toBe(202);
    expect((await dashboard()).catchingUp).toBeNull();
    expect((await ingestion()).sources.find((s) => s.name === 'webhook')?.lag).toBe(12);
    expect(caughtUpLines()).toHaveLength(1);
  });

  it('refuses a backlog that is not a count', async () => {
    const response = await post({ events: batch(), backlog: -1 });
    expect(response.statusCode).toBe(400);
  });

  it('logs accepted webhook batches at debug, not one info line per batch', async () => {
    const webhookLines = (from: number) =>
      logs.lines
        .slice(from)
        .filter((l) => (l.req as { url?: string } | undefined)?.url === '/v1/ingest/events');
    const before = logs.lines.length;
    expect((await post({ events: batch() })).statusCode).toBe(202);
    expect(webhookLines(before)).toEqual([]);

    // A refused batch is still worth a line.
    const refused = logs.lines.length;
    expect((await post({ events: batch(), backlog: 'many' })).statusCode).toBe(400);
    expect(webhookLines(refused)).toEqual([
      expect.objectContaining({ level: 'info', res: { statusCode: 400 } }),
    ]);
  });
});
