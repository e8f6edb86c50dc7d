import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { DB, PetsTable } from '../../db/schema.ts';
import { after, type Position } from '../../platform/cursor.ts';

export type PetRow = Selectable<PetsTable>;

/** The pets table. Deleted pets stay in it (deleted_at) and are invisible here. */
export class PetsRepository {
  constructor(private readonly db: Kysely<DB>) {}

  findById(id: string): Promise<PetRow | undefined> {
    return this.db
      .selectFrom('pets')
      .selectAll()
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
  }

  lockForUpdate(id: string): Promise<PetRow | undefined> {
    return this.db
      .selectFrom('pets')
      .selectAll()
      .where('id', '=', id)
      .where('deleted_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
  }

  async insert(row: Insertable<PetsTable>): Promise<PetRow> {
    return this.db.insertInto('pets').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async update(id: string, patch: Updateable<PetsTable>): Promise<PetRow> {
    return this.db
      .updateTable('pets')
      .set(patch)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Up to `limit` pets after `from`, newest first; of one owner when `ownerId` is given. */
  list(options: {
    ownerId: string | undefined;
    from: Position | undefined;
    limit: number;
  }): Promise<PetRow[]> {
    let query = this.db.selectFrom('pets').selectAll().where('deleted_at', 'is', null);
    if (options.ownerId !== undefined) query = query.where('owner_id', '=', options.ownerId);
    if (options.from !== undefined) query = query.where(after(options.from));
    return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(options.limit).execute();
  }
}
