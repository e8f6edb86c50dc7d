import { sql, type Kysely } from 'kysely';

/**
 * A dead letter keeps the message's bytes as they arrived. Bytes that are not UTF-8, or hold a NUL
 * (which no text column accepts), are kept in base64; `raw_encoding` says which, so a replay and a
 * reader get the exact bytes back.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE dead_letters
    ADD COLUMN raw_encoding text NOT NULL DEFAULT 'utf8'
      CONSTRAINT dead_letters_raw_encoding_check CHECK (raw_encoding IN ('utf8', 'base64'))`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE dead_letters DROP COLUMN raw_encoding`.execute(db);
}
