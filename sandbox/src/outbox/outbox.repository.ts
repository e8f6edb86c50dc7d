import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { entityKeyOf, eventIdOf, eventTypeOf, topicOf, type OutboxEvent } from './events.ts';

/** An outbox row as the relay hands it to a publisher. */
export interface OutboxMessage {
  id: string;
  eventId: string;
  eventType: string;
  topic: string;
  key: string;
  /** The message's JSON text, exactly as stored: an envelope, or Keycloak's own JSON. */
  json: string;
}

const INSERT_CHUNK = 5_000;

/**
 * Writes events into the outbox. Call it with the transaction that makes the change the events describe:
 * the events then exist if and only if the change does (transactional outbox). A Keycloak message is
 * stored as it is, with its id, type (keycloak.event, keycloak.admin_event) and topic beside it.
 */
export async function appendToOutbox(
  db: Kysely<DB>,
  events: readonly OutboxEvent[],
): Promise<void> {
  for (let i = 0; i < events.length; i += INSERT_CHUNK) {
    const chunk = events.slice(i, i + INSERT_CHUNK);
    const types = chunk.map(eventTypeOf);
    // A handful of array parameters per chunk rather than five per row (binding those was the slow
    // part of seeding). The messages travel as one JSON array: json_array_elements hands each one
    // over as its text, unchanged. ROWS FROM zips the arrays; ids follow the given order.
    await sql`
      INSERT INTO outbox (event_id, event_type, topic, entity_key, payload)
      SELECT event_id, event_type, topic, entity_key, payload
      FROM ROWS FROM (
        unnest(${chunk.map(eventIdOf)}::uuid[]),
        unnest(${types}::text[]),
        unnest(${types.map(topicOf)}::text[]),
        unnest(${chunk.map((e) => entityKeyOf(e))}::text[]),
        json_array_elements(${`[${chunk.map((e) => JSON.stringify(e)).join(',')}]`}::json)
      ) WITH ORDINALITY AS e(event_id, event_type, topic, entity_key, payload, position)
      ORDER BY position`.execute(db);
  }
}

export class OutboxRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** The oldest undelivered messages, in delivery (id) order. */
  async pending(limit: number): Promise<OutboxMessage[]> {
    const rows = await this.db
      .selectFrom('outbox')
      .select(['id', 'event_id', 'event_type', 'topic', 'entity_key'])
      .select(sql<string>`payload::text`.as('json'))
      .where('delivered_at', 'is', null)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      eventId: r.event_id,
      eventType: r.event_type,
      topic: r.topic,
      key: r.entity_key,
      json: r.json,
    }));
  }

  async markDelivered(ids: readonly string[]): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({ delivered_at: sql<Date>`now()` })
      .where('id', '=', sql<string>`any(${ids}::bigint[])`)
      .execute();
  }

  /** Delivered rows are kept for a while (to look at what was sent), then deleted. */
  async pruneDelivered(olderThanMs: number): Promise<number> {
    const result = await this.db
      .deleteFrom('outbox')
      .where('delivered_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async backlog(): Promise<{ pending: number; oldestPendingAt: Date | null }> {
    const row = await this.db
      .selectFrom('outbox')
      .select((eb) => [
        eb.fn.countAll<string>().as('pending'),
        eb.fn.min('created_at').as('oldest'),
      ])
      .where('delivered_at', 'is', null)
      .executeTakeFirstOrThrow();
    return { pending: Number(row.pending), oldestPendingAt: row.oldest };
  }
}
