import {
  PERMISSIONS,
  grants as grantsPermission,
  isValidGrant,
  type Permission,
} from '@backoffice/contracts';
import type { AuditContext, AuditWriter } from '../../platform/audit/writer.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/http/errors.ts';
import type { Actor, RoleRow, RolesRepository } from './roles.repository.ts';

const isAdminRole = (role: RoleRow) => role.builtin && role.name === 'Admin';

function uniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === '23505';
}

export const historyActor = (context: AuditContext): Actor => ({
  id: context.actor.id,
  email: context.actor.email,
});

/**
 * A grant whose permission has left the catalogue (a database older than the change) stays stored and
 * does nothing: it is neither shown nor grantable, and saving the role's grants keeps it as it is.
 */
const retiredGrants = (grants: readonly string[]) => grants.filter((g) => !isValidGrant(g));
const withCurrentGrants = (role: RoleRow): RoleRow => ({
  ...role,
  grants: role.grants.filter((g) => isValidGrant(g)),
});

const snapshot = (role: RoleRow) => ({
  name: role.name,
  description: role.description,
  grants: role.grants,
});

/**
 * The rules of roles: names are unique, grants come from the catalogue, the built-in roles cannot be
 * renamed or deleted, Admin always holds everything, a role in use cannot be deleted. Every change
 * writes its role-history entry and its audit entry in the same transaction.
 */
export class RolesService {
  constructor(
    private readonly roles: RolesRepository,
    private readonly audit: AuditWriter,
    /** The permissions of the features that run: the matrix shows these. */
    private readonly permissions: readonly Permission[],
  ) {}

  async list(): Promise<RoleRow[]> {
    return (await this.roles.list()).map(withCurrentGrants);
  }

  async get(id: string): Promise<RoleRow> {
    return withCurrentGrants(await this.stored(id));
  }

  async create(
    context: AuditContext,
    input: { name: string; description: string; grants: string[] },
  ): Promise<RoleRow> {
    assertValidGrants(input.grants);
    try {
      return await this.roles.transaction(async (trx) => {
        const id = await this.roles.create(trx, input);
        const role = await this.roles.find(id, trx);
        if (role === undefined) throw new Error('created role vanished');
        await this.roles.record(trx, historyActor(context), {
          action: 'role.created',
          roleId: id,
          roleName: role.name,
          after: snapshot(role),
        });
        await this.audit.record(trx, context, {
          action: 'roles.create',
          resourceType: 'role',
          resourceId: id,
          after: snapshot(role),
        });
        return role;
      });
    } catch (error) {
      if (uniqueViolation(error))
        throw new ConflictError(`A role named ${input.name} already exists.`);
      throw error;
    }
  }

  async update(
    context: AuditContext,
    id: string,
    input: { name?: string | undefined; description?: string | undefined },
  ): Promise<RoleRow> {
    const before = await this.get(id);
    if (before.builtin && input.name !== undefined && input.name !== before.name) {
      throw new ConflictError(`The built-in role ${before.name} cannot be renamed.`);
    }
    try {
      return await this.roles.transaction(async (trx) => {
        await this.roles.update(trx, id, {
          ...(input.name === undefined ? {} : { name: input.name }),
          ...(input.description === undefined ? {} : { description: input.description }),
        });
        const after = withCurrentGrants((await this.roles.find(id, trx)) as RoleRow);
        const change = {
          before: { name: before.name, description: before.description },
          after: { name: after.name, description: after.description },
        };
        await this.roles.record(trx, historyActor(context), {
          action: 'role.updated',
          roleId: id,
          roleName: after.name,
          ...change,
        });
        await this.audit.record(trx, context, {
          action: 'roles.update',
          resourceType: 'role',
          resourceId: id,
          ...change,
        });
        return after;
      });
    } catch (error) {
      if (uniqueViolation(error))
        throw new ConflictError(`A role named ${input.name ?? ''} already exists.`);
      throw error;
    }
  }

  async delete(context: AuditContext, id: string, reason: string | undefined): Promise<void> {
    const role = await this.get(id);
    if (role.builtin) throw new ConflictError(`The built-in role ${role.name} cannot be deleted.`);
    if (role.staff_count > 0) {
      throw new ConflictError(
        `${role.name} is assigned to ${role.staff_count} staff member${role.staff_count === 1 ? '' : 's'}: unassign it first.`,
      );
    }
    await this.roles.transaction(async (trx) => {
      await this.roles.record(trx, historyActor(context), {
        action: 'role.deleted',
        roleId: id,
        roleName: role.name,
        before: snapshot(role),
        reason: reason ?? null,
      });
      await this.roles.delete(trx, id);
      await this.audit.record(trx, context, {
        action: 'roles.delete',
        resourceType: 'role',
        resourceId: id,
        before: snapshot(role),
        reason: reason ?? null,
      });
    });
  }

  async matrix(id: string) {
    const role = await this.get(id);
    return {
      roleId: role.id,
      grants: role.grants,
      editable: !isAdminRole(role),
      permissions: this.permissions.map((permission) => {
        const granted = grantsPermission(role.grants, permission);
        return {
          permission,
          description: PERMISSIONS[permission],
          granted,
          viaWildcard: granted && !role.grants.includes(permission),
        };
      }),
    };
  }

  async setGrants(context: AuditContext, id: string, grants: string[], reason: string | undefined) {
    const stored = await this.stored(id);
    const role = withCurrentGrants(stored);
    if (isAdminRole(role)) throw new ConflictError('The Admin role always holds every permission.');
    assertValidGrants(grants);
    const next = [...new Set(grants)].sort();
    if (next.join() !== role.grants.join()) {
      await this.roles.transaction(async (trx) => {
        await this.roles.replaceGrants(trx, id, [...next, ...retiredGrants(stored.grants)]);
        const change = {
          before: { grants: role.grants },
          after: { grants: next },
          reason: reason ?? null,
        };
        await this.roles.record(trx, historyActor(context), {
          action: 'role.grants_changed',
          roleId: id,
          roleName: role.name,
          ...change,
        });
        await this.audit.record(trx, context, {
          action: 'roles.grants_changed',
          resourceType: 'role',
          resourceId: id,
          ...change,
        });
      });
    }
    return this.matrix(id);
  }

  async history(id: string, page: number, limit: number) {
    await this.get(id);
    return this.roles.history(id, page, limit);
  }

  private async stored(id: string): Promise<RoleRow> {
    const role = await this.roles.find(id);
    if (role === undefined) throw new NotFoundError(`No role ${id}.`);
    return role;
  }
}

function assertValidGrants(grants: readonly string[]): void {
  const invalid = grants.filter((g) => !isValidGrant(g));
  if (invalid.length > 0) {
    throw new ValidationError(
      `Unknown permission${invalid.length === 1 ? '' : 's'}: ${invalid.join(', ')}.`,
      invalid.map((g) => ({
        location: 'body',
        pointer: `/grants/${grants.indexOf(g)}`,
        message: `${g} is not in the permission catalogue (GET /v1/admin/permissions)`,
      })),
    );
  }
}
