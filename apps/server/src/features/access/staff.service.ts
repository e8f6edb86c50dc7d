import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB, StaffStatus } from '../../db/schema.ts';
import { AccountsRepository } from '../../platform/auth/accounts.repository.ts';
import { hashPassword, passwordProblem } from '../../platform/auth/passwords.ts';
import { SessionsRepository } from '../../platform/auth/sessions.repository.ts';
import type { AuditContext, AuditWriter } from '../../platform/audit/writer.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../platform/http/errors.ts';
import type { RoleRow, RolesRepository } from './roles.repository.ts';
import { historyActor } from './roles.service.ts';
import type { StaffFilter, StaffRepository, StaffRow } from './staff.repository.ts';

/** 16 characters from a 31-letter alphabet without look-alikes: ~79 bits, easy to read aloud once. */
export function temporaryPassword(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  return [...randomBytes(16)].map((b) => alphabet[b % alphabet.length] ?? 'A').join('');
}

const isAdmin = (role: { name: string }) => role.name === 'Admin';

/** What the audit trail keeps of an account: no secrets. */
const snapshot = (staff: StaffRow) => ({
  email: staff.email,
  name: staff.name,
  status: staff.status,
  roles: staff.roles.map((r) => r.name),
  mfaEnrolled: staff.mfa_enrolled,
});

/**
 * Staff accounts: create (with a temporary password to change at first sign-in), rename, disable,
 * assign roles, reset a lost second factor, see and end sessions. The last active Admin cannot be
 * disabled or lose the role: someone must always be able to manage access. Each change commits with
 * its audit entry (and role-history entries for assignments).
 */
export class StaffService {
  constructor(
    private readonly staff: StaffRepository,
    private readonly roles: RolesRepository,
    private readonly accounts: AccountsRepository,
    private readonly audit: AuditWriter,
  ) {}

  list(filter: StaffFilter, page: number, limit: number) {
    return this.staff.list(filter, page, limit);
  }

  async get(id: string, trx?: Transaction<DB>): Promise<StaffRow> {
    const found = await this.staff.find(id, trx);
    if (found === undefined) throw new NotFoundError(`No staff member ${id}.`);
    return found;
  }

  async create(
    context: AuditContext,
    input: { email: string; name: string; roleIds: string[]; password?: string | undefined },
  ): Promise<{ staff: StaffRow; temporaryPassword: string | null }> {
    if (input.password !== undefined) {
      const problem = passwordProblem(input.password, input.email);
      if (problem !== null) {
        throw new ValidationError(`The password ${problem}.`, [
          { location: 'body', pointer: '/password', message: problem },
        ]);
      }
    }
    if ((await this.accounts.findByEmail(input.email)) !== undefined) {
      throw new ConflictError(`There is already a staff account for ${input.email}.`);
    }
    const roles = await this.requireRoles(input.roleIds);
    const generated = input.password === undefined ? temporaryPassword() : null;
    const passwordHash = await hashPassword(input.password ?? generated ?? '');
    const staff = await this.staff.transaction(async (trx) => {
      const staffId = await this.staff.create(trx, {
        email: input.email,
        name: input.name,
        passwordHash,
        mustChangePassword: generated !== null,
        createdBy: context.actor.id,
      });
      for (const role of roles) await this.assign(trx, context, staffId, input.email, role, null);
      const created = await this.get(staffId, trx);
      await this.audit.record(trx, context, {
        action: 'staff.create',
        resourceType: 'staff',
        resourceId: staffId,
        after: { ...snapshot(created), temporaryPassword: generated !== null },
      });
      return created;
    });
    return { staff, temporaryPassword: generated };
  }

