import { createHash } from 'node:crypto';
import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  type Consumer,
  type JsMsg,
} from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from 'pino';
import { isTransient } from '../../db/transient.ts';
import type { IncomingMessage } from '../types.ts';
import {
  backoff,
  sleep,
  type BatchHandler,
  type EventSource,
  type SourceStatus,
} from './source.ts';

export interface NatsSourceOptions {
  servers: string;
  stream: string;
  subjects: readonly string[];
  /** Durable consumer name: instances sharing it share the work. */
  durable: string;
  batchSize: number;
  maxDeliver: number;
  ackWaitMs: number;
  /** Create the stream when it does not exist (never changes an existing one). */
  createStream: boolean;
}

const isNotFound = (error: unknown) => error instanceof JetStreamApiError && error.status === 404;

/**
 * The consumer's subject filter: none when the stream holds only the subjects we want (the default
 * set-up), one `filter_subject` for one subject, `filter_subjects` for several (NATS ≥ 2.10 only).
 */
export function subjectFilter(
  wanted: readonly string[],
  inStream: readonly string[],
  serverVersion: string,
): { filter_subject?: string; filter_subjects?: string[] } {
  if (inStream.every((subject) => wanted.includes(subject))) return {};
  const [only] = wanted;
  if (wanted.length === 1 && only !== undefined) return { filter_subject: only };
  const [major = 0, minor = 0] = serverVersion.split('.').map(Number);
  if (major > 2 || (major === 2 && minor >= 10)) return { filter_subjects: [...wanted] };
  throw new Error(
    `NATS ${serverVersion} cannot filter several subjects (needs 2.10): consume a stream that holds only ` +
      `${wanted.join(', ')}, or set NATS_SUBJECTS to one subject`,
  );
}

/**
 * NATS JetStream through a durable pull consumer with explicit acks. A batch is acknowledged after the
 * projector committed it. When the database is unavailable the batch is retried here, its ack deadline
 * extended (`working`), so a long outage does not use up the consumer's max-deliver; a failure that is
 * not transient is nak'ed for JetStream to redeliver, and on its last delivery the message becomes a
 * dead letter.
 */
export class NatsSource implements EventSource {
  readonly name = 'nats' as const;
  private connection: NatsConnection | undefined;
  private consumer: Consumer | undefined;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private connected = false;
  private lastError: { message: string; at: Date } | undefined;
  private pending: number | null = null;

  constructor(
    private readonly options: NatsSourceOptions,
    private readonly handle: BatchHandler,
    private readonly deadLetter: (messages: IncomingMessage[], detail: string) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    const nc = await connect({
      servers: this.options.servers,
      name: `backoffice-${this.options.durable}`,
      reconnect: true,
      maxReconnectAttempts: -1,
    });
    try {
      this.consumer = await this.prepare(nc);
    } catch (error) {
      await nc.close().catch(() => undefined);
      throw error;
    }
    this.connection = nc;
    this.connected = true;
    void this.watchStatus(nc);
    this.loop = this.run(this.consumer);
    const { stream, durable, subjects } = this.options;
    this.logger.info({ stream, durable, subjects }, 'NATS source started');
  }

  /** The stream (created if missing and allowed) and our durable consumer, created or updated. */
  private async prepare(nc: NatsConnection): Promise<Consumer> {
    const jsm = await jetstreamManager(nc);
    const { stream, durable } = this.options;
    let streamSubjects: string[];
    try {
      streamSubjects = (await jsm.streams.info(stream)).config.subjects;
    } catch (error) {
      if (!isNotFound(error) || !this.options.createStream) throw error;
      streamSubjects = [...this.options.subjects];
      await jsm.streams.add({ name: stream, subjects: streamSubjects });
      this.logger.info({ stream, subjects: streamSubjects }, 'created the JetStream stream');
    }
    const config = {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(this.options.ackWaitMs),
      // Unlimited on the server: the limit is applied here (`redeliver`). A server-side limit loses a
      // message whose last delivery never reaches us (it went to a pull request that had just expired,
      // or we stopped before handling it): JetStream would not deliver it again, and no dead letter
      // would be written. Unlimited, it comes back, and the next delivery past the limit dead-letters it.
      max_deliver: -1,
      ...subjectFilter(this.options.subjects, streamSubjects, nc.info?.version ?? '0.0.0'),
    };
    try {
      await jsm.consumers.info(stream, durable);
      await jsm.consumers.update(stream, durable, config);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await jsm.consumers.add(stream, config);
    }
    return jetstream(nc).consumers.get(stream, durable);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    await this.connection?.drain().catch(() => undefined);
    this.connected = false;
  }

