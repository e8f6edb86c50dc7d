import { sql, type SelectQueryBuilder } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DB } from '../../db/schema.ts';
import type { Database } from '../../platform/db/database.ts';
import type { AuditRow } from '../../platform/audit/writer.ts';
import { roleNamesById } from '../access/roles.repository.ts';
import { staffNamesById } from '../access/staff.repository.ts';
import { userEmailsById } from '../users/users.repository.ts';

export interface AuditFilter {
  actor?: string | undefined;
  action?: string | undefined;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  outcome?: 'success' | 'denied' | 'failed' | undefined;
  source?: 'backoffice' | 'platform' | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** When it happened: entries written before occurred_at was stored happened when they were recorded. */
const happened = sql<Date>`coalesce(occurred_at, at)`;

/** A position in the list (happened, seq), as `nextCursor`: "<epoch ms>.<seq>". */
export interface AuditCursor {
  happened: Date;
  seq: number;
}

/** Display names for the ids entries mention, by id. */
export interface AuditNames {
  staff: Map<string, { name: string | null; email: string }>;
  roles: Map<string, string>;
  users: Map<string, string | null>;
  /** A platform service's name by its id (`user-service` → `User Service`). */
  service: (id: string) => string;
}

/** The ids entries mention, to be named (staff, roles, platform users) and linked (correlation ids). */
export interface AuditMentions {
  staff: readonly string[];
  roles: readonly string[];
  users: readonly string[];
  correlationIds: readonly string[];
}

export interface AuditLookup {
  names: AuditNames;
  /** By correlation id: the upstream events confirming that action. */
  links: Map<string, string[]>;
}

/** Reads of the audit trail: every filter is index-backed (see the audit migration). */
export class AuditRepository {
  constructor(
    private readonly db: Database,
    /** Names the platform services that reported entries (the upstream registry's `nameOf`). */
    private readonly serviceName: (id: string) => string = (id) => id,
  ) {}

  private filtered(filter: AuditFilter): SelectQueryBuilder<DB, 'audit_logs', object> {
    let query = this.db.selectFrom('audit_logs');
    if (filter.actor !== undefined) {
      const actor = filter.actor;
      query = actor.includes('@')
        ? query.where(sql<string>`lower(actor_email)`, '=', actor.toLowerCase())
        : query.where('actor_id', '=', actor);
    }
    if (filter.action !== undefined) {
      query = filter.action.endsWith('*')
        ? query.where('action', 'like', `${escapeLike(filter.action.slice(0, -1))}%`)
        : query.where('action', '=', filter.action);
    }
    if (filter.resourceType !== undefined)
      query = query.where('resource_type', '=', filter.resourceType);
    if (filter.resourceId !== undefined) query = query.where('resource_id', '=', filter.resourceId);
    if (filter.outcome !== undefined) query = query.where('outcome', '=', filter.outcome);
    if (filter.source !== undefined)
      query = query.where('event_id', filter.source === 'platform' ? 'is not' : 'is', null);
    if (filter.from !== undefined) query = query.where(happened, '>=', new Date(filter.from));
    if (filter.to !== undefined) query = query.where(happened, '<', new Date(filter.to));
    if (filter.q !== undefined) {
      query = query.where('search_text', 'like', `%${escapeLike(filter.q.toLowerCase())}%`);
    }
    return query;
  }

  /**
   * Latest happened first (then latest recorded); `after` is the last entry of the previous page
   * (keyset: stable while entries are appended).
   */
  page(filter: AuditFilter, after: AuditCursor | undefined, limit: number): Promise<AuditRow[]> {
    let query = this.filtered(filter).selectAll();
    if (after !== undefined)
      query = query.where(
        sql<boolean>`(${happened}, seq) < (${after.happened.toISOString()}::timestamptz, ${after.seq}::bigint)`,
      );
    return query.orderBy(happened, 'desc').orderBy('seq', 'desc').limit(limit).execute();
  }

  /** Oldest first from `after`, for exports: one batch at a time, whatever the size of the trail. */
  ascending(filter: AuditFilter, after: number, limit: number): Promise<AuditRow[]> {
    return this.filtered(filter)
      .selectAll()
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  find(id: string): Promise<AuditRow | undefined> {
    return this.db.selectFrom('audit_logs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Names for the staff, roles and platform users entries mention, and the upstream events confirming
   * the actions of their correlation ids (oldest link first): one statement, whose parts with no ids
   * are left out, and none at all when nothing is mentioned. The trail names people from three
   * features: each of them gives the subquery that reads its own table, so one statement serves every
   * page.
   */
  async lookup(mentions: AuditMentions): Promise<AuditLookup> {
    const only = (list: readonly string[]) => [...new Set(list.filter((id) => UUID.test(id)))];
    const staff = only(mentions.staff);
    const roles = only(mentions.roles);
    const users = only(mentions.users);
    const correlationIds = [...new Set(mentions.correlationIds)];
    const names: AuditNames = {
      staff: new Map(),
      roles: new Map(),
      users: new Map(),
      service: this.serviceName,
    };
    const links = new Map<string, string[]>();
    if (staff.length + roles.length + users.length + correlationIds.length === 0)
      return { names, links };
    const none = sql<never[]>`'[]'::json`;
    const row = await this.db
      .selectNoFrom((eb) => [
        (staff.length === 0 ? none : jsonArrayFrom(staffNamesById(eb, staff))).as('staff'),
        (roles.length === 0 ? none : jsonArrayFrom(roleNamesById(eb, roles))).as('roles'),
        (users.length === 0 ? none : jsonArrayFrom(userEmailsById(eb, users))).as('users'),
        (correlationIds.length === 0
          ? none
          : jsonArrayFrom(
              eb
                .selectFrom('audit_event_links')
                .select(['correlation_id', 'event_id'])
                .where('correlation_id', 'in', correlationIds)
                .orderBy('linked_at'),
            )
        ).as('links'),
      ])
      .executeTakeFirstOrThrow();
    for (const s of row.staff) names.staff.set(s.id, { name: s.name, email: s.email });
    for (const r of row.roles) names.roles.set(r.id, r.name);
    for (const u of row.users) names.users.set(u.id, u.email);
    for (const link of row.links)
      links.set(link.correlation_id, [...(links.get(link.correlation_id) ?? []), link.event_id]);
    return { names, links };
  }

  checkpoints(limit: number) {
    return this.db
      .selectFrom('audit_checkpoints')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
  }
}
