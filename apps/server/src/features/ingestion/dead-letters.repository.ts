import { sql, type Selectable } from 'kysely';
import type { DeadLettersTable } from '../../db/schema.ts';
import type { Database } from '../../platform/db/database.ts';

export type DeadLetterRow = Selectable<DeadLettersTable>;

export interface DeadLetterFilter {
  status?: 'pending' | 'replayed' | 'discarded' | undefined;
  reason?: string | undefined;
  source?: string | undefined;
  eventType?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

export class DeadLettersRepository {
  constructor(private readonly db: Database) {}

  private filtered(filter: DeadLetterFilter) {
    let query = this.db.selectFrom('dead_letters');
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    if (filter.reason !== undefined) query = query.where('reason', '=', filter.reason);
    if (filter.source !== undefined) query = query.where('source', '=', filter.source);
    if (filter.eventType !== undefined) query = query.where('event_type', '=', filter.eventType);
    if (filter.from !== undefined) query = query.where('received_at', '>=', new Date(filter.from));
    if (filter.to !== undefined) query = query.where('received_at', '<', new Date(filter.to));
    return query;
  }

  async list(
    filter: DeadLetterFilter,
    page: number,
    limit: number,
  ): Promise<{ rows: DeadLetterRow[]; total: number }> {
    const [rows, total] = await Promise.all([
      this.filtered(filter)
        .selectAll()
        .orderBy('id', 'desc')
        .offset((page - 1) * limit)
        .limit(limit)
        .execute(),
      this.filtered(filter)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { rows, total: total.n };
  }

  /** Pending ones after `afterId`, oldest first: what a bulk replay walks through. */
  pendingAfter(afterId: number, filter: DeadLetterFilter, limit: number): Promise<DeadLetterRow[]> {
    return this.filtered({ ...filter, status: 'pending' })
      .selectAll()
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  find(id: number): Promise<DeadLetterRow | undefined> {
    return this.db.selectFrom('dead_letters').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async resolve(
    id: number,
    status: 'replayed' | 'discarded',
    by: string,
    resolution: string,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('dead_letters')
      .set({ status, resolved_at: sql`now()`, resolved_by: by, resolution })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async recordFailedReplay(id: number, reason: string, detail: string): Promise<void> {
    await this.db
      .updateTable('dead_letters')
      .set({ attempts: sql`attempts + 1`, last_attempt_at: sql`now()`, reason, detail })
      .where('id', '=', id)
      .execute();
  }

  async pendingCount(): Promise<number> {
    const row = await this.db
      .selectFrom('dead_letters')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return row.n;
  }

  sourceStats() {
    return this.db.selectFrom('ingestion_source_stats').selectAll().execute();
  }
}
