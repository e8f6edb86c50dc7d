import { sql, type Kysely } from 'kysely';

/**
 * A search for a complete email address is `lower(email) = …`, and for the start of one
 * (`anna.k@exa`) `lower(email) LIKE 'anna.k@exa%'`. Neither was served well by what there was:
 * - a LIKE prefix walks a btree only if the btree is in byte order. user_summaries_email_id_idx (the
 *   email sort) is in the database's collation: bytewise on the embedded server (builtin C.UTF-8), but
 *   not on a server of DATABASE_URL in general (libc's C.UTF-8 included). This index is, everywhere
 *   (text_pattern_ops).
 * - the planner reads the statistics of an indexed expression only from an index without a WHERE
 *   clause. Since user_summaries_email_idx went (0010), lower(email) had none: any condition on it was
 *   guessed to match 0.5% of the users, and the first page of an exact-address search walked the whole
 *   registration-order index (1.3 s at 1M users). This index has no WHERE clause: the ANALYZE below
 *   gives lower(email) statistics, and autovacuum keeps them.
 * On bench/search's 1M users (PostgreSQL 15, libc C.UTF-8; EXPLAIN ANALYZE), the first page of an
 * exact address took 55–150 ms through the trigram index and takes 0.2 ms; of an address prefix,
 * 10 ms and 0.04 ms. The email rarely changes, so updates stay HOT.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // IF NOT EXISTS: on a large database, it can be built first without blocking writes, as
  // CREATE INDEX CONCURRENTLY user_summaries_email_prefix_idx ON user_summaries (lower(email) text_pattern_ops)
  await sql`CREATE INDEX IF NOT EXISTS user_summaries_email_prefix_idx ON user_summaries
    (lower(email) text_pattern_ops)`.execute(db);
  await sql`ANALYZE user_summaries`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX user_summaries_email_prefix_idx`.execute(db);
}
