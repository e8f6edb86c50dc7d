import { sql, type Kysely } from 'kysely';

/**
 * Periodic work shared by every instance (decision 0009): one row per task. Claiming a due task moves
 * its next run forward in the same statement (`FOR UPDATE SKIP LOCKED`), so each period runs once
 * across instances; the row keeps the last run's outcome for GET /v1/admin/system/schedules.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('schedules')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('every_ms', 'integer', (c) => c.notNull().check(sql`every_ms > 0`))
    .addColumn('next_run_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_started_at', 'timestamptz')
    .addColumn('last_finished_at', 'timestamptz')
    .addColumn('last_outcome', 'text', (c) => c.check(sql`last_outcome IN ('succeeded', 'failed')`))
    .addColumn('last_error', 'text')
    .addColumn('last_duration_ms', 'integer')
    .addColumn('last_instance', 'text')
    .addColumn('runs', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('failures', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('schedules').execute();
}
