import { sql, type ExpressionBuilder, type Transaction } from 'kysely';
import type { DB, ProviderName, StaffStatus } from '../../db/schema.ts';
import { inTransaction, type Database } from '../../platform/db/database.ts';

export interface StaffRow {
  id: string;
  email: string;
  name: string | null;
  status: StaffStatus;
  provider: ProviderName;
  roles: { id: string; name: string }[];
  mfa_enrolled: boolean;
  last_login_at: Date | null;
  created_at: Date;
}

export interface StaffFilter {
  search?: string | undefined;
  status?: StaffStatus | undefined;
  role?: string | undefined;
}

type Executor = Database | Transaction<DB>;

/** Staff accounts as their managers see them: lists, details with roles, creation and status. */
/** Staff names and emails by id, as a subquery (the audit trail names actors with it, in its one statement). */
export const staffNamesById = (eb: ExpressionBuilder<DB, never>, ids: readonly string[]) =>
  eb.selectFrom('staff_users').select(['id', 'name', 'email']).where('id', 'in', ids);

export class StaffRepository {
  constructor(private readonly db: Database) {}

  get database(): Database {
    return this.db;
  }

  transaction<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return inTransaction(this.db, work);
  }

  private select(db: Executor) {
    return db.selectFrom('staff_users as u').select([
      'u.id',
      'u.email',
      'u.name',
      'u.status',
      'u.provider',
      'u.last_login_at',
      'u.created_at',
      sql<boolean>`u.totp_enabled_at IS NOT NULL`.as('mfa_enrolled'),
      sql<{ id: string; name: string }[]>`(
          SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'name', r.name) ORDER BY r.name), '[]')
          FROM staff_role_assignments a JOIN roles r ON r.id = a.role_id WHERE a.staff_id = u.id)`.as(
        'roles',
      ),
    ]);
  }

  async list(
    filter: StaffFilter,
    page: number,
    limit: number,
  ): Promise<{ rows: StaffRow[]; total: number }> {
    let query = this.select(this.db);
    let count = this.db
      .selectFrom('staff_users as u')
      .select((eb) => eb.fn.countAll<number>().as('n'));
    if (filter.search !== undefined && filter.search !== '') {
      const pattern = `%${filter.search.replace(/[\\%_]/g, '\\$&')}%`;
      query = query.where((eb) =>
        eb.or([eb('u.email', 'ilike', pattern), eb('u.name', 'ilike', pattern)]),
      );
      count = count.where((eb) =>
        eb.or([eb('u.email', 'ilike', pattern), eb('u.name', 'ilike', pattern)]),
      );
    }
    if (filter.status !== undefined) {
      query = query.where('u.status', '=', filter.status);
      count = count.where('u.status', '=', filter.status);
    }
    if (filter.role !== undefined) {
      const hasRole = sql<boolean>`EXISTS (SELECT 1 FROM staff_role_assignments a JOIN roles r ON r.id = a.role_id
                                          WHERE a.staff_id = u.id AND lower(r.name) = ${filter.role.toLowerCase()})`;
      query = query.where(hasRole);
      count = count.where(hasRole);
    }
    const [rows, total] = await Promise.all([
      query
        .orderBy('u.email')
        .offset((page - 1) * limit)
        .limit(limit)
        .execute(),
      count.executeTakeFirstOrThrow(),
    ]);
    return { rows, total: total.n };
  }

  find(id: string, db: Executor = this.db): Promise<StaffRow | undefined> {
    return this.select(db).where('u.id', '=', id).executeTakeFirst();
  }

  async create(
    trx: Transaction<DB>,
    values: {
      email: string;
      name: string;
      passwordHash: string;
      mustChangePassword: boolean;
      createdBy: string | null;
    },
  ): Promise<string> {
    const { id } = await trx
      .insertInto('staff_users')
      .values({
        email: values.email,
        name: values.name,
        password_hash: values.passwordHash,
        must_change_password: values.mustChangePassword,
        created_by: values.createdBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return id;
  }

  async update(
    trx: Transaction<DB>,
    id: string,
    values: { name?: string; status?: StaffStatus },
  ): Promise<void> {
    await trx
      .updateTable('staff_users')
      .set({ ...values, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('staff_users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return row.n;
  }
}
