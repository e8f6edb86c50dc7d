import { topicsOf } from '@backoffice/contracts';
import type { Logger } from 'pino';
import type { SandboxConfig } from '../config.ts';
import { KafkaPublisher } from './kafka.ts';
import { NatsPublisher } from './nats.ts';
import type { Publisher } from './publisher.ts';
import { WebhookPublisher } from './webhook.ts';

/** The configured transport; undefined for `--publish none` (events stay in the outbox). */
export function createPublisher(config: SandboxConfig, logger: Logger): Publisher | undefined {
  switch (config.publish) {
    case 'webhook':
      return new WebhookPublisher({ url: config.webhookUrl, secret: config.webhookSecret, logger });
    case 'nats':
      return new NatsPublisher({
        url: config.natsUrl,
        stream: config.natsStream,
        subjectPrefix: config.natsSubjectPrefix,
        topics: topicsOf(config.packs),
        logger,
      });
    case 'kafka':
      return new KafkaPublisher({ brokers: config.kafkaBrokers });
    case 'none':
      return undefined;
  }
}
