import { DEFAULT_PACKS, type PackName } from '@backoffice/contracts';
import type { ServiceName } from './platform/faults.ts';

/**
 * The platforms the sandbox plays (`--packs`, named as the backoffice's BACKOFFICE_PACKS): Money Planner
 * (main spec) and Virtual Pet (seed 001). The User Service is both platforms' and always runs.
 */
export const PACK_SERVICES: Record<PackName, readonly ServiceName[]> = {
  'money-planner': ['user-service', 'transaction-service', 'budget-service'],
  'virtual-pet': ['user-service', 'pet-service', 'payment-service'],
};

/** The services the packs run, each once, in pack order. */
export function servicesOf(packs: readonly PackName[] = DEFAULT_PACKS): ServiceName[] {
  return [...new Set(packs.flatMap((pack) => PACK_SERVICES[pack]))];
}
