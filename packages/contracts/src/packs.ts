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
  },
} as const satisfies Record<string, { title: string; description: string }>;

export type PackName = keyof typeof PACKS;
export const PACK_NAMES = Object.keys(PACKS) as PackName[];
export const DEFAULT_PACKS: readonly PackName[] = ['money-planner'];
