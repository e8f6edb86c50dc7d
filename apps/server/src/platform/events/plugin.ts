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
import type { EventFormat, Projection } from './types.ts';

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
  /** The foreign message shapes the packs map to the envelope (every source applies them). */
  formats: readonly EventFormat[];
  /** Replaces the Kafka client built from KAFKA_BROKERS (the source-contract tests' in-memory broker). */
  kafkaConsumer?: KafkaConsumerPort;
}

const PARTITION_MAINTENANCE_MS = 12 * 60 * 60 * 1000;
/** Broker lag changes without anyone asking: look now and then, so catching up is logged when it ends. */
const CATCH_UP_CHECK_MS = 2_000;
/** How often a source that must ask its broker for its lag (Kafka) asks. */
const LAG_CHECK_MS = 5_000;

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
    const projector = new Projector(
      app.db,
      options.projections,
      logger,
      metrics,
      options.feeds,
      options.formats,
    );
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

    app.scheduler.register({
      name: 'ingestion.partitions',
      description: 'Creates the event log’s monthly partitions three months ahead',
      everyMs: PARTITION_MAINTENANCE_MS,
      scope: 'cluster',
      run: async () => {
        await sql`SELECT ensure_event_log_partitions(current_date, 3)`.execute(app.db);
      },
    });
    app.scheduler.register({
      name: 'ingestion.catch-up',
      description: 'Whether this instance is catching up with its brokers (logged when it ends)',
      everyMs: CATCH_UP_CHECK_MS,
      scope: 'instance',
      run: () => {
        app.catchUp.state();
        return Promise.resolve();
      },
    });
    if (sources.some((source) => source.measureLag !== undefined)) {
      app.scheduler.register({
        name: 'ingestion.lag',
        description: 'Asks the brokers how far this instance’s consumers are behind',
        everyMs: LAG_CHECK_MS,
        scope: 'instance',
        run: async () => {
          for (const source of started) await source.measureLag?.();
        },
      });
    }

    app.addHook('onReady', async () => {
      await ensurePartitions();
      starting = Promise.all(sources.map(keepStarting));
    });

    app.addHook('onClose', async () => {
      closing.abort();
      await starting;
      await Promise.all(started.map((s) => s.stop()));
    });
  },
  { name: 'events', dependencies: ['database', 'metrics', 'jobs'] },
);