  async update(
    context: AuditContext,
    id: string,
    input: {
      name?: string | undefined;
      status?: StaffStatus | undefined;
      reason?: string | undefined;
    },
  ): Promise<StaffRow> {
    const before = await this.get(id);
    const disabling = input.status === 'disabled' && before.status === 'active';
    if (disabling && id === context.actor.id)
      throw new ConflictError('You cannot disable your own account.');
    return this.staff.transaction(async (trx) => {
      if (disabling) await this.refuseLastAdmin(trx, id, 'disable');
      await this.staff.update(trx, id, {
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.status === undefined ? {} : { status: input.status }),
      });
      let endedSessions = 0;
      if (disabling) {
        const reason = `account disabled${input.reason === undefined ? '' : `: ${input.reason}`}`;
        endedSessions = (
          await new SessionsRepository(trx).revokeAllOf(id, context.actor.id, reason)
        ).length;
      }
      const after = await this.get(id, trx);
      await this.audit.record(trx, context, {
        action: disabling
          ? 'staff.disable'
          : input.status === 'active' && before.status === 'disabled'
            ? 'staff.enable'
            : 'staff.update',
        resourceType: 'staff',
        resourceId: id,
        before: snapshot(before),
        after: snapshot(after),
        reason: input.reason ?? null,
        ...(disabling ? { metadata: { endedSessions } } : {}),
      });
      return after;
    });
  }

  /** Sets exactly these roles; each one added or removed is a history entry, the whole change one audit entry. */
  async setRoles(
    context: AuditContext,
    id: string,
    roleIds: string[],
    reason: string | undefined,
  ): Promise<StaffRow> {
    const member = await this.get(id);
    const wanted = await this.requireRoles(roleIds);
    return this.staff.transaction(async (trx) => {
      const current = await this.roles.assignedRoleIds(trx, id);
      const removed = current.filter((roleId) => !roleIds.includes(roleId));
      const added = wanted.filter((role) => !current.includes(role.id));
      const removedRoles = await this.roles.findMany(removed, trx);
      if (removedRoles.some(isAdmin))
        await this.refuseLastAdmin(trx, id, 'remove the Admin role from');
      for (const role of removedRoles) {
        await this.roles.unassign(trx, id, role.id);
        await this.roles.record(trx, historyActor(context), {
          action: 'role.unassigned',
          roleId: role.id,
          roleName: role.name,
          staffId: id,
          staffEmail: member.email,
          reason: reason ?? null,
        });
      }
      for (const role of added)
        await this.assign(trx, context, id, member.email, role, reason ?? null);
      const after = await this.get(id, trx);
      await this.audit.record(trx, context, {
        action: 'staff.roles_changed',
        resourceType: 'staff',
        resourceId: id,
        before: { roles: member.roles.map((r) => r.name) },
        after: { roles: after.roles.map((r) => r.name) },
        reason: reason ?? null,
      });
      return after;
    });
  }

  /** For a lost device: TOTP off, every session ended; the person enrols again at next sign-in. */
  async resetMfa(context: AuditContext, id: string, reason: string): Promise<StaffRow> {
    const before = await this.get(id);
    return this.staff.transaction(async (trx) => {
      await new AccountsRepository(trx).disableTotp(id);
      const ended = await new SessionsRepository(trx).revokeAllOf(
        id,
        context.actor.id,
        `second factor reset: ${reason}`,
      );
      await this.audit.record(trx, context, {
        action: 'staff.mfa_reset',
        resourceType: 'staff',
        resourceId: id,
        before: { mfaEnrolled: before.mfa_enrolled },
        after: { mfaEnrolled: false },
        reason,
        metadata: { endedSessions: ended.length },
      });
      return this.get(id, trx);
    });
  }

  listSessions(staffId: string | undefined) {
    return new SessionsRepository(this.staff.database).listLive(staffId);
  }

  async revokeSession(
    context: AuditContext,
    sessionId: string,
    reason: string | undefined,
  ): Promise<void> {
    await this.staff.transaction(async (trx) => {
      const sessions = new SessionsRepository(trx);
      const session = await sessions.findById(sessionId);
      if (
        session === undefined ||
        !(await sessions.revoke(
          sessionId,
          context.actor.id,
          reason ?? 'revoked by an administrator',
        ))
      ) {
        throw new NotFoundError(`No live session ${sessionId}.`);
      }
      await this.audit.record(trx, context, {
        action: 'staff.session_revoked',
        resourceType: 'staff',
        resourceId: session.staff_id,
        reason: reason ?? null,
        metadata: { sessionId },
      });
    });
  }

  private async assign(
    trx: Transaction<DB>,
    context: AuditContext,
    staffId: string,
    staffEmail: string,
    role: RoleRow,
    reason: string | null,
  ): Promise<void> {
    await this.roles.assign(trx, staffId, role.id, context.actor.id);
    await this.roles.record(trx, historyActor(context), {
      action: 'role.assigned',
      roleId: role.id,
      roleName: role.name,
      staffId,
      staffEmail,
      reason,
    });
  }

  private async requireRoles(ids: readonly string[]): Promise<RoleRow[]> {
    const found = await this.roles.findMany([...new Set(ids)]);
    const missing = ids.filter((id) => !found.some((r) => r.id === id));
    if (missing.length > 0) {
      throw new ValidationError(
        `Unknown role${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}.`,
        missing.map((id) => ({
          location: 'body',
          pointer: `/roleIds/${ids.indexOf(id)}`,
          message: 'no such role',
        })),
      );
    }
    return found;
  }

  private async refuseLastAdmin(
    trx: Transaction<DB>,
    staffId: string,
    action: string,
  ): Promise<void> {
    const admins = await this.roles.activeAdminIds(trx);
    if (admins.includes(staffId) && admins.length <= 1) {
      throw new ConflictError(
        `You cannot ${action} the last active Admin: make someone else an Admin first.`,
      );
    }
  }
}
