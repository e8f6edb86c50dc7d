import { PET_SPECIES, PET_STATUSES } from '@backoffice/contracts';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { PetsTable } from '../../db/schema.ts';
import { CursorQuery, timestamp } from '../../platform/schemas.ts';

/**
 * A pet as the Pet Service shows it; also the `pet` of pet.* events (the contracts' PetSchema, plus
 * `updated_at`).
 */
export const PetResourceSchema = z.object({
  id: z.uuid(),
  owner_id: z.uuid(),
  name: z.string(),
  species: z.enum(PET_SPECIES),
  level: z.number().int(),
  health: z.number().int(),
  happiness: z.number().int(),
  status: z.enum(PET_STATUSES),
  adopted_at: timestamp.nullable(),
  created_at: timestamp,
  updated_at: timestamp,
});
export type PetResource = z.infer<typeof PetResourceSchema>;

const name = z.string().trim().min(1).max(100);
const level = z.number().int().min(1).max(100);
const stat = z.number().int().min(0).max(100);

export const CreatePetBody = z.object({
  owner_id: z.uuid(),
  name,
  species: z.enum(PET_SPECIES),
  /** Adopted from the shelter (pet.adopted, status ADOPTED) rather than created (pet.created). */
  adopted: z.boolean().default(false),
  level: level.default(1),
  health: stat.default(100),
  happiness: stat.default(100),
});
export type CreatePetInput = z.infer<typeof CreatePetBody>;

export const UpdatePetBody = z
  .object({ name, level, health: stat, happiness: stat })
  .partial()
  .refine(
    (body) => Object.keys(body).length > 0,
    'give at least one of name, level, health, happiness',
  );
export type PetPatch = z.infer<typeof UpdatePetBody>;

export const TransferBody = z.object({ to_owner_id: z.uuid() });

export const PetListQuery = z.object({ owner_id: z.uuid().optional() }).extend(CursorQuery.shape);
export type PetListRequest = z.infer<typeof PetListQuery>;

export function toPetResource(row: Selectable<PetsTable>): PetResource {
  return {
    id: row.id,
    owner_id: row.owner_id,
    name: row.name,
    species: row.species,
    level: row.level,
    health: row.health,
    happiness: row.happiness,
    status: row.status,
    adopted_at: row.adopted_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
