import { PET_SPECIES, PET_STATUSES } from '@backoffice/contracts';
import type { FeatureModule } from '../../platform/modules/feature-module.ts';
import { petsProjection } from './pets.projection.ts';

/**
 * Pets (Virtual Pet pack): their projection from the Pet Service's events, and a declared resource
 * (docs/resources.md): list, filters, detail and export come from the declaration.
 */
export const petsFeature: FeatureModule = {
  name: 'pets',
  permissions: ['pets:read'],
  tiles: [{ counter: 'pets.total', label: 'Pets' }],
  projections: () => [petsProjection],
  resources: [
    {
      name: 'pets',
      title: 'Pets',
      singular: 'pet',
      description: 'Pets across owners, as the Pet Service reported them (read model)',
      table: 'pets',
      key: 'id',
      permission: 'pets:read',
      defaultSort: '-createdAt',
      fields: [
        { name: 'id', column: 'id', type: 'uuid', label: 'Pet', filter: true, sortable: true },
        { name: 'name', column: 'name', type: 'text', label: 'Name', filter: true, sortable: true },
        {
          name: 'species',
          column: 'species',
          type: 'enum',
          label: 'Species',
          values: PET_SPECIES,
          filter: true,
        },
        {
          name: 'ownerId',
          column: 'owner_id',
          type: 'uuid',
          label: 'Owner',
          filter: true,
          links: 'users',
        },
        {
          name: 'level',
          column: 'level',
          type: 'integer',
          label: 'Level',
          filter: true,
          sortable: true,
        },
        { name: 'health', column: 'health', type: 'integer', label: 'Health', filter: true },
        { name: 'happiness', column: 'happiness', type: 'integer', label: 'Happiness' },
        {
          name: 'status',
          column: 'status',
          type: 'enum',
          label: 'Status',
          values: PET_STATUSES,
          filter: true,
        },
        {
          name: 'adoptedAt',
          column: 'adopted_at',
          type: 'timestamp',
          label: 'Adopted',
          nullable: true,
          list: false,
        },
        {
          name: 'createdAt',
          column: 'created_at',
          type: 'timestamp',
          label: 'Created',
          filter: true,
          sortable: true,
        },
        { name: 'updatedAt', column: 'updated_at', type: 'timestamp', label: 'Updated' },
      ],
    },
  ],
  upstreams: [
    { id: 'pet-service', name: 'Pet Service', url: (config) => config.upstream.petServiceUrl },
  ],
};
