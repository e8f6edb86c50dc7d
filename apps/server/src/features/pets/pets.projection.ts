import type { EventOf, KnownEvent, Pet } from '@backoffice/contracts';
import type { Selectable } from 'kysely';
import type { PetsTable } from '../../db/schema.ts';
import {
  projectWholeEntities,
  type ColumnSpec,
  type Version,
} from '../../platform/events/projection-kit.ts';
import type { Projection, ProjectionContext, Trx } from '../../platform/events/types.ts';

type PetEvent = EventOf<
  'pet.created' | 'pet.updated' | 'pet.adopted' | 'pet.transferred' | 'pet.deleted'
>;
type PetRow = Selectable<PetsTable>;

const COLUMNS: ColumnSpec<PetRow> = [
  ['id', 'uuid'],
  ['owner_id', 'uuid'],
  ['name', 'text'],
  ['species', 'text'],
  ['level', 'int4'],
  ['health', 'int4'],
  ['happiness', 'int4'],
  ['status', 'text'],
  ['adopted_at', 'timestamptz'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['version_at', 'timestamptz'],
  ['version_id', 'uuid'],
];

const petIdOf = (event: PetEvent): string =>
  event.event_type === 'pet.deleted' ? event.data.pet_id : event.data.pet.id;

function rowFrom(pet: Pet, version: Version): PetRow {
  return {
    id: pet.id,
    owner_id: pet.owner_id,
    name: pet.name,
    species: pet.species,
    level: pet.level,
    health: pet.health,
    happiness: pet.happiness,
    status: pet.status,
    adopted_at: pet.adopted_at == null ? null : new Date(pet.adopted_at),
    created_at: new Date(pet.created_at),
    updated_at: version.at,
    version_at: version.at,
    version_id: version.id,
  };
}

/**
 * Pets, from the Pet Service's events. Every event but a deletion carries the whole pet as it is after
 * the change (an adoption or a transfer names its new owner), so the newest one wins; a deletion is
 * final (tombstone).
 */
export const petsProjection: Projection = {
  name: 'pets',
  eventTypes: ['pet.created', 'pet.updated', 'pet.adopted', 'pet.transferred', 'pet.deleted'],
  tables: ['pets'],

  apply: (trx: Trx, events: KnownEvent[], context: ProjectionContext) =>
    projectWholeEntities(trx, events as PetEvent[], context, {
      table: 'pets',
      entityType: 'pet',
      columns: COLUMNS,
      idOf: petIdOf,
      isDelete: (e): e is EventOf<'pet.deleted'> => e.event_type === 'pet.deleted',
      rowOf: (e, version) => rowFrom(e.data.pet, version),
      changed: (before, after, ctx) => {
        if (before === undefined) ctx.count('pets.total', 1);
        else if (after === undefined) ctx.count('pets.total', -1);
      },
    }),
};
