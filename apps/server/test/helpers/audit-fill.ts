import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { chainHash } from '../../src/platform/audit/chain.ts';
import { hashedEntryOf, type AuditRow } from '../../src/platform/audit/writer.ts';
import type { Database } from '../../src/platform/db/database.ts';

/**
 * Appends `count` entries to the chain in batches, hashed exactly as the writer hashes them: for tests
 * and benchmarks that need a long trail quickly (the writer takes a lock and a transaction per entry).
 */
export async function fillAuditChain(db: Database, count: number, batch = 2_000): Promise<void> {
  const head = await db
    .selectFrom('audit_chain_head')
    .select(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  let seq = head.seq;
  let previous = head.hash;
  const start = Date.now() - count;
  for (let done = 0; done < count; done += batch) {
    const rows: AuditRow[] = [];
    for (let i = 0; i < Math.min(batch, count - done); i++) {
      seq++;
      const row: AuditRow = {
        seq,
        id: randomUUID(),
        at: new Date(start + seq),
        occurred_at: new Date(start + seq),
        actor_type: 'staff',
        actor_id: `staff-${seq % 7}`,
        actor_email: `agent${seq % 7}@backoffice.test`,
        action: seq % 3 === 0 ? 'users.block' : 'roles.update',
        resource_type: seq % 3 === 0 ? 'user' : 'role',
        resource_id: `r-${seq % 1000}`,
        outcome: seq % 50 === 0 ? 'denied' : 'success',
        reason: seq % 3 === 0 ? 'chargeback fraud' : null,
        before: { state: 'Active', email: `customer${seq}@example.com` },
        after: { state: 'Blocked', email: `customer${seq}@example.com` },
        ip: '10.0.0.1',
        user_agent: 'test',
        correlation_id: randomUUID(),
        event_id: null,
        metadata: null,
        prev_hash: previous,
        hash: '',
        search_text: '',
      };
      row.hash = chainHash(previous, hashedEntryOf(row));
      previous = row.hash;
      rows.push(row);
    }
    const column = <K extends keyof AuditRow>(key: K, type: string) =>
      sql`${rows.map((r) => (key === 'before' || key === 'after' ? JSON.stringify(r[key]) : r[key] instanceof Date ? (r[key] as Date).toISOString() : r[key]))}::${sql.raw(type)}[]`;
    await sql`
      INSERT INTO audit_logs (seq, id, at, occurred_at, actor_type, actor_id, actor_email, action, resource_type, resource_id,
                              outcome, reason, before, after, ip, user_agent, correlation_id, prev_hash, hash)
      SELECT s, i, a, a, at, ai, ae, ac, rt, ri, o, re, b::jsonb, af::jsonb, ip, ua, c, ph, h FROM unnest(
        ${column('seq', 'bigint')}, ${column('id', 'uuid')}, ${column('at', 'timestamptz')}, ${column('actor_type', 'text')},
        ${column('actor_id', 'text')}, ${column('actor_email', 'text')}, ${column('action', 'text')},
        ${column('resource_type', 'text')}, ${column('resource_id', 'text')}, ${column('outcome', 'text')},
        ${column('reason', 'text')}, ${column('before', 'text')}, ${column('after', 'text')}, ${column('ip', 'text')},
        ${column('user_agent', 'text')}, ${column('correlation_id', 'text')}, ${column('prev_hash', 'text')},
        ${column('hash', 'text')}) AS x(s, i, a, at, ai, ae, ac, rt, ri, o, re, b, af, ip, ua, c, ph, h)
    `.execute(db);
  }
  await db.updateTable('audit_chain_head').set({ seq, hash: previous }).execute();
}
