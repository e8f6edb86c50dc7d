import { sql, type ExpressionBuilder, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { inTransaction, type Database } from '../../platform/db/database.ts';

export interface RoleRow {
  id: string;
  name: string;
  description: string;
  builtin: boolean;
  grants: string[];
  staff_count: number;
  created_at: Date;
  updated_at: Date;
}

export interface Actor {
  id: string | null;
  email: string | null;
}

export interface HistoryEntry {
  action: string;
  roleId: string;
  roleName: string;
  staffId?: string | null;
  staffEmail?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

type Executor = Database | Transaction<DB>;

/** Roles, their grants, assignments to staff, and the append-only history of every change to them. */
/** Role names by id, as a subquery (the audit trail names the roles its entries mention). */
export const roleNamesById = (eb: ExpressionBuilder<DB, never>, ids: readonly string[]) =>
  eb.selectFrom('roles').select(['id', 'name']).where('id', 'in', ids);

export class RolesRepository {
  constructor(private readonly db: Database) {}

  transaction<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return inTransaction(this.db, work);
  }

  private selectRoles(db: Executor) {
    return db
      .selectFrom('roles as r')
      .select([
        'r.id',
        'r.name',
        'r.description',
        'r.builtin',
        'r.created_at',
        'r.updated_at',
        sql<
          string[]
        >`(SELECT coalesce(array_agg(g.grant ORDER BY g.grant), '{}') FROM role_grants g WHERE g.role_id = r.id)`.as(
          'grants',
        ),
        sql<number>`(SELECT count(*)::int FROM staff_role_assignments a WHERE a.role_id = r.id)`.as(
          'staff_count',
        ),
      ]);
  }

  list(): Promise<RoleRow[]> {
    return this.selectRoles(this.db).orderBy('r.builtin', 'desc').orderBy('r.name').execute();
  }

  find(id: string, db: Executor = this.db): Promise<RoleRow | undefined> {
    return this.selectRoles(db).where('r.id', '=', id).executeTakeFirst();
  }

  findMany(ids: readonly string[], db: Executor = this.db): Promise<RoleRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.selectRoles(db).where('r.id', 'in', ids).execute();
  }

  findByName(name: string, db: Executor = this.db): Promise<RoleRow | undefined> {
    return this.selectRoles(db)
      .where(sql<string>`lower(r.name)`, '=', name.toLowerCase())
      .executeTakeFirst();
  }

  async create(
    trx: Transaction<DB>,
    values: { name: string; description: string; grants: string[] },
  ): Promise<string> {
    const { id } = await trx
      .insertInto('roles')
      .values({ name: values.name, description: values.description })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.replaceGrants(trx, id, values.grants);
    return id;
  }

  async update(
    trx: Transaction<DB>,
    id: string,
    values: { name?: string; description?: string },
  ): Promise<void> {
    await trx
      .updateTable('roles')
      .set({ ...values, updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }

  async delete(trx: Transaction<DB>, id: string): Promise<void> {
    await trx.deleteFrom('roles').where('id', '=', id).execute();
  }

  async replaceGrants(trx: Transaction<DB>, id: string, grants: readonly string[]): Promise<void> {
    await trx.deleteFrom('role_grants').where('role_id', '=', id).execute();
    if (grants.length > 0) {
      await trx
        .insertInto('role_grants')
        .values([...new Set(grants)].map((grant) => ({ role_id: id, grant })))
        .execute();
    }
    await trx
      .updateTable('roles')
      .set({ updated_at: sql`now()` })
      .where('id', '=', id)
      .execute();
  }

  /** The role ids assigned to a staff member (locked: assignment changes are serialised per person). */
  async assignedRoleIds(trx: Transaction<DB>, staffId: string): Promise<string[]> {
    const rows = await trx
      .selectFrom('staff_role_assignments')
      .select('role_id')
      .where('staff_id', '=', staffId)
      .forUpdate()
      .execute();
    return rows.map((r) => r.role_id);
  }

  async assign(
    trx: Transaction<DB>,
    staffId: string,
    roleId: string,
    by: string | null,
  ): Promise<void> {
    await trx
      .insertInto('staff_role_assignments')
      .values({ staff_id: staffId, role_id: roleId, assigned_by: by })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async unassign(trx: Transaction<DB>, staffId: string, roleId: string): Promise<void> {
    await trx
      .deleteFrom('staff_role_assignments')
      .where('staff_id', '=', staffId)
      .where('role_id', '=', roleId)
      .execute();
  }

  /**
   * Active staff who hold the Admin role. Every caller first locks the Admin role row, so changes that
   * could remove an admin take turns, and each counts in a fresh statement that sees the previous
   * one's committed change: two concurrent changes cannot both remove "one of two" admins.
   */
  async activeAdminIds(trx: Transaction<DB>): Promise<string[]> {
    await sql`SELECT id FROM roles WHERE name = 'Admin' AND builtin FOR UPDATE`.execute(trx);
    const rows = await sql<{ id: string }>`
      SELECT u.id FROM staff_users u
      JOIN staff_role_assignments a ON a.staff_id = u.id
      JOIN roles r ON r.id = a.role_id AND r.name = 'Admin' AND r.builtin
      WHERE u.status = 'active'
      FOR UPDATE OF u
    `.execute(trx);
    return rows.rows.map((r) => r.id);
  }

  async record(trx: Transaction<DB>, actor: Actor, entry: HistoryEntry): Promise<void> {
    await trx
      .insertInto('role_history')
      .values({
        action: entry.action,
        actor_id: actor.id,
        actor_email: actor.email,
        role_id: entry.roleId,
        role_name: entry.roleName,
        staff_id: entry.staffId ?? null,
        staff_email: entry.staffEmail ?? null,
        before: entry.before === undefined ? null : JSON.stringify(entry.before),
        after: entry.after === undefined ? null : JSON.stringify(entry.after),
        reason: entry.reason ?? null,
      })
      .execute();
  }

  async history(roleId: string, page: number, limit: number) {
    const [rows, total] = await Promise.all([
      this.db
        .selectFrom('role_history')
        .selectAll()
        .where('role_id', '=', roleId)
        .orderBy('id', 'desc')
        .offset((page - 1) * limit)
        .limit(limit)
        .execute(),
      this.db
        .selectFrom('role_history')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('role_id', '=', roleId)
        .executeTakeFirstOrThrow(),
    ]);
    return { rows, total: total.n };
  }
}
