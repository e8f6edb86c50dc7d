import { DEFAULT_PACKS, PACK_NAMES } from '@backoffice/contracts';
import { describe, expect, it } from 'vitest';
import { features } from '../features/index.ts';
import { featuresWith, type FeatureModule } from '../platform/modules/feature-module.ts';
import { featuresFor, packs } from './index.ts';

const feature = (name: string): FeatureModule => ({ name });

describe('domain packs', () => {
  it('has a server pack for every pack the contracts name, under its own name', () => {
    expect(Object.keys(packs).sort()).toEqual([...PACK_NAMES].sort());
    for (const [name, pack] of Object.entries(packs)) expect(pack.name).toBe(name);
  });

  it('brings only features listed in features/index.ts', () => {
    for (const pack of Object.values(packs))
      for (const brought of pack.features) expect(features).toContain(brought);
  });

  it('runs every feature with both packs, in the list’s order, and each pack’s own only with it', () => {
    expect(featuresFor(['money-planner', 'virtual-pet']).map((f) => f.name)).toEqual(
      features.map((f) => f.name),
    );
    const money = featuresFor(DEFAULT_PACKS).map((f) => f.name);
    expect(money).toEqual(expect.arrayContaining(['users', 'transactions', 'budgets', 'audit']));
    expect(money).not.toEqual(expect.arrayContaining(['pets']));
    const pet = featuresFor(['virtual-pet']).map((f) => f.name);
    expect(pet).toEqual(expect.arrayContaining(['users', 'pets', 'payments', 'identity', 'audit']));
    for (const name of ['transactions', 'budgets', 'payments', 'pets', 'identity'])
      expect(money.includes(name) !== pet.includes(name), name).toBe(true);
  });

  it('runs the features no pack brings always, and a pack’s only when a pack that brings it is named', () => {
    const [audit, users, pets, payments, ledger] = [
      'audit',
      'users',
      'pets',
      'payments',
      'ledger',
    ].map(feature) as [FeatureModule, FeatureModule, FeatureModule, FeatureModule, FeatureModule];
    const all = [users, pets, payments, ledger, audit];
    const pet = { name: 'pet', features: [users, pets, payments] };
    const money = { name: 'money', features: [users, ledger] };
    const names = (selected: (typeof pet)[]) =>
      featuresWith(all, [pet, money], selected).map((f) => f.name);
    expect(names([pet])).toEqual(['users', 'pets', 'payments', 'audit']);
    expect(names([money])).toEqual(['users', 'ledger', 'audit']);
    expect(names([money, pet])).toEqual(['users', 'pets', 'payments', 'ledger', 'audit']);
    expect(names([])).toEqual(['audit']);
  });
});
