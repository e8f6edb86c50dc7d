import { DEFAULT_TOPICS } from './events/envelope.ts';

/**
 * The domain packs: the product platforms the backoffice knows how to serve. A pack is a set of the
 * server's feature modules plus its event contracts, topics, read-model migrations, upstream clients,
 * sandbox services and UI resources (docs/architecture.md "Domain packs"). Which packs run is
 * configuration (BACKOFFICE_PACKS); the server and the UI read the names from here.
 */
export const PACKS = {
  'money-planner': {
    title: 'Money Planner',
    description: 'Users, transactions and budgets of the Money Planner platform (main spec)',
    topics: DEFAULT_TOPICS,
  },
  'virtual-pet': {
    title: 'Virtual Pet',
    description:
      'Users, pets, payments and Keycloak sign-ins of the Virtual Pet platform (seed 001)',
    topics: ['users.events', 'pets.events', 'payments.events', 'identity.events'],
  },
} as const satisfies Record<
  string,
  { title: string; description: string; topics: readonly string[] }
>;

export type PackName = keyof typeof PACKS;
export const PACK_NAMES = Object.keys(PACKS) as PackName[];
export const DEFAULT_PACKS: readonly PackName[] = ['money-planner'];

/** The Kafka topics / NATS subjects these packs' services publish to, each once, in pack order. */
export function topicsOf(packs: readonly PackName[]): string[] {
  return [...new Set(packs.flatMap((pack) => PACKS[pack].topics))];
}
