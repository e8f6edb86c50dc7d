import type { Logger } from 'pino';
import { AccountsRepository } from '../../platform/auth/accounts.repository.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { SYSTEM_ACTOR, type AuditContext, type AuditWriter } from '../../platform/audit/writer.ts';
import type { Database } from '../../platform/db/database.ts';
import { RolesRepository } from './roles.repository.ts';
import { StaffRepository } from './staff.repository.ts';
import { StaffService } from './staff.service.ts';

const SYSTEM: AuditContext = {
  actor: SYSTEM_ACTOR,
  ip: null,
  userAgent: null,
  correlationId: null,
};

function services(db: Database, audit: AuditWriter) {
  const roles = new RolesRepository(db);
  const staff = new StaffRepository(db);
  const accounts = new AccountsRepository(db);
  return { roles, staff, accounts, service: new StaffService(staff, roles, accounts, audit) };
}

async function adminRoleId(roles: RolesRepository): Promise<string> {
  const admin = await roles.findByName('Admin');
  if (admin === undefined)
    throw new Error('the built-in Admin role is missing: are the migrations applied?');
  return admin.id;
}

/**
 * The first Admin, created only when no staff account exists at all (BACKOFFICE_BOOTSTRAP_ADMIN_EMAIL /
 * _PASSWORD, or demo mode). Returns whether it was created now.
 */
export async function ensureFirstAdmin(
  db: Database,
  audit: AuditWriter,
  admin: { email: string; password: string; name?: string },
  logger: Logger,
): Promise<boolean> {
  const { roles, staff, service } = services(db, audit);
  if ((await staff.count()) > 0) return false;
  await service.create(SYSTEM, {
    email: admin.email,
    name: admin.name ?? 'Administrator',
    roleIds: [await adminRoleId(roles)],
    password: admin.password,
  });
  logger.info({ email: admin.email }, 'created the first Admin account');
  return true;
}

/**
 * `backoffice create-admin`: a new Admin account, or — with `resetPassword` — an existing account made an
 * active Admin again with a new password (the way back in when nobody can sign in).
 */
export async function createOrResetAdmin(
  db: Database,
  audit: AuditWriter,
  admin: { email: string; name: string; password: string; resetPassword: boolean },
): Promise<'created' | 'reset'> {
  const { roles, staff, accounts, service } = services(db, audit);
  const existing = await accounts.findByEmail(admin.email);
  const roleId = await adminRoleId(roles);
  if (existing === undefined) {
    await service.create(SYSTEM, {
      email: admin.email,
      name: admin.name,
      roleIds: [roleId],
      password: admin.password,
    });
    return 'created';
  }
  if (!admin.resetPassword) {
    throw new Error(
      `${admin.email} already has an account: add --reset-password to reset it and make it an Admin.`,
    );
  }
  const passwordHash = await hashPassword(admin.password);
  await staff.transaction(async (trx) => {
    await new AccountsRepository(trx).setPassword(existing.id, passwordHash, false);
    await staff.update(trx, existing.id, { status: 'active' });
    await audit.record(trx, SYSTEM, {
      action: 'staff.password_reset',
      resourceType: 'staff',
      resourceId: existing.id,
      reason: 'reset from the command line (create-admin --reset-password)',
    });
  });
  const current = (await staff.find(existing.id))?.roles.map((r) => r.id) ?? [];
  await service.setRoles(
    SYSTEM,
    existing.id,
    [...new Set([...current, roleId])],
    'reset from the command line',
  );
  await db
    .deleteFrom('login_throttle')
    .where('key', '=', `account:${admin.email.toLowerCase()}`)
    .execute();
  return 'reset';
}
