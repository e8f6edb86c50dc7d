import { SESSION_END_REASONS, USER_ROLES, USER_STATES } from '@backoffice/contracts';
import { z } from 'zod';
import type { Selectable } from 'kysely';
import type { SessionsTable, UsersTable } from '../../db/schema.ts';
import { timestamp } from '../../platform/schemas.ts';

/**
 * A user as the User Service shows it. The same object is the `user` of the user.* events (snake_case,
 * as the main spec's payloads), so a consumer can parse API answers with the contracts' UserSchema.
 */
export const UserResourceSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(USER_ROLES),
  state: z.enum(USER_STATES),
  created_at: timestamp,
  updated_at: timestamp,
});
export type UserResource = z.infer<typeof UserResourceSchema>;

export const SessionResourceSchema = z.object({
  session_id: z.string(),
  user_id: z.uuid(),
  created_at: timestamp,
  expires_at: timestamp,
  ended_at: timestamp.nullable(),
  end_reason: z.enum(SESSION_END_REASONS).nullable(),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
  active: z.boolean(),
});
export type SessionResource = z.infer<typeof SessionResourceSchema>;

const email = z
  .email()
  .max(320)
  .transform((value) => value.toLowerCase());
const name = z.string().trim().min(1).max(200);
const reason = z.string().trim().min(1).max(2000);

export const SignUpBody = z.object({
  email,
  password: z.string().min(8).max(200),
  name: name.optional(),
});
export const LoginBody = z.object({ email, password: z.string().min(1).max(200) });
export const LoginResponse = z.object({ sessionId: z.string(), userId: z.uuid() });

/** `GET /v1/auth/session`: the main spec's "session's user", with the session itself. */
export const SessionUserResponse = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(USER_ROLES),
  state: z.enum(USER_STATES),
  sessionId: z.string(),
  expiresAt: timestamp,
});

export const UserListQuery = z.object({
  email: z.string().trim().min(1).max(320).optional(),
  search: z.string().trim().min(1).max(200).optional(),
});

export const UpdateUserBody = z
  .object({ name, email, role: z.enum(USER_ROLES) })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'give at least one of name, email, role');

export const ReasonBody = z.object({ reason });
export const StateChangeResponse = z.object({ user: UserResourceSchema, changed: z.boolean() });

export const SessionsQuery = z.object({
  all: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});
export const ForceLogoutResponse = z.object({ ended: z.number().int() });

export function toUserResource(row: Selectable<UsersTable>): UserResource {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    state: row.state,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function toSessionResource(row: Selectable<SessionsTable>, now: Date): SessionResource {
  return {
    session_id: row.id,
    user_id: row.user_id,
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at.toISOString(),
    ended_at: row.ended_at?.toISOString() ?? null,
    end_reason: row.end_reason,
    ip: row.ip,
    user_agent: row.user_agent,
    active: row.ended_at === null && row.expires_at > now,
  };
}
