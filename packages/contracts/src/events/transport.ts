/**
 * Where each event travels. Kafka topics and NATS subjects share the names of the main spec; a NATS
 * JetStream stream (default `PLATFORM_EVENTS`) captures all of them. Messages are keyed by the entity
 * (user id for users and sessions), so one entity's events stay in order within a partition.
 */
export const DEFAULT_NATS_STREAM = 'PLATFORM_EVENTS';

export type ResourceTopic =
  | 'users.events'
  | 'transactions.events'
  | 'budgets.events'
  | 'pets.events'
  | 'payments.events'
  | 'identity.events';

export function topicForEventType(eventType: string): ResourceTopic | undefined {
  const resource = eventType.split('.')[0];
  switch (resource) {
    case 'user':
    case 'session':
      return 'users.events';
    case 'transaction':
      return 'transactions.events';
    case 'budget':
      return 'budgets.events';
    case 'pet':
      return 'pets.events';
    case 'payment':
      return 'payments.events';
    case 'keycloak':
      return 'identity.events';
    default:
      return undefined;
  }
}
