import type { AuditAction } from '@backoffice/contracts';
import {
  createPrivateKey,
  createPublicKey,
  createHash,
  randomUUID,
  sign,
  type KeyObject,
} from 'node:crypto';
import fs from 'node:fs/promises';
import type { FastifyRequest } from 'fastify';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { AuditLogsTable, AuditOutcome, DB } from '../../db/schema.ts';
import { ServiceUnavailableError } from '../http/errors.ts';
import { chainHash, type HashedEntry } from './chain.ts';
import { lastExportedSeq, writeCheckpointFile } from './checkpoint-files.ts';
import { inTransaction } from '../db/database.ts';

export type ActorType = 'staff' | 'system' | 'upstream' | 'anonymous';

export interface AuditActor {
  type: ActorType;
  id: string | null;
  email: string | null;
}

/** Who acts and from where: taken from the request once, handed to the services. */
export interface AuditContext {
  actor: AuditActor;
  ip: string | null;
  userAgent: string | null;
  correlationId: string | null;
}

export interface AuditInput {
  /** From the catalogue in packages/contracts (audit-actions.ts). */
  action: AuditAction;
  /** When it happened, if not now: the timestamp of the platform event an entry is derived from. */
  occurredAt?: Date;
  resourceType: string;
  resourceId?: string | null;
  outcome?: AuditOutcome;
  reason?: string | null;
  before?: unknown;
  after?: unknown;
  eventId?: string | null;
  metadata?: Record<string, unknown> | null;
}

export type AuditRow = Selectable<AuditLogsTable>;

/** The audit actions the platform itself records (every other one belongs to a feature). */
export const PLATFORM_AUDIT_ACTIONS: readonly AuditAction[] = ['access.denied', 'resources.export'];

export const SYSTEM_ACTOR: AuditActor = { type: 'system', id: null, email: null };

export function auditContext(request: FastifyRequest): AuditContext {
  const principal = request.principal ?? null;
  return {
    actor:
      principal === null
        ? { type: 'anonymous', id: null, email: null }
        : { type: 'staff', id: principal.staffId, email: principal.email },
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
    correlationId: request.id,
  };
}

/** The document an entry's hash covers, from a stored row (verify, export) — see chain.ts. */
export function hashedEntryOf(row: AuditRow): HashedEntry {
  return {
    seq: row.seq,
    id: row.id,
    at: row.at.toISOString(),
    ...(row.occurred_at === null ? {} : { occurredAt: row.occurred_at.toISOString() }),
    actor: { type: row.actor_type, id: row.actor_id, email: row.actor_email },
    action: row.action,
    resource: { type: row.resource_type, id: row.resource_id },
    outcome: row.outcome,
    reason: row.reason,
    before: row.before ?? null,
    after: row.after ?? null,
    ip: row.ip,
    userAgent: row.user_agent,
    correlationId: row.correlation_id,
    eventId: row.event_id,
    metadata: row.metadata ?? null,
  };
}

/**
 * What jsonb will give back: plain JSON (dates as strings, undefined dropped), with NUL characters —
 * which jsonb cannot hold — replaced. Hashing this, not the caller's object, keeps verify exact.
 */
function asStoredJson(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) =>
      typeof v === 'string' ? v.replaceAll('\0', '\uFFFD') : v,
    ),
  ) as unknown;
}

const clean = (text: string | null | undefined) =>
  text == null ? null : text.replaceAll('\0', '\uFFFD');

export interface CheckpointSigner {
  keyId: string;
  publicKeyPem: string;
  sign(seq: number, hash: string): string;
}

/** The message an Ed25519 checkpoint signature covers. */
export const checkpointMessage = (seq: number, hash: string) =>
  `backoffice-audit-checkpoint:v1:${seq}:${hash}`;

export function createCheckpointSigner(privateKeyPem: string): CheckpointSigner {
  const privateKey: KeyObject = createPrivateKey(privateKeyPem);
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    keyId: createHash('sha256').update(der).digest('hex').slice(0, 16),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    sign: (seq, hash) =>
      sign(null, Buffer.from(checkpointMessage(seq, hash)), privateKey).toString('base64'),
  };
}

export class AuditUnavailableError extends ServiceUnavailableError {}

export interface AuditWriterOptions {
  /** Append-only local file where failures to write the trail are recorded. */
  fallbackFile: string;
  signer: CheckpointSigner;
  /** Sign a checkpoint every this many entries. */
  checkpointEvery: number;
  /** Where each signed checkpoint is also written as a file, outside the database; unset: nowhere. */
  checkpointExportDir?: string | undefined;
  logger: Logger;
}

/**
 * The one audit writer. record() runs inside the caller's transaction, so the entry and the change it
 * describes commit together or not at all. Each entry takes the chain head's lock (5 s at most),
 * chains its hash to the previous entry and moves the head; every `checkpointEvery` entries it also
 * signs the (seq, hash). If the trail cannot be written, the action is refused (503), the attempt is
 * appended to a local fallback file, logged at error level, and /readyz reports the trail as failing
 * until a write succeeds again.
 */
export class AuditWriter {
  private failure: { since: Date; error: string } | undefined;
  private lastExported: number | undefined;

  constructor(private readonly options: AuditWriterOptions) {}

