import { sql, type Kysely } from 'kysely';

/**
 * user_summaries is updated by most events (totals, last activity, sessions). Indexes that no query
 * uses only slow those updates down, and an indexed last_activity_at made every transaction event's
 * update a non-HOT one (new entries in every index, the trigram one included):
 * - user_summaries_email_idx duplicates user_summaries_email_id_idx for every listed user;
 * - user_summaries_state_idx and user_summaries_last_activity_idx were never chosen by the planner
 *   on bench/search's 1M users (pg_stat_user_indexes: 0 scans): their filters match too many rows.
 * Free space in each page (fillfactor 80) lets updates stay on the page (HOT).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX user_summaries_email_idx`.execute(db);
  await sql`DROP INDEX user_summaries_state_idx`.execute(db);
  await sql`DROP INDEX user_summaries_last_activity_idx`.execute(db);
  await sql`ALTER TABLE user_summaries SET (fillfactor = 80)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE user_summaries RESET (fillfactor)`.execute(db);
  await sql`CREATE INDEX user_summaries_email_idx ON user_summaries (lower(email))`.execute(db);
  await sql`CREATE INDEX user_summaries_state_idx ON user_summaries (state)`.execute(db);
  await sql`CREATE INDEX user_summaries_last_activity_idx ON user_summaries (last_activity_at)`.execute(
    db,
  );
}
