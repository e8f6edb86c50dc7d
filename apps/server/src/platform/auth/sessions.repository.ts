import { sql, type Selectable } from 'kysely';
import type { ProviderName, StaffSessionsTable } from '../../db/schema.ts';
import type { Database } from '../db/database.ts';

export type StaffSession = Selectable<StaffSessionsTable>;

/** NOTIFY channel on which revoked session ids are announced (the WebSocket hubs listen). */
export const SESSIONS_CHANNEL = 'backoffice_sessions';

/** A live session with its account and everything its roles grant, from one query. */
export interface SessionWithAccount {
  session: StaffSession;
  staff: {
    id: string;
    email: string;
    name: string | null;
    status: string;
    provider: ProviderName;
    mustChangePassword: boolean;
    mfaEnrolled: boolean;
  };
  roles: string[];
  grants: string[];
  /** The people whose personal data this staff member revealed, and until when (only those lasting). */
  reveals: Map<string, Date>;
}

export class SessionsRepository {
  constructor(private readonly db: Database) {}

  create(values: {
    tokenHash: Buffer;
    staffId: string;
    provider: ProviderName;
    expiresAt: Date;
    mfaVerifiedAt: Date | null;
    ip: string | null;
    userAgent: string | null;
  }): Promise<StaffSession> {
    return this.db
      .insertInto('staff_sessions')
      .values({
        token_hash: values.tokenHash,
        staff_id: values.staffId,
        provider: values.provider,
        expires_at: values.expiresAt,
        mfa_verified_at: values.mfaVerifiedAt,
        ip: values.ip,
        user_agent: values.userAgent,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /**
   * A session for an external token on its first use. Concurrent first requests with the same token
   * create one row; a token whose row exists already (live, revoked or expired) gets nothing new.
   */
  async createForExternalToken(values: {
    tokenHash: Buffer;
    staffId: string;
    provider: ProviderName;
    expiresAt: Date;
    roles: string[];
    ip: string | null;
    userAgent: string | null;
  }): Promise<void> {
    await this.db
      .insertInto('staff_sessions')
      .values({
        token_hash: values.tokenHash,
        staff_id: values.staffId,
        provider: values.provider,
        expires_at: values.expiresAt,
        asserted_roles: values.roles,
        ip: values.ip,
        user_agent: values.userAgent,
      })
      .onConflict((oc) => oc.column('token_hash').doNothing())
      .execute();
  }

  /** Keeps a live external session's roles in step with what its provider asserts now. */
  async assertRoles(tokenHash: Buffer, roles: string[]): Promise<void> {
    await this.db
      .updateTable('staff_sessions')
      .set({ asserted_roles: roles })
      .where('token_hash', '=', tokenHash)
      .where(sql<boolean>`asserted_roles IS DISTINCT FROM ${roles}::text[]`)
      .execute();
  }

  /** Uses a WebSocket ticket: its session id, once, within its 30 seconds. */
  async consumeTicket(ticketHash: Buffer): Promise<string | undefined> {
    const row = await this.db
      .updateTable('realtime_tickets')
      .set({ used_at: sql`now()` })
      .where('ticket_hash', '=', ticketHash)
      .where('used_at', 'is', null)
      .where(sql<boolean>`expires_at > now()`)
      .returning('session_id')
      .executeTakeFirst();
    return row?.session_id;
  }

  /**
   * The live session of this token hash (or id, for a WebSocket ticket) with its account, roles and
   * grants: the roles assigned here plus those its identity provider asserted.
   */
  async findLive(
    by: { tokenHash: Buffer } | { id: string },
  ): Promise<SessionWithAccount | undefined> {
    // Roles the account is assigned here, plus those its identity provider asserted, by name.
    const roleFilter = sql`(r.id IN (SELECT role_id FROM staff_role_assignments a WHERE a.staff_id = u.id)
      OR lower(r.name) = ANY(SELECT lower(x) FROM unnest(s.asserted_roles) x))`;
    const query = this.db
      .selectFrom('staff_sessions as s')
      .innerJoin('staff_users as u', 'u.id', 's.staff_id')
      .selectAll('s')
      .select([
        'u.email',
        'u.name',
        'u.status',
        'u.provider as account_provider',
        'u.must_change_password',
        sql<boolean>`u.totp_enabled_at IS NOT NULL`.as('mfa_enrolled'),
        sql<
          string[]
        >`(SELECT coalesce(array_agg(r.name ORDER BY r.name), '{}') FROM roles r WHERE ${roleFilter})`.as(
          'roles',
        ),
        sql<string[]>`(SELECT coalesce(array_agg(DISTINCT g.grant), '{}')
                       FROM role_grants g JOIN roles r ON r.id = g.role_id WHERE ${roleFilter})`.as(
          'grants',
        ),
        sql<Record<string, string> | null>`(SELECT json_object_agg(subject_id, until) FROM (
                       SELECT subject_id, max(expires_at) AS until FROM pii_reveals
                       WHERE staff_id = u.id AND expires_at > now() GROUP BY subject_id) x)`.as(
          'reveals',
        ),
      ])
      .where('s.revoked_at', 'is', null)
      .where(sql<boolean>`s.expires_at > now()`);
    const row = await (
      'id' in by ? query.where('s.id', '=', by.id) : query.where('s.token_hash', '=', by.tokenHash)
    ).executeTakeFirst();
    if (row === undefined) return undefined;
    const {
      email,
      name,
      status,
      account_provider,
      must_change_password,
      mfa_enrolled,
      roles,
      grants,
      reveals,
      ...session
    } = row;
    return {
      session,
      staff: {
        id: session.staff_id,
        email,
        name,
        status,
        provider: account_provider,
        mustChangePassword: must_change_password,
        mfaEnrolled: mfa_enrolled,
      },
      roles,
      grants,
      reveals: new Map(
        Object.entries(reveals ?? {}).map(([subject, until]) => [subject, new Date(until)]),
      ),
    };
  }

  /** Records activity, at most once a minute per session (a write per request would be wasteful). */
  async touch(id: string): Promise<void> {
    await this.db
      .updateTable('staff_sessions')
      .set({ last_seen_at: sql`now()` })
      .where('id', '=', id)
      .where(sql<boolean>`last_seen_at < now() - interval '1 minute'`)
      .execute();
  }

  /** `at` comes from the application's clock, the one requireRecentMfa compares with. */
  async markMfaVerified(id: string, at: Date): Promise<void> {
    await this.db
      .updateTable('staff_sessions')
      .set({ mfa_verified_at: at })
      .where('id', '=', id)
      .execute();
  }

  async revoke(id: string, by: string | null, reason: string): Promise<boolean> {
    const result = await sql<{ id: string }>`
      WITH revoked AS (
        UPDATE staff_sessions SET revoked_at = now(), revoked_by = ${by}, revoke_reason = ${reason}
        WHERE id = ${id} AND revoked_at IS NULL RETURNING id
      )
      SELECT id, pg_notify(${SESSIONS_CHANNEL}, id::text) FROM revoked
    `.execute(this.db);
    return result.rows.length === 1;
  }

  /**
   * Revokes every live session of a staff member (disabled account, MFA reset…); returns their ids.
   * Like revoke(), it tells every instance (NOTIFY, at commit) so their WebSockets close.
   */
  async revokeAllOf(
    staffId: string,
    by: string | null,
    reason: string,
    except?: string,
  ): Promise<string[]> {
    const result = await sql<{ id: string }>`
      WITH revoked AS (
        UPDATE staff_sessions SET revoked_at = now(), revoked_by = ${by}, revoke_reason = ${reason}
        WHERE staff_id = ${staffId} AND revoked_at IS NULL AND id IS DISTINCT FROM ${except ?? null}::uuid
        RETURNING id
      )
      SELECT id, pg_notify(${SESSIONS_CHANNEL}, id::text) FROM revoked
    `.execute(this.db);
    return result.rows.map((r) => r.id);
  }

  findById(id: string): Promise<StaffSession | undefined> {
    return this.db.selectFrom('staff_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listLive(staffId?: string) {
    let query = this.db
      .selectFrom('staff_sessions as s')
      .innerJoin('staff_users as u', 'u.id', 's.staff_id')
      .select([
        's.id',
        's.staff_id',
        'u.email as staff_email',
        's.provider',
        's.created_at',
        's.last_seen_at',
        's.expires_at',
        's.ip',
        's.user_agent',
      ])
      .where('s.revoked_at', 'is', null)
      .where(sql<boolean>`s.expires_at > now()`)
      .orderBy('s.last_seen_at', 'desc')
      .limit(500);
    if (staffId !== undefined) query = query.where('s.staff_id', '=', staffId);
    return query.execute();
  }
}

/** A session as the API shows it. */
export function sessionView(
  row: {
    id: string;
    staff_id: string;
    staff_email: string;
    provider: 'builtin' | 'upstream-session' | 'oidc';
    created_at: Date;
    last_seen_at: Date;
    expires_at: Date;
    ip: string | null;
    user_agent: string | null;
  },
  currentSessionId: string,
) {
  return {
    id: row.id,
    staffId: row.staff_id,
    staffEmail: row.staff_email,
    provider: row.provider,
    createdAt: row.created_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    ip: row.ip,
    userAgent: row.user_agent,
    current: row.id === currentSessionId,
  };
}
