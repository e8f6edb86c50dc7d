import { createPublicKey, verify as verifySignature } from 'node:crypto';
import type { Database } from '../db/database.ts';
import { GENESIS_HASH, chainHash } from './chain.ts';
import type { ExportedCheckpoint } from './checkpoint-files.ts';
import { checkpointMessage, hashedEntryOf } from './writer.ts';

export interface VerifyResult {
  ok: boolean;
  /** Entries whose hash was recomputed before the walk ended (at the end, or at the first break). */
  checked: number;
  firstBrokenSeq: number | null;
  reason: string | null;
  checkpointsVerified: number;
}

export interface VerifyOptions {
  /** The current signing key; checkpoints signed with it have their signature checked (older keys' are not). */
  publicKeyPem?: string;
  keyId?: string;
  /**
   * Checkpoints exported outside the database (checkpoint-files.ts): entries they name must still be
   * there, with that hash — which finds a tail removed together with its checkpoints and the head.
   * Read them before verifying: a copy exported later may name an entry past the head read here.
   */
  exportedCheckpoints?: readonly ExportedCheckpoint[];
  batchSize?: number;
  onProgress?: (checked: number, total: number) => Promise<void> | void;
  signal?: AbortSignal;
}

/** The stored columns of an audit entry: what verification reads, and what an export writes. */
export const AUDIT_ROW_COLUMNS = [
  'seq',
  'id',
  'at',
  'occurred_at',
  'actor_type',
  'actor_id',
  'actor_email',
  'action',
  'resource_type',
  'resource_id',
  'outcome',
  'reason',
  'before',
  'after',
  'ip',
  'user_agent',
  'correlation_id',
  'event_id',
  'metadata',
  'prev_hash',
  'hash',
] as const;

/**
 * Walks the chain up to its head as it is when verification starts (appends go on meanwhile; they are
 * for the next run), in seq order, a batch at a time (constant memory), and stops at the first entry that
 * breaks it: a gap (removed entry), a prev_hash that is not the previous entry's hash (something before
 * it was removed, inserted or reordered), or content that does not hash to its stored hash (altered).
 * Then checks that the head matches the last entry (nothing removed from the end) and that every signed
 * checkpoint names an entry with that hash (a rewritten tail), with a valid signature — in the
 * database and, when given, exported outside it.
 */
export async function verifyAuditChain(
  db: Database,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  const batchSize = options.batchSize ?? 5_000;
  // One snapshot for both: a checkpoint committed between two separate reads would name an entry
  // past the head read first, and look like entries removed from the end.
  const { head, checkpointRows } = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => ({
      head: await trx
        .selectFrom('audit_chain_head')
        .select(['seq', 'hash'])
        .executeTakeFirstOrThrow(),
      checkpointRows: await trx
        .selectFrom('audit_checkpoints')
        .selectAll()
        .orderBy('seq')
        .execute(),
    }));
  const checkpoints = new Map(checkpointRows.map((c) => [c.seq, c]));
  const publicKey =
    options.publicKeyPem === undefined ? undefined : createPublicKey(options.publicKeyPem);
  const validSignature = (seq: number, hash: string, keyId: string, signature: string) =>
    publicKey === undefined ||
    keyId !== options.keyId ||
    verifySignature(
      null,
      Buffer.from(checkpointMessage(seq, hash)),
      publicKey,
      Buffer.from(signature, 'base64'),
    );
  // Only exported copies signed with the current key count: anyone can write a file.
  const exported = new Map(
    (options.exportedCheckpoints ?? [])
      .filter(
        (c) =>
          publicKey !== undefined &&
          c.keyId === options.keyId &&
          validSignature(c.seq, c.hash, c.keyId, c.signature),
      )
      .map((c) => [c.seq, c]),
  );

  let expected = 1;
  let previous = GENESIS_HASH;
  let checkpointsVerified = 0;
  const broken = (seq: number, reason: string): VerifyResult => ({
    ok: false,
    checked: expected - 1,
    firstBrokenSeq: seq,
    reason,
    checkpointsVerified,
  });

  for (;;) {
    if (options.signal?.aborted === true) throw new Error('verification cancelled');
    const rows = await db
      .selectFrom('audit_logs')
      .select(AUDIT_ROW_COLUMNS)
      .where('seq', '>=', expected)
      // The chain as it was when verification started; entries appended meanwhile are for the next run.
      .where('seq', '<=', head.seq)
      .orderBy('seq')
      .limit(batchSize)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.seq !== expected) {
        return broken(
          expected,
          `entry ${expected} is missing: the next one is ${row.seq} (removed entry)`,
        );
      }
      if (row.prev_hash !== previous) {
        return broken(
          row.seq,
          `entry ${row.seq} does not follow entry ${row.seq - 1}: its prev_hash is not that entry's hash (entries removed, inserted or reordered)`,
        );
      }
      if (chainHash(previous, hashedEntryOf({ ...row, search_text: '' })) !== row.hash) {
        return broken(
          row.seq,
          `entry ${row.seq} does not match its hash (its content was altered)`,
        );
      }
      const checkpoint = checkpoints.get(row.seq);
      if (checkpoint !== undefined) {
        if (checkpoint.hash !== row.hash) {
          return broken(
            row.seq,
            `entry ${row.seq} differs from its signed checkpoint (the chain was rewritten from here)`,
          );
        }
        if (
          !validSignature(checkpoint.seq, checkpoint.hash, checkpoint.key_id, checkpoint.signature)
        ) {
          return broken(row.seq, `the checkpoint at entry ${row.seq} has an invalid signature`);
        }
        checkpointsVerified++;
      }
      const copy = exported.get(row.seq);
      if (copy !== undefined && copy.hash !== row.hash) {
        return broken(
          row.seq,
          `entry ${row.seq} differs from the checkpoint exported outside the database (the chain was rewritten from here)`,
        );
      }
      previous = row.hash;
      expected++;
    }
    await options.onProgress?.(expected - 1, head.seq);
  }

  const last = expected - 1;
  if (head.seq !== last || head.hash !== previous) {
    return broken(
      last + 1,
      `the chain head says entry ${head.seq} is the last, but the trail ends at ${last} (entries removed from the end)`,
    );
  }
  const beyond = [...checkpoints.keys()].find((seq) => seq > last);
  if (beyond !== undefined) {
    return broken(
      last + 1,
      `a signed checkpoint names entry ${beyond}, which no longer exists (entries removed from the end)`,
    );
  }
  const exportedBeyond = [...exported.values()].find((c) => c.seq > last);
  if (exportedBeyond !== undefined) {
    return broken(
      last + 1,
      `a checkpoint exported outside the database names entry ${exportedBeyond.seq}, but the trail ends at ${last} (entries removed from the end)`,
    );
  }
  return { ok: true, checked: last, firstBrokenSeq: null, reason: null, checkpointsVerified };
}
