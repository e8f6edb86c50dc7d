import { sql, type Kysely } from 'kysely';

/**
 * What ingestion owns: the idempotency record (processed_events), the raw event log every read model
 * can be rebuilt from (event_log, partitioned by month of receipt), dead letters, and per-source totals.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('processed_events')
    .addColumn('event_id', 'uuid', (c) => c.primaryKey())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('topic', 'text')
    .addColumn('partition', 'integer')
    .addColumn('offset', 'bigint')
    .addColumn('processed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('processed_events_event_type_idx')
    .on('processed_events')
    .column('event_type')
    .execute();
  await db.schema
    .createIndex('processed_events_processed_at_idx')
    .on('processed_events')
    .column('processed_at')
    .execute();

  // Partitioned by month of receipt: old months can be detached and archived without touching the rest.
  await sql`
    CREATE TABLE event_log (
      seq bigint GENERATED ALWAYS AS IDENTITY,
      received_at timestamptz NOT NULL DEFAULT now(),
      event_id uuid NOT NULL,
      event_type text NOT NULL,
      event_time timestamptz NOT NULL,
      source text NOT NULL,
      topic text,
      partition integer,
      "offset" bigint,
      envelope jsonb NOT NULL,
      PRIMARY KEY (seq, received_at)
    ) PARTITION BY RANGE (received_at)
  `.execute(db);
  await sql`CREATE TABLE event_log_default PARTITION OF event_log DEFAULT`.execute(db);
  await sql`CREATE INDEX event_log_event_id_idx ON event_log (event_id)`.execute(db);
  await sql`CREATE INDEX event_log_type_time_idx ON event_log (event_type, event_time)`.execute(db);

  // Creates the monthly partitions covering [from, from + months). Called at every start too.
  await sql`
    CREATE FUNCTION ensure_event_log_partitions(from_month date, months integer) RETURNS integer
    LANGUAGE plpgsql AS $$
    DECLARE
      created integer := 0;
      month_start date;
      name text;
    BEGIN
      FOR i IN 0..months - 1 LOOP
        month_start := (date_trunc('month', from_month) + make_interval(months => i))::date;
        name := format('event_log_%s', to_char(month_start, 'YYYY_MM'));
        IF to_regclass(name) IS NULL THEN
          EXECUTE format(
            'CREATE TABLE %I PARTITION OF event_log FOR VALUES FROM (%L) TO (%L)',
            name, month_start, (month_start + interval '1 month')::date);
          created := created + 1;
        END IF;
      END LOOP;
      RETURN created;
    END $$
  `.execute(db);
  await sql`SELECT ensure_event_log_partitions(current_date, 3)`.execute(db);

  await db.schema
    .createTable('dead_letters')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('topic', 'text')
    .addColumn('partition', 'integer')
    .addColumn('offset', 'bigint')
    .addColumn('event_id', 'uuid')
    .addColumn('event_type', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    // The payload as received: JSON when it parsed, otherwise the raw text.
    .addColumn('payload', 'jsonb')
    .addColumn('raw', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('last_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolved_by', 'text')
    .addColumn('resolution', 'text')
    .addCheckConstraint(
      'dead_letters_status_check',
      sql`status IN ('pending', 'replayed', 'discarded')`,
    )
    .execute();
  await db.schema
    .createIndex('dead_letters_status_received_idx')
    .on('dead_letters')
    .columns(['status', 'received_at'])
    .execute();
  // The same bad event delivered again (redelivery, replay from the producer) is one dead letter.
  await sql`
    CREATE UNIQUE INDEX dead_letters_pending_event_uq ON dead_letters (event_id)
    WHERE status = 'pending' AND event_id IS NOT NULL
  `.execute(db);

  await db.schema
    .createTable('ingestion_source_stats')
    .addColumn('source', 'text', (c) => c.primaryKey())
    .addColumn('processed', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('duplicates', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('dead_letters', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('unknown_types', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_event_at', 'timestamptz')
    .addColumn('last_batch_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ingestion_source_stats').execute();
  await db.schema.dropTable('dead_letters').execute();
  await sql`DROP FUNCTION ensure_event_log_partitions(date, integer)`.execute(db);
  await db.schema.dropTable('event_log').execute();
  await db.schema.dropTable('processed_events').execute();
}