  status(): SourceStatus {
    return {
      name: this.name,
      connected: this.connected,
      lag: this.pending,
      lagDetail: this.pending === null ? {} : { [this.options.stream]: this.pending },
      lastError: this.lastError?.message ?? null,
      lastErrorAt: this.lastError?.at ?? null,
    };
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') this.connected = false;
      if (status.type === 'reconnect') this.connected = true;
    }
  }

  private async run(consumer: Consumer): Promise<void> {
    let failures = 0;
    while (!this.abort.signal.aborted) {
      try {
        const fetched = await consumer.fetch({
          max_messages: this.options.batchSize,
          expires: 1_000,
        });
        const batch: JsMsg[] = [];
        for await (const message of fetched) batch.push(message);
        if (batch.length > 0) await this.process(batch);
        await this.refreshLag(consumer);
        failures = 0;
      } catch (error) {
        this.recordError(error);
        await sleep(backoff(failures++), this.abort.signal);
      }
    }
  }

  private async process(batch: JsMsg[]): Promise<void> {
    const messages: IncomingMessage[] = batch.map((m) => ({
      body: Buffer.from(m.data),
      position: { source: 'nats', topic: m.subject, offset: m.seq },
    }));
    for (let attempt = 0; ; attempt++) {
      try {
        await this.handle(messages);
        for (const message of batch) message.ack();
        return;
      } catch (error) {
        this.recordError(error);
        if (this.abort.signal.aborted) return batch.forEach((m) => m.nak());
        if (!isTransient(error)) return this.redeliver(batch, messages, error);
        // Keep the messages while the database recovers, so this outage does not count as deliveries.
        for (const message of batch) message.working();
        await sleep(Math.min(backoff(attempt), this.options.ackWaitMs / 2), this.abort.signal);
      }
    }
  }

  private async redeliver(
    batch: JsMsg[],
    messages: IncomingMessage[],
    error: unknown,
  ): Promise<void> {
    const detail = error instanceof Error ? error.message : String(error);
    const last = batch.flatMap((m, i) =>
      m.info.deliveryCount >= this.options.maxDeliver ? [i] : [],
    );
    batch.forEach((m, i) => {
      if (!last.includes(i)) m.nak(1_000);
    });
    if (last.length > 0) {
      await this.deadLetterLast(
        last.map((i) => batch[i] as JsMsg),
        last.map((i) => messages[i] as IncomingMessage),
        `gave up after ${this.options.maxDeliver} deliveries: ${detail}`,
      );
    }
  }

  /**
   * The dead letter is written before the message is terminated: while the database is unavailable,
   * keep the message (working) and try again rather than let it be redelivered and fail once more. A write that fails for any other
   * reason would fail forever and stall the stream behind it: the message is then terminated, its
   * bytes (base64) logged as the only record of it.
   */
  private async deadLetterLast(
    batch: JsMsg[],
    messages: IncomingMessage[],
    detail: string,
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.deadLetter(messages, detail);
        // No reason given: NATS before 2.10.4 does not understand `+TERM <reason>`, ignores it, and
        // redelivers the message when its ack wait is over.
        for (const message of batch) message.term();
        return;
      } catch (error) {
        this.recordError(error);
        if (this.abort.signal.aborted) return batch.forEach((m) => m.nak());
        if (!isTransient(error)) return this.drop(batch, error);
        for (const message of batch) message.working();
        await sleep(Math.min(backoff(attempt), this.options.ackWaitMs / 2), this.abort.signal);
      }
    }
  }

  private drop(batch: JsMsg[], error: unknown): void {
    for (const message of batch) {
      this.logger.error(
        {
          err: error,
          source: this.name,
          subject: message.subject,
          seq: message.seq,
          // Not the bytes: they may hold personal data, and logs are read widely. The stream keeps the
          // message under its sequence for as long as its retention allows.
          bytes: message.data.length,
          sha256: createHash('sha256').update(message.data).digest('hex'),
        },
        'NATS message dropped: it failed its last delivery and its dead letter could not be stored',
      );
      message.term();
    }
  }

  private async refreshLag(consumer: Consumer): Promise<void> {
    try {
      const info = await consumer.info(); // not the cached copy: the lag is now's
      this.pending = info.num_pending + info.num_ack_pending;
    } catch {
      this.pending = null;
    }
  }

  private recordError(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.lastError = { message, at: new Date() };
    this.logger.warn({ err: error, source: this.name }, 'NATS source error');
  }
}
