import { Producer, stringSerializers } from '@platformatic/kafka';
import type { OutboxMessage } from '../outbox/outbox.repository.ts';
import type { Publisher } from './publisher.ts';

/** The part of @platformatic/kafka's Producer the publisher uses (tests pass a fake). */
export interface KafkaProducerLike {
  send(options: {
    messages: {
      topic: string;
      key: string;
      value: string;
      headers: Record<string, string>;
    }[];
  }): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Kafka publisher: topic = the event's topic, key = the entity id (one entity's events stay in one
 * partition, in order), value = the message's JSON (an envelope, or Keycloak's own JSON on
 * identity.events). The whole batch goes in one send.
 *
 * Untested against a real broker (none can be installed where the sandbox was built); the tests drive
 * it through a fake producer.
 */
export class KafkaPublisher implements Publisher {
  readonly name = 'kafka';
  private readonly producer: KafkaProducerLike;

  constructor(options: { brokers: string[]; producer?: KafkaProducerLike }) {
    this.producer =
      options.producer ??
      new Producer({
        clientId: 'backoffice-sandbox',
        bootstrapBrokers: options.brokers,
        serializers: stringSerializers,
        autocreateTopics: true,
      });
  }

  async publish(batch: readonly OutboxMessage[], signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    await this.producer.send({
      messages: batch.map((message) => ({
        topic: message.topic,
        key: message.key,
        value: message.json,
        headers: { 'event-id': message.eventId, 'event-type': message.eventType },
      })),
    });
  }

  close(): Promise<void> {
    return this.producer.close();
  }
}
