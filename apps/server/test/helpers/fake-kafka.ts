import type {
  KafkaConsumerPort,
  KafkaMessagePort,
  KafkaStreamPort,
} from '../../src/platform/events/sources/kafka.ts';

/**
 * An in-memory Kafka for the source-contract tests (no broker can be installed here): topics with
 * partitions, one consumer group, committed offsets. A new consume() session starts from the committed
 * offsets, as a restarted consumer would, so uncommitted messages are delivered again.
 */
export class FakeKafka {
  private readonly logs = new Map<string, Buffer[][]>();
  private readonly committed = new Map<string, bigint>();
  private readonly waiters = new Set<() => void>();
  private readonly breakers = new Set<() => void>();
  /** How many consume() sessions were opened: a reconnecting consumer opens more than one. */
  sessions = 0;

  constructor(private readonly partitions = 3) {}

  produce(topic: string, key: string, value: Buffer): void {
    const partitions = this.topic(topic);
    const index = [...key].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7) % this.partitions;
    partitions[index]?.push(value);
    for (const wake of this.waiters) wake();
  }

  /** Fails every open session, as a lost broker connection fails the client's stream. */
  breakStreams(): void {
    for (const fail of this.breakers) fail();
  }

  committedOffset(topic: string, partition: number): bigint {
    return this.committed.get(`${topic}/${partition}`) ?? 0n;
  }

  /** Messages not yet committed, across every partition of the topics. */
  uncommitted(topics: readonly string[]): number {
    let total = 0;
    for (const topic of topics) {
      this.topic(topic).forEach((log, partition) => {
        total += log.length - Number(this.committedOffset(topic, partition));
      });
    }
    return total;
  }

  consumer(): KafkaConsumerPort {
    return {
      consume: (topics) => Promise.resolve(this.session(topics)),
      getLag: (topics) =>
        Promise.resolve(
          new Map(
            topics.map((topic) => [
              topic,
              this.topic(topic).map(
                (log, p) => BigInt(log.length) - this.committedOffset(topic, p),
              ),
            ]),
          ),
        ),
      close: () => Promise.resolve(),
    };
  }

  private topic(name: string): Buffer[][] {
    let partitions = this.logs.get(name);
    if (partitions === undefined) {
      partitions = Array.from({ length: this.partitions }, () => []);
      this.logs.set(name, partitions);
    }
    return partitions;
  }

  private session(topics: readonly string[]): KafkaStreamPort {
    const positions = new Map<string, bigint>();
    for (const topic of topics) {
      this.topic(topic).forEach((_, p) =>
        positions.set(`${topic}/${p}`, this.committedOffset(topic, p)),
      );
    }
    this.sessions++;
    let closed = false;
    let broken = false;
    let wake: (() => void) | undefined;
    const breakers = this.breakers;
    const fail = () => {
      broken = true;
      wake?.();
    };
    breakers.add(fail);
    const next = (): KafkaMessagePort | undefined => {
      for (const topic of topics) {
        const partitions = this.topic(topic);
        for (let p = 0; p < partitions.length; p++) {
          const key = `${topic}/${p}`;
          const offset = positions.get(key) ?? 0n;
          const value = partitions[p]?.[Number(offset)];
          if (value === undefined) continue;
          positions.set(key, offset + 1n);
          return {
            topic,
            partition: p,
            offset,
            value,
            commit: () => {
              this.committed.set(key, offset + 1n);
            },
          };
        }
      }
      return undefined;
    };
    const waiters = this.waiters;
    return {
      async *[Symbol.asyncIterator]() {
        while (!closed) {
          if (broken) throw new Error('broker connection lost');
          const message = next();
          if (message !== undefined) {
            yield message;
            continue;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
            waiters.add(resolve);
          });
          if (wake !== undefined) waiters.delete(wake);
        }
      },
      close() {
        closed = true;
        breakers.delete(fail);
        wake?.();
        return Promise.resolve();
      },
    };
  }
}
