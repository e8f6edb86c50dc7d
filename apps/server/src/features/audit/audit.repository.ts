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
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

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
    if (filter.from !== undefined) query = query.where('at', '>=', new Date(filter.from));
    if (filter.to !== undefined) query = query.where('at', '<', new Date(filter.to));
    if (filter.q !== undefined) {
      query = query.where('search_text', 'like', `%${escapeLike(filter.q.toLowerCase())}%`);
    }
    return query;
  }

  /** Newest first; `before` is the seq to continue below (keyset: stable while entries are appended). */
  page(filter: AuditFilter, before: number | undefined, limit: number): Promise<AuditRow[]> {
    let query = this.filtered(filter).selectAll();
    if (before !== undefined) query = query.where('seq', '<', before);
    return query.orderBy('seq', 'desc').limit(limit).execute();
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

  checkpoints(limit: number) {
    return this.db
      .selectFrom('audit_checkpoints')
      .selectAll()
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
  }
}
