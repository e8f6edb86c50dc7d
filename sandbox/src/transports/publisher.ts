import type { OutboxMessage } from '../outbox/outbox.repository.ts';

export const PUBLISH_TARGETS = ['webhook', 'nats', 'kafka', 'none'] as const;
export type PublishTarget = (typeof PUBLISH_TARGETS)[number];

/**
 * Where the relay delivers outbox messages. `publish` resolves once the transport accepted the whole
 * batch and throws otherwise; the relay then retries the same batch, so a transport may see a message
 * twice and relies on the event id for de-duplication (JetStream msgID, the backoffice's
 * processed_events). `signal` aborts a publish when the sandbox stops.
 */
export interface Publisher {
  readonly name: Exclude<PublishTarget, 'none'>;
  /**
   * `backlog`: events waiting in the outbox behind this batch. A broker counts its consumers' backlog
   * itself; a webhook receiver can only learn it from the sender.
   */
  publish(batch: readonly OutboxMessage[], signal: AbortSignal, backlog?: number): Promise<void>;
  close(): Promise<void>;
}
