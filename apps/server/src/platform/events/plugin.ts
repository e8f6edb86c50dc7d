import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Config } from '../../config.ts';
import { CatchUpTracker } from './catch-up.ts';
import { IngestionMetrics } from './metrics.ts';
import { Projector } from './projector.ts';
import { KafkaSource, createKafkaConsumer, type KafkaConsumerPort } from './sources/kafka.ts';
import { NatsSource } from './sources/nats.ts';
import { backoff, sleep, type EventSource } from './sources/source.ts';
import type { ActivityFeed } from '../realtime/activity.ts';
import type { Projection } from './types.ts';

declare module 'fastify' {
  interface FastifyInstance {
    projector: Projector;
    ingestionMetrics: IngestionMetrics;
    /** The broker sources running in this instance (the webhook is a route, always present). */
    eventSources: EventSource[];
    catchUp: CatchUpTracker;
  }
}

export interface EventsPluginOptions {
  config: Config;
  projections: readonly Projection[];
  /** The live activity feeds (the projector announces each batch's items). */
  feeds: readonly ActivityFeed[];
  /** Replaces the Kafka client built from KAFKA_BROKERS (the source-contract tests' in-memory broker). */
  kafkaConsumer?: KafkaConsumerPort;
}

const PARTITION_MAINTENANCE_MS = 12 * 60 * 60 * 1000;
/** Broker lag changes without anyone asking: look now and then, so catching up is logged when it ends. */
const CATCH_UP_CHECK_MS = 2_000;

/**
 * Ingestion: the projector shared by every source, the configured broker sources (started when the app
 * is ready, stopped when it closes — before the database pool), whether the read model is catching up,
 * and the monthly event-log partitions.
 */
export const eventsPlugin = fp(
  (app: FastifyInstance, options: EventsPluginOptions) => {
    const { config } = options;
    const logger = app.log.child({ component: 'ingestion' }) as Logger;
    const sources: EventSource[] = [];
    const metrics = new IngestionMetrics(app.metrics, () => sources.map((s) => s.status()));
    const projector = new Projector(app.db, options.projections, logger, metrics, options.feeds);
    const ingest = projector.ingest.bind(projector);

    if (config.nats !== undefined) {
      const deadLetter = (messages: Parameters<Projector['ingest']>[0], detail: string) =>
        projector.deadLetter(messages, 'max_deliveries', detail);
      sources.push(
        new NatsSource(config.nats, ingest, deadLetter, logger.child({ source: 'nats' })),
      );
    }
    if (config.kafka !== undefined) {
      const consumer = options.kafkaConsumer ?? createKafkaConsumer(config.kafka);
      sources.push(
        new KafkaSource(consumer, config.kafka, ingest, logger.child({ source: 'kafka' })),
      );
    }

    app.decorate('projector', projector);
    app.decorate('ingestionMetrics', metrics);
    app.decorate('eventSources', sources);
    app.decorate(
      'catchUp',
      new CatchUpTracker({
        brokers: () => sources.map((s) => s.status()),
        processed: () => metrics.acceptedTotal,
        logger,
      }),
    );

    const closing = new AbortController();
    const started: EventSource[] = [];
    let maintenance: NodeJS.Timeout | undefined;
    let catchUpCheck: NodeJS.Timeout | undefined;
    // Failing to create next month's partition is not fatal (the default partition takes the rows):
    // log it, and let /readyz speak for the database.
    const ensurePartitions = () =>
      sql`SELECT ensure_event_log_partitions(current_date, 3)`
        .execute(app.db)
        .catch((error: unknown) =>
          logger.error({ err: error }, 'event-log partition maintenance failed'),
        );

    // A broker that is down must not keep the API from starting: keep trying in the background.
    const keepStarting = async (source: EventSource) => {
      for (let attempt = 0; !closing.signal.aborted; attempt++) {
        try {
          await source.start();
          started.push(source);
          return;
        } catch (error) {
          logger.error({ err: error, source: source.name }, 'source failed to start; retrying');
          await sleep(backoff(attempt), closing.signal);
        }
      }
    };
    let starting: Promise<unknown> = Promise.resolve();

    app.addHook('onReady', async () => {
      await ensurePartitions();
      maintenance = setInterval(() => void ensurePartitions(), PARTITION_MAINTENANCE_MS).unref();
      catchUpCheck = setInterval(() => app.catchUp.state(), CATCH_UP_CHECK_MS).unref();
      starting = Promise.all(sources.map(keepStarting));
    });

    app.addHook('onClose', async () => {
      closing.abort();
      clearInterval(maintenance);
      clearInterval(catchUpCheck);
      await starting;
      await Promise.all(started.map((s) => s.stop()));
    });
  },
  { name: 'events', dependencies: ['database', 'metrics'] },
);
