import type { BatchOutcome, IncomingMessage, SourceName } from '../types.ts';

/** What a source hands its batches to: the projector's ingest. Resolves only after the commit. */
export type BatchHandler = (messages: IncomingMessage[]) => Promise<BatchOutcome>;

export interface SourceStatus {
  name: SourceName;
  connected: boolean;
  /** Messages waiting to be consumed; null when the source cannot tell. */
  lag: number | null;
  /** Lag per partition (Kafka) or per stream (NATS). */
  lagDetail: Record<string, number>;
  lastError: string | null;
  lastErrorAt: Date | null;
}

/**
 * A broker-backed source (NATS JetStream, Kafka). Each delivers batches to the handler and
 * acknowledges (acks, commits offsets) only after the handler resolved, i.e. after the projector
 * committed; a crash in between means redelivery, which the projector turns into duplicates.
 */
export interface EventSource {
  readonly name: SourceName;
  start(): Promise<void>;
  /** Stops fetching, lets the batch in hand finish (or leaves it unacknowledged), disconnects. */
  stop(): Promise<void>;
  status(): SourceStatus;
  /** Asks the broker how far behind the consumers are, for a source that is not told (Kafka). */
  measureLag?(): Promise<void>;
}

/** Waits `ms`, or less if `signal` aborts; leaves no listener behind (back-off loops call it often). */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** Exponential back-off with jitter: 200 ms doubling up to 30 s. */
export function backoff(attempt: number): number {
  const base = Math.min(30_000, 200 * 2 ** Math.min(attempt, 10));
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/**
 * Groups an async stream into batches of at most `maxSize`, flushing a partial batch after `maxWaitMs`
 * without losing the item being awaited (the pending `next()` carries over to the next batch).
 */
export async function* batches<T>(
  source: AsyncIterable<T>,
  options: { maxSize: number; maxWaitMs: number },
): AsyncGenerator<T[]> {
  const iterator = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | undefined;
  let done = false;
  while (!done) {
    const batch: T[] = [];
    const deadline = Date.now() + options.maxWaitMs;
    while (batch.length < options.maxSize) {
      pending ??= iterator.next();
      const remaining = batch.length === 0 ? Infinity : deadline - Date.now();
      if (remaining <= 0) break;
      let timer: NodeJS.Timeout | undefined;
      const timeout =
        remaining === Infinity
          ? undefined
          : new Promise<'timeout'>((resolve) => {
              timer = setTimeout(() => resolve('timeout'), remaining);
            });
      const result = await (timeout === undefined ? pending : Promise.race([pending, timeout]));
      clearTimeout(timer);
      if (result === 'timeout') break;
      pending = undefined;
      if (result.done === true) {
        done = true;
        break;
      }
      batch.push(result.value);
    }
    if (batch.length > 0) yield batch;
  }
}
