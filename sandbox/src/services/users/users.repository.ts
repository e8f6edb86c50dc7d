import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { DB, UsersTable } from '../../db/schema.ts';
import { containsPattern } from '../../platform/sql.ts';

export type UserRow = Selectable<UsersTable>;

export interface UserFilter {
  email?: string | undefined;
  search?: string | undefined;
}

/** The users table. Constructed on the pool or on a transaction. */
export class UsersRepository {
  constructor(private readonly db: Kysely<DB>) {}

  findById(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Locks the row until the transaction ends: changes to one user are serialised. */
  lockForUpdate(id: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
  }

  /** A shared lock: logins may run side by side, but not alongside a block of the same user. */
  lockForShare(id: string): Promise<UserRow | undefined> {
    return this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .forShare()
      .executeTakeFirst();
  }

  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  async emailTaken(email: string, exceptId?: string): Promise<boolean> {
    let query = this.db.selectFrom('users').select('id').where('email', '=', email);
    if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
    return (await query.executeTakeFirst()) !== undefined;
  }

  async insert(row: Insertable<UsersTable>): Promise<UserRow> {
    return this.db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();
  }

  async update(id: string, patch: Updateable<UsersTable>): Promise<UserRow> {
    return this.db
      .updateTable('users')
      .set(patch)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Newest first. `search` matches email, name or id anywhere, ignoring case. */
  async list(
    filter: UserFilter,
    page: { offset: number; limit: number },
  ): Promise<{ rows: UserRow[]; total: number }> {
    let query = this.db.selectFrom('users');
    if (filter.email !== undefined) query = query.where('email', '=', filter.email.toLowerCase());
    if (filter.search !== undefined) {
      const pattern = containsPattern(filter.search);
      query = query.where((eb) =>
        eb.or([
          eb('email', 'ilike', pattern),
          eb('name', 'ilike', pattern),
          eb(sql<string>`id::text`, 'ilike', pattern),
        ]),
      );
    }
    const [rows, count] = await Promise.all([
      query
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .offset(page.offset)
        .limit(page.limit)
        .execute(),
      query.select((eb) => eb.fn.countAll<string>().as('total')).executeTakeFirstOrThrow(),
    ]);
    return { rows, total: Number(count.total) };
  }
}
