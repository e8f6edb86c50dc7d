import { sql, type SelectQueryBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Database } from '../../platform/db/database.ts';
import type { AuditRow } from '../../platform/audit/writer.ts';

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
}

/** Reads of the audit trail: every filter is index-backed (see the audit migration). */
export class AuditRepository {
  constructor(private readonly db: Database) {}

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

  /** Upstream events confirming the actions of these correlation ids. */
  async linkedEvents(correlationIds: readonly string[]): Promise<Map<string, string[]>> {
    const links = new Map<string, string[]>();
    if (correlationIds.length === 0) return links;
    const rows = await this.db
      .selectFrom('audit_event_links')
      .select(['correlation_id', 'event_id'])
      .where('correlation_id', 'in', correlationIds)
      .orderBy('linked_at')
      .execute();
    for (const row of rows)
      links.set(row.correlation_id, [...(links.get(row.correlation_id) ?? []), row.event_id]);
    return links;
  }

  /**
   * Names for the staff, roles and platform users entries mention. The trail names people from three
   * features; it reads their tables by id here, for display only, so one lookup serves every page.
   */
  async names(ids: { staff: string[]; roles: string[]; users: string[] }): Promise<AuditNames> {
    const only = (list: string[]) => [...new Set(list.filter((id) => UUID.test(id)))];
    const [staff, roles, users] = await Promise.all([
      only(ids.staff).length === 0
        ? []
        : this.db
            .selectFrom('staff_users')
            .select(['id', 'name', 'email'])
            .where('id', 'in', only(ids.staff))
            .execute(),
      only(ids.roles).length === 0
        ? []
        : this.db
            .selectFrom('roles')
            .select(['id', 'name'])
            .where('id', 'in', only(ids.roles))
            .execute(),
      only(ids.users).length === 0
        ? []
        : this.db
            .selectFrom('user_summaries')
            .select(['id', 'email'])
            .where('id', 'in', only(ids.users))
            .execute(),
    ]);
    return {
      staff: new Map(staff.map((s) => [s.id, { name: s.name, email: s.email }])),
      roles: new Map(roles.map((r) => [r.id, r.name])),
      users: new Map(users.map((u) => [u.id, u.email])),
    };
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
