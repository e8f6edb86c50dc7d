import { verifyWebhook } from '@backoffice/contracts/webhook-signature';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

interface ReceivedEvent {
  event_id: string;
  event_type: string;
}

/**
 * A real HTTP receiver standing in for the backoffice's ingest endpoint: it checks every request's
 * signature with the contracts' verifyWebhook, records what arrives, and can be told to fail (503), to
 * answer slowly, or be stopped (connections refused) and started again on the same port.
 */
export class WebhookReceiver {
  readonly secret = 'test-webhook-secret';
  /** Every event received, in arrival order, duplicates included. */
  readonly events: ReceivedEvent[] = [];
  readonly batchSizes: number[] = [];
  /** The `backlog` each batch reported (undefined: none). */
  readonly backlogs: (number | undefined)[] = [];
  signatureFailures = 0;
  mode: 'accept' | 'fail' = 'accept';
  delayMs = 0;
  /** Indexes of each batch to answer as rejected (the receiver's dead letters). */
  rejectIndexes: number[] = [];
  private server: http.Server | undefined;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/v1/ingest/events`;
  }

  async start(): Promise<void> {
    const server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks);
        const check = verifyWebhook({
          secrets: [this.secret],
          signatureHeader: request.headers['x-backoffice-signature'] as string | undefined,
          timestampHeader: request.headers['x-backoffice-timestamp'] as string | undefined,
          body,
        });
        const answer = (status: number, payload: object) => {
          setTimeout(() => {
            response.writeHead(status, { 'content-type': 'application/json' });
            response.end(JSON.stringify(payload));
          }, this.delayMs);
        };
        if (!check.ok) {
          this.signatureFailures++;
          return answer(401, { reason: check.reason });
        }
        if (this.mode === 'fail') return answer(503, { title: 'unavailable' });
        const { events, backlog } = JSON.parse(body.toString('utf8')) as {
          events: ReceivedEvent[];
          backlog?: number;
        };
        this.batchSizes.push(events.length);
        this.backlogs.push(backlog);
        const seen = new Set(this.events.map((e) => e.event_id));
        const duplicates = events.filter((e) => seen.has(e.event_id)).length;
        this.events.push(...events);
        const rejected = this.rejectIndexes
          .filter((index) => index < events.length)
          .map((index) => ({ index, reason: 'invalid_payload' }));
        answer(202, {
          accepted: events.length - duplicates - rejected.length,
          duplicates,
          rejected,
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Closes the port: senders get ECONNREFUSED until start() is called again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  uniqueEventIds(): string[] {
    return [...new Set(this.events.map((e) => e.event_id))];
  }
}
