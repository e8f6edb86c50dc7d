import { signWebhook } from '@backoffice/contracts/webhook-signature';
import type { Logger } from 'pino';
import type { OutboxMessage } from '../outbox/outbox.repository.ts';
import type { Publisher } from './publisher.ts';

const REQUEST_TIMEOUT_MS = 30_000;

interface IngestAnswer {
  accepted?: number;
  duplicates?: number;
  rejected?: { index: number; reason: string }[];
}

/**
 * POSTs each batch as `{ "events": [...], "backlog": n }` to the backoffice's ingest URL, signed as issue 4 specifies
 * (X-Backoffice-Timestamp, X-Backoffice-Signature: HMAC-SHA256 of "<timestamp>.<raw body>"). Any 2xx is
 * success; events the receiver rejected are its dead letters now, so they count as delivered and are
 * logged here. Anything else (network error, 4xx, 5xx) fails the batch, which the relay retries.
 */
export class WebhookPublisher implements Publisher {
  readonly name = 'webhook';

  constructor(private readonly options: { url: string; secret: string; logger: Logger }) {}

  async publish(
    batch: readonly OutboxMessage[],
    signal: AbortSignal,
    backlog?: number,
  ): Promise<void> {
    // The stored JSON texts are joined as they are: no parse and re-serialise per event.
    const events = batch.map((m) => m.json).join(',');
    // The backlog lets the backoffice say it is catching up (and by how much) while it is.
    const body =
      backlog === undefined
        ? `{"events":[${events}]}`
        : `{"events":[${events}],"backlog":${backlog}}`;
    let response: Response;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signWebhook(this.options.secret, body) },
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(
        `POST ${this.options.url} failed: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
        { cause: error },
      );
    }
    const text = await response.text();
    if (!response.ok) {
      throw new Error(
        `POST ${this.options.url} answered ${response.status}: ${text.slice(0, 300)}`,
      );
    }
    const answer = parseAnswer(text);
    for (const rejected of answer?.rejected ?? []) {
      const message = batch[rejected.index];
      this.options.logger.error(
        { eventId: message?.eventId, eventType: message?.eventType, reason: rejected.reason },
        'the backoffice rejected an event (it is in its dead letters)',
      );
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function parseAnswer(text: string): IngestAnswer | undefined {
  try {
    return JSON.parse(text) as IngestAnswer;
  } catch {
    return undefined;
  }
}
