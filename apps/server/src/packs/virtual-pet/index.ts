import type { DomainPack } from '../../platform/modules/feature-module.ts';
import { accountsFeature } from '../../features/accounts/index.ts';
import { identityFeature } from '../../features/identity/index.ts';
import { paymentsFeature } from '../../features/payments/index.ts';
import { petsFeature } from '../../features/pets/index.ts';
import { usersFeature } from '../../features/users/index.ts';

/**
 * Virtual Pet (seed 001): its users (shared with Money Planner: the same User Service events) and
 * their accounts' switch (disable / enable), pets, payments and Keycloak's sign-in history. Its event contracts are
 * packages/contracts/src/events/virtual-pet.ts.
 */
export const virtualPetPack: DomainPack = {
  name: 'virtual-pet',
  features: [usersFeature, accountsFeature, petsFeature, paymentsFeature, identityFeature],
};
