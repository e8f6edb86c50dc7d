import type { KnownEvent } from '@backoffice/contracts';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { inTransaction, type Database } from '../../platform/db/database.ts';
import { decodeMessage } from '../../platform/events/decode.ts';
import { Projector } from '../../platform/events/projector.ts';
import type { Projection } from '../../platform/events/types.ts';

const STATE_KEY = 'read_model.rebuild';

interface RebuildState {
  cursor: number;
  total: number;
  startedAt: string;
}

export interface RebuildProgress {
  done: number;
  total: number;
  eventsPerSecond: number;
}

/**
 * Rebuilds the read model from the event log: empties the projections' tables, then replays every
 * logged event through the same projections, in log order, a batch per transaction. The position is
 * committed with each batch, so an interrupted rebuild resumes where it stopped (`restart` starts over).
 * Live ingestion may go on meanwhile: projections are idempotent and order-free, so events projected
 * live and replayed again converge; until the replay reaches the end, the read model is incomplete.
 */
export async function rebuildReadModel(
  db: Database,
  projections: readonly Projection[],
  logger: Logger,
  options: {
    restart?: boolean;
    batchSize?: number;
    onProgress?: (progress: RebuildProgress) => void;
  } = {},
): Promise<{ events: number; seconds: number }> {
  const projector = new Projector(db, projections, logger);
  const batchSize = options.batchSize ?? 2_000;
  let state = await loadState(db);

  if (state === undefined || options.restart === true) {
    const tables = [
      ...new Set([
        ...projections.flatMap((p) => p.tables),
        'entity_tombstones',
        'read_model_counters',
      ]),
    ];
    const total = await db
      .selectFrom('event_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    state = { cursor: 0, total: total.n, startedAt: new Date().toISOString() };
    const fresh = state;
    await inTransaction(db, async (trx) => {
      await Projector.lock(trx);
      await sql`TRUNCATE ${sql.join(tables.map((t) => sql.table(t)))}`.execute(trx);
      await saveState(trx, fresh);
    });
    logger.info({ events: state.total }, 'read model emptied; replaying the event log');
  } else {
    logger.info({ from: state.cursor }, 'resuming the interrupted rebuild');
  }

  const started = performance.now();
  let done = 0;
  for (;;) {
    const rows = await db
      .selectFrom('event_log')
      .select(['seq', 'envelope'])
      .where('seq', '>', state.cursor)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    const last = rows.at(-1);
    if (last === undefined) break;
    const events: KnownEvent[] = [];
    for (const row of rows) {
      const decoded = decodeMessage({ body: row.envelope, position: { source: 'replay' } }, 0);
      if (decoded.kind === 'known') events.push(decoded.event);
    }
    const next: RebuildState = { ...state, cursor: last.seq };
    await inTransaction(db, async (trx) => {
      await Projector.lock(trx);
      await projector.project(trx, events);
      await saveState(trx, next);
    });
    state = next;
    done += rows.length;
    const seconds = (performance.now() - started) / 1000;
    options.onProgress?.({
      done,
      total: state.total,
      eventsPerSecond: Math.round(done / Math.max(seconds, 0.001)),
    });
  }

  await db.deleteFrom('instance_settings').where('key', '=', STATE_KEY).execute();
  return { events: done, seconds: (performance.now() - started) / 1000 };
}

async function loadState(db: Database): Promise<RebuildState | undefined> {
  const row = await db
    .selectFrom('instance_settings')
    .select('value')
    .where('key', '=', STATE_KEY)
    .executeTakeFirst();
  return row?.value as RebuildState | undefined;
}

async function saveState(db: Database, state: RebuildState): Promise<void> {
  await db
    .insertInto('instance_settings')
    .values({ key: STATE_KEY, value: JSON.stringify(state) })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({ value: JSON.stringify(state), updated_at: sql`now()` }),
    )
    .execute();
}
