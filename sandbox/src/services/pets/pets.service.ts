import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { newEvent } from '../../outbox/events.ts';
import { appendToOutbox } from '../../outbox/outbox.repository.ts';
import type { ActionContext } from '../../platform/context.ts';
import { decodeCursor, pageOf } from '../../platform/cursor.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { CursorPage } from '../../platform/schemas.ts';
import { isForeignKeyViolation } from '../../platform/sql.ts';
import { PetsRepository, type PetRow } from './pets.repository.ts';
import {
  toPetResource,
  type CreatePetInput,
  type PetListRequest,
  type PetPatch,
  type PetResource,
} from './pets.schemas.ts';

/**
 * The Pet Service (Virtual Pet, seed 001): the users' pets, their stats (level 1–100, health and
 * happiness 0–100), adoptions from the shelter, transfers between owners and deletions. Every change
 * and its event are written in one transaction; changes to one pet are serialised by locking its row.
 */
export class PetsService {
  constructor(private readonly db: Kysely<DB>) {}

  async get(id: string): Promise<PetResource> {
    return toPetResource(this.found(await new PetsRepository(this.db).findById(id), id));
  }

  async list(query: PetListRequest): Promise<CursorPage<PetResource>> {
    const rows = await new PetsRepository(this.db).list({
      ownerId: query.owner_id,
      from: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit: query.limit + 1,
    });
    return pageOf(rows, query.limit, toPetResource);
  }

  /** A new pet: created by its owner (pet.created), or adopted from the shelter (pet.adopted). */
  async create(input: CreatePetInput, context: ActionContext): Promise<PetResource> {
    return this.refusingUnknownUsers(input.owner_id, () =>
      this.db.transaction().execute(async (trx) => {
        const now = new Date();
        const pet = toPetResource(
          await new PetsRepository(trx).insert({
            id: randomUUID(),
            owner_id: input.owner_id,
            name: input.name,
            species: input.species,
            level: input.level,
            health: input.health,
            happiness: input.happiness,
            status: input.adopted ? 'ADOPTED' : 'ACTIVE',
            adopted_at: input.adopted ? now : null,
            created_at: now,
            updated_at: now,
          }),
        );
        await appendToOutbox(trx, [
          newEvent(
            input.adopted ? 'pet.adopted' : 'pet.created',
            { pet },
            context.correlationId,
            now,
          ),
        ]);
        return pet;
      }),
    );
  }

  /** Name and stats (fed, played with, levelled up); pet.updated with the old values of what changed. */
  async update(id: string, patch: PetPatch, context: ActionContext): Promise<PetResource> {
    return this.db.transaction().execute(async (trx) => {
      const pets = new PetsRepository(trx);
      const current = this.found(await pets.lockForUpdate(id), id);
      const oldValues: Record<string, unknown> = {};
      const newValues: Record<string, string | number> = {};
      for (const field of ['name', 'level', 'health', 'happiness'] as const) {
        const value = patch[field];
        if (value !== undefined && value !== current[field]) {
          oldValues[field] = current[field];
          newValues[field] = value;
        }
      }
      if (Object.keys(newValues).length === 0) return toPetResource(current);
      const now = new Date();
      const pet = toPetResource(await pets.update(id, { ...newValues, updated_at: now }));
      await appendToOutbox(trx, [
        newEvent('pet.updated', { pet, old_values: oldValues }, context.correlationId, now),
      ]);
      return pet;
    });
  }

  /** Gives the pet to another user (pet.transferred, with the previous owner). */
  async transfer(id: string, toOwnerId: string, context: ActionContext): Promise<PetResource> {
    return this.refusingUnknownUsers(toOwnerId, () =>
      this.db.transaction().execute(async (trx) => {
        const pets = new PetsRepository(trx);
        const current = this.found(await pets.lockForUpdate(id), id);
        if (current.owner_id === toOwnerId) {
          throw new ConflictError(`The pet ${id} already belongs to ${toOwnerId}`);
        }
        const now = new Date();
        const pet = toPetResource(await pets.update(id, { owner_id: toOwnerId, updated_at: now }));
        await appendToOutbox(trx, [
          newEvent(
            'pet.transferred',
            { pet, from_owner_id: current.owner_id },
            context.correlationId,
            now,
          ),
        ]);
        return pet;
      }),
    );
  }

  /** Deletes the pet (pet.deleted); it is kept, marked deleted, and answers 404 from then on. */
  async delete(id: string, context: ActionContext): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const pets = new PetsRepository(trx);
      const current = this.found(await pets.lockForUpdate(id), id);
      const now = new Date();
      await pets.update(id, { deleted_at: now, updated_at: now });
      await appendToOutbox(trx, [
        newEvent(
          'pet.deleted',
          { pet_id: id, owner_id: current.owner_id, deleted_at: now.toISOString() },
          context.correlationId,
          now,
        ),
      ]);
    });
  }

  private async refusingUnknownUsers<T>(userId: string, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } catch (error) {
      throw isForeignKeyViolation(error) ? new BadRequestError(`No user ${userId}`) : error;
    }
  }

  private found(row: PetRow | undefined, id: string): PetRow {
    if (row === undefined) throw new NotFoundError(`No pet ${id}`);
    return row;
  }
}
