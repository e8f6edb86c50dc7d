import type { PackName } from '@backoffice/contracts';
import { features } from '../features/index.ts';
import {
  featuresWith,
  type DomainPack,
  type FeatureModule,
} from '../platform/modules/feature-module.ts';
import { moneyPlannerPack } from './money-planner/index.ts';
import { virtualPetPack } from './virtual-pet/index.ts';

/** Every domain pack, by its name in BACKOFFICE_PACKS (the contracts' PACKS list the names). */
export const packs: Readonly<Record<PackName, DomainPack>> = {
  'money-planner': moneyPlannerPack,
  'virtual-pet': virtualPetPack,
};

/** The features an instance serving these packs runs, in the order of features/index.ts. */
export function featuresFor(names: readonly PackName[]): FeatureModule[] {
  return featuresWith(
    features,
    Object.values(packs),
    names.map((name) => packs[name]),
  );
}