  get failing(): { since: Date; error: string } | undefined {
    return this.failure;
  }

  get signer(): CheckpointSigner {
    return this.options.signer;
  }

  get checkpointExportDir(): string | undefined {
    return this.options.checkpointExportDir;
  }

  /** Records in the caller's transaction. Pass the database itself for an entry of its own. */
  async record(executor: Kysely<DB>, context: AuditContext, input: AuditInput): Promise<AuditRow> {
    if (!executor.isTransaction) {
      return inTransaction(executor, (trx) => this.record(trx, context, input));
    }
    const trx = executor as Transaction<DB>;
    try {
      await sql`SET LOCAL lock_timeout = '5s'`.execute(trx);
      const head = await trx
        .selectFrom('audit_chain_head')
        .select(['seq', 'hash'])
        .forUpdate()
        .executeTakeFirstOrThrow();
      const at = new Date();
      const row: AuditRow = {
        seq: head.seq + 1,
        id: randomUUID(),
        at,
        occurred_at: input.occurredAt ?? at,
        actor_type: context.actor.type,
        actor_id: clean(context.actor.id),
        actor_email: clean(context.actor.email),
        action: input.action,
        resource_type: input.resourceType,
        resource_id: clean(input.resourceId),
        outcome: input.outcome ?? 'success',
        reason: clean(input.reason),
        before: asStoredJson(input.before),
        after: asStoredJson(input.after),
        ip: clean(context.ip),
        user_agent: clean(context.userAgent),
        correlation_id: clean(context.correlationId),
        event_id: input.eventId ?? null,
        metadata: asStoredJson(input.metadata),
        prev_hash: head.hash,
        hash: '',
        search_text: '',
      };
      row.hash = chainHash(head.hash, hashedEntryOf(row));
      const { search_text: _, before, after, metadata, ...columns } = row;
      await trx
        .insertInto('audit_logs')
        .values({
          ...columns,
          before: before === null ? null : JSON.stringify(before),
          after: after === null ? null : JSON.stringify(after),
          metadata: metadata === null ? null : JSON.stringify(metadata),
        })
        .execute();
      await trx.updateTable('audit_chain_head').set({ seq: row.seq, hash: row.hash }).execute();
      if (row.seq % this.options.checkpointEvery === 0)
        await this.checkpoint(trx, row.seq, row.hash);
      this.failure = undefined;
      return row;
    } catch (error) {
      await this.recordFailure(context, input, error);
      throw new AuditUnavailableError(
        'The audit trail cannot be written, so the action was not performed.',
        {
          cause: error,
        },
      );
    }
  }

  /**
   * Signs the chain head as it is now, unless it is signed already, then exports the checkpoints signed
   * since the last export (called on a timer).
   */
  async checkpointHead(db: Kysely<DB>): Promise<void> {
    await inTransaction(db, async (trx) => {
      const head = await trx
        .selectFrom('audit_chain_head')
        .select(['seq', 'hash'])
        .forShare()
        .executeTakeFirstOrThrow();
      if (head.seq === 0) return;
      await this.checkpoint(trx, head.seq, head.hash);
    });
    await this.exportCheckpoints(db);
  }

  /**
   * Copies committed checkpoints to files outside the database, so that removing the newest entries
   * together with their checkpoints and the chain head — which takes a superuser — still shows against
   * the copies. Only after commit: a checkpoint signed in a transaction that rolls back never existed.
   */
  private async exportCheckpoints(db: Kysely<DB>): Promise<void> {
    const dir = this.options.checkpointExportDir;
    if (dir === undefined) return;
    await fs.mkdir(dir, { recursive: true });
    this.lastExported ??= await lastExportedSeq(dir);
    const rows = await db
      .selectFrom('audit_checkpoints')
      .selectAll()
      .where('seq', '>', this.lastExported)
      .orderBy('seq')
      .execute();
    for (const row of rows) {
      await writeCheckpointFile(dir, {
        seq: row.seq,
        hash: row.hash,
        signedAt: row.signed_at.toISOString(),
        keyId: row.key_id,
        signature: row.signature,
      });
      this.lastExported = row.seq;
    }
  }

  private async checkpoint(trx: Transaction<DB>, seq: number, hash: string): Promise<void> {
    await trx
      .insertInto('audit_checkpoints')
      .values({
        seq,
        hash,
        key_id: this.options.signer.keyId,
        signature: this.options.signer.sign(seq, hash),
      })
      .onConflict((oc) => oc.column('seq').doNothing())
      .execute();
  }

  private async recordFailure(
    context: AuditContext,
    input: AuditInput,
    error: unknown,
  ): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    this.failure ??= { since: new Date(), error: message };
    this.options.logger.error(
      { err: error, action: input.action, actor: context.actor },
      'audit trail write failed: action refused',
    );
    const line = JSON.stringify({
      at: new Date().toISOString(),
      error: message,
      context,
      entry: input,
    });
    try {
      await fs.appendFile(this.options.fallbackFile, `${line}\n`, { mode: 0o600, flag: 'a' });
    } catch (fileError) {
      this.options.logger.fatal(
        { err: fileError, entry: line },
        'the audit fallback file cannot be written either',
      );
    }
  }
}
