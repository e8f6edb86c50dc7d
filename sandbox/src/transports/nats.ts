import { DEFAULT_NATS_STREAM, DEFAULT_TOPICS } from '@backoffice/contracts';
import {
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import type { OutboxMessage } from '../outbox/outbox.repository.ts';
import type { Publisher } from './publisher.ts';

export interface NatsOptions {
  url: string;
  /** The JetStream stream capturing the subjects; default PLATFORM_EVENTS. */
  stream?: string;
  /** Prepended to every subject (tests use a unique one per run). */
  subjectPrefix?: string;
  /** The topics a stream created here captures; default Money Planner's (DEFAULT_TOPICS). */
  topics?: readonly string[];
  logger: Logger;
}

/**
 * JetStream publisher: subject = the event's topic (users.events, …), msgID = event_id (a Keycloak
 * message's `id`), so a batch sent again after a failure is de-duplicated by the stream. Messages are
 * published one after the other, each acknowledged before the next: a failure part-way never lets a
 * later event overtake an earlier one. It connects (and ensures the stream) on first use, so the
 * sandbox starts even while NATS is down.
 */
export class NatsPublisher implements Publisher {
  readonly name = 'nats';
  private connection: Promise<{ nc: NatsConnection; js: JetStreamClient }> | undefined;

  constructor(private readonly options: NatsOptions) {}

  async publish(batch: readonly OutboxMessage[], signal: AbortSignal): Promise<void> {
    const { js } = await this.connect();
    const prefix = this.options.subjectPrefix ?? '';
    for (const message of batch) {
      signal.throwIfAborted();
      await js.publish(`${prefix}${message.topic}`, message.json, { msgID: message.eventId });
    }
  }

  async close(): Promise<void> {
    const connection = await this.connection?.catch(() => undefined);
    if (connection !== undefined && !connection.nc.isClosed()) await connection.nc.drain();
  }

  private async connect(): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
    const current = await this.connection?.catch(() => undefined);
    // A failed attempt, or a connection nats.js closed for good (it stops reconnecting after ten
    // failed attempts, about 20 s of outage): connect afresh, so delivery resumes once NATS is back.
    if (current !== undefined && !current.nc.isClosed()) return current;
    this.connection = this.open();
    return this.connection;
  }

  private async open(): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
    const nc = await connect({ servers: this.options.url, name: 'backoffice-sandbox' });
    try {
      await this.ensureStream(nc);
    } catch (error) {
      await nc.close();
      throw error;
    }
    return { nc, js: jetstream(nc) };
  }

  /** Creates the stream when it does not exist; an existing one is left as its owner configured it. */
  private async ensureStream(nc: NatsConnection): Promise<void> {
    const jsm = await jetstreamManager(nc);
    const name = this.options.stream ?? DEFAULT_NATS_STREAM;
    const subjects = (this.options.topics ?? DEFAULT_TOPICS).map(
      (topic) => `${this.options.subjectPrefix ?? ''}${topic}`,
    );
    try {
      const info = await jsm.streams.info(name);
      const missing = subjects.filter((s) => !info.config.subjects?.includes(s));
      if (missing.length > 0) {
        this.options.logger.warn(
          { stream: name, missing },
          'the JetStream stream exists without some of the sandbox subjects; publishing to them fails',
        );
      }
    } catch (error) {
      if (!(
        error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound
      )) {
        throw error;
      }
      await jsm.streams.add({ name, subjects });
      this.options.logger.info({ stream: name, subjects }, 'created the JetStream stream');
    }
  }
}
