import type { FastifyInstance } from 'fastify';
import { RolesRepository } from '../../src/features/access/roles.repository.ts';
import { StaffRepository } from '../../src/features/access/staff.repository.ts';
import { StaffService } from '../../src/features/access/staff.service.ts';
import { AccountsRepository } from '../../src/platform/auth/accounts.repository.ts';
import { totpCode } from '../../src/platform/auth/totp.ts';
import { testAuditWriter } from './audit.ts';
import type { Database } from '../../src/platform/db/database.ts';

export const PASSWORD = 'correct horse battery staple';

let counter = 0;

/** A staff account with these roles (by name), created through the real service. */
export async function createStaff(
  db: Database,
  options: { roles?: string[]; email?: string; password?: string; name?: string } = {},
): Promise<{ id: string; email: string; password: string }> {
  const roles = new RolesRepository(db);
  const service = new StaffService(
    new StaffRepository(db),
    roles,
    new AccountsRepository(db),
    testAuditWriter(),
  );
  const roleIds: string[] = [];
  for (const name of options.roles ?? ['Staff']) {
    const role = await roles.findByName(name);
    if (role === undefined) throw new Error(`no role ${name}`);
    roleIds.push(role.id);
  }
  const email = options.email ?? `staff${++counter}-${Date.now()}@backoffice.test`;
  const password = options.password ?? PASSWORD;
  const { staff } = await service.create(
    {
      actor: { type: 'system', id: null, email: 'test' },
      ip: null,
      userAgent: null,
      correlationId: null,
    },
    { email, name: options.name ?? 'Test Person', roleIds, password },
  );
  return { id: staff.id, email, password };
}

/** Signs in through POST /v1/admin/auth/login and returns the bearer token. */
export async function signIn(
  app: FastifyInstance,
  email: string,
  password = PASSWORD,
  totp?: string,
): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/admin/auth/login',
    payload: { email, password, ...(totp === undefined ? {} : { totp }) },
  });
  if (response.statusCode !== 200)
    throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  return response.json<{ token: string }>().token;
}

/** A signed-in staff member with these roles; tests that do not exercise MFA turn the policy off. */
export async function signedIn(app: FastifyInstance, db: Database, roles: string[] = ['Staff']) {
  const staff = await createStaff(db, { roles });
  const token = await signIn(app, staff.email);
  return { ...staff, token, headers: { authorization: `Bearer ${token}` } };
}

/**
 * Enrols an authenticator for the signed-in staff member, then signs in again with the next step's
 * code: a session with a fresh second-factor proof, as step-up routes want.
 */
export async function withRecentMfa(
  app: FastifyInstance,
  staff: { email: string; token: string },
): Promise<{ token: string; headers: { authorization: string }; secret: string }> {
  const auth = { authorization: `Bearer ${staff.token}` };
  const start = await app.inject({ method: 'POST', url: '/v1/admin/auth/mfa/totp', headers: auth });
  if (start.statusCode !== 200) throw new Error(`enrolment failed: ${start.body}`);
  const { secret } = start.json<{ secret: string }>();
  const confirm = await app.inject({
    method: 'POST',
    url: '/v1/admin/auth/mfa/totp/confirm',
    headers: auth,
    payload: { code: totpCode(secret) },
  });
  if (confirm.statusCode !== 200) throw new Error(`confirmation failed: ${confirm.body}`);
  // The enrolment used this step's code; the next step's is accepted now (one step of drift).
  const token = await signIn(app, staff.email, PASSWORD, totpCode(secret, Date.now() + 30_000));
  return { token, headers: { authorization: `Bearer ${token}` }, secret };
}
