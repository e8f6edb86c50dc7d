import { Consumer } from '@platformatic/kafka';
import type { Logger } from 'pino';
import type { IncomingMessage } from '../types.ts';
import {
  backoff,
  batches,
  sleep,
  type BatchHandler,
  type EventSource,
  type SourceStatus,
} from './source.ts';

/**
 * The few things this source needs from a Kafka client. `@platformatic/kafka`'s Consumer provides them
 * (createKafkaConsumer); the source-contract tests provide an in-memory one, since no broker can run here.
 */
export interface KafkaMessagePort {
  topic: string;
  partition: number;
  offset: bigint;
  value: Buffer | undefined;
  commit(): void | Promise<void>;
}

export interface KafkaStreamPort extends AsyncIterable<KafkaMessagePort> {
  close(): Promise<void>;
}

export interface KafkaConsumerPort {
  consume(topics: readonly string[]): Promise<KafkaStreamPort>;
  /** Per topic, per partition: high watermark minus committed offset (-1 when not assigned here). */
  getLag(topics: readonly string[]): Promise<Map<string, bigint[]>>;
  close(): Promise<void>;
}

export interface KafkaSourceOptions {
  topics: readonly string[];
  batchSize: number;
  batchWaitMs: number;
}

/**
 * Kafka through a consumer group. Messages are grouped into batches; after the projector committed a
 * batch, the offset of its last message in each partition is committed. A failed batch is retried as it
 * is (never skipped, never reordered); stopping with a batch unprocessed leaves its offsets uncommitted,
 * so the group redelivers it.
 */
export class KafkaSource implements EventSource {
  readonly name = 'kafka' as const;
  private stream: KafkaStreamPort | undefined;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private lastError: { message: string; at: Date } | undefined;
  private lag = new Map<string, number>();
  private connected = false;

  constructor(
    private readonly consumer: KafkaConsumerPort,
    private readonly options: KafkaSourceOptions,
    private readonly handle: BatchHandler,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    this.stream = await this.consumer.consume(this.options.topics);
    this.connected = true;
    this.loop = this.run();
    this.logger.info({ topics: this.options.topics }, 'Kafka source started');
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.stream?.close();
    await this.loop;
    await this.consumer.close();
    this.connected = false;
  }

  status(): SourceStatus {
    const values = [...this.lag.values()];
    return {
      name: this.name,
      connected: this.connected,
      lag: values.length === 0 ? null : values.reduce((a, b) => a + b, 0),
      lagDetail: Object.fromEntries(this.lag),
      lastError: this.lastError?.message ?? null,
      lastErrorAt: this.lastError?.at ?? null,
    };
  }

  /** Consumes until stopped; a stream that fails or ends is closed and opened again, with back-off. */
  private async run(): Promise<void> {
    for (let failures = 0; !this.abort.signal.aborted;) {
      try {
        this.stream ??= await this.consumer.consume(this.options.topics);
        if (this.abort.signal.aborted) break;
        this.connected = true;
        for await (const batch of batches(this.stream, {
          maxSize: this.options.batchSize,
          maxWaitMs: this.options.batchWaitMs,
        })) {
          await this.process(batch);
          failures = 0;
          if (this.abort.signal.aborted) break;
        }
        if (!this.abort.signal.aborted) throw new Error('the Kafka stream ended');
      } catch (error) {
        if (this.abort.signal.aborted) break;
        this.recordError(error);
        this.connected = false;
        await this.stream?.close().catch(() => undefined);
        this.stream = undefined;
        await sleep(backoff(failures++), this.abort.signal);
      }
    }
    // stop() closes the stream it sees; one opened while it was stopping is closed here.
    await this.stream?.close().catch(() => undefined);
  }

  private async process(batch: KafkaMessagePort[]): Promise<void> {
    const messages: IncomingMessage[] = batch.map((m) => ({
      body: m.value ?? Buffer.alloc(0),
      position: {
        source: 'kafka',
        topic: m.topic,
        partition: m.partition,
        offset: Number(m.offset),
      },
    }));
    for (let attempt = 0; !this.abort.signal.aborted; attempt++) {
      try {
        await this.handle(messages);
      } catch (error) {
        this.recordError(error);
        await sleep(backoff(attempt), this.abort.signal);
        continue;
      }
      try {
        await commitLastPerPartition(batch);
      } catch (error) {
        // The events are applied; if the group redelivers them (after a rebalance, say), the
        // projector recognises them as duplicates. Retrying the commit could block forever.
        this.recordError(error);
      }
      return;
    }
  }

  /** Called by the scheduler (`ingestion.lag`) while the source runs. */
  async measureLag(): Promise<void> {
    if (!this.connected) return;
    try {
      const lag = await this.consumer.getLag(this.options.topics);
      const next = new Map<string, number>();
      for (const [topic, partitions] of lag) {
        partitions.forEach((value, partition) => {
          if (value >= 0n) next.set(`${topic}/${partition}`, Number(value));
        });
      }
      this.lag = next;
    } catch (error) {
      this.recordError(error);
    }
  }

  private recordError(error: unknown): void {
    this.lastError = {
      message: error instanceof Error ? error.message : String(error),
      at: new Date(),
    };
    this.logger.warn({ err: error, source: this.name }, 'Kafka source error');
  }
}

async function commitLastPerPartition(batch: readonly KafkaMessagePort[]): Promise<void> {
  const last = new Map<string, KafkaMessagePort>();
  for (const message of batch) {
    const key = `${message.topic}/${message.partition}`;
    const seen = last.get(key);
    if (seen === undefined || message.offset > seen.offset) last.set(key, message);
  }
  for (const message of last.values()) await message.commit();
}

/** The production port: `@platformatic/kafka`'s Consumer in a consumer group, committing manually. */
export function createKafkaConsumer(options: {
  brokers: readonly string[];
  groupId: string;
  clientId: string;
}): KafkaConsumerPort {
  const consumer = new Consumer({
    groupId: options.groupId,
    clientId: options.clientId,
    bootstrapBrokers: [...options.brokers],
  });
  return {
    async consume(topics) {
      const stream = await consumer.consume({
        topics: [...topics],
        autocommit: false,
        mode: 'committed',
        fallbackMode: 'earliest',
      });
      return stream;
    },
    getLag: (topics) => consumer.getLag({ topics: [...topics] }),
    close: () => consumer.close(),
  };
}
