import { AuditEntrySchema } from '@backoffice/contracts';
import type { Database } from '../../platform/db/database.ts';
import { canonicalJson } from '../../platform/audit/chain.ts';
import {
  AUDIT_ROW_COLUMNS,
  verifyAuditChain,
  type VerifyResult,
} from '../../platform/audit/verify.ts';
import {
  hashedEntryOf,
  type AuditContext,
  type AuditRow,
  type AuditWriter,
} from '../../platform/audit/writer.ts';
import { maskPii } from '../../platform/auth/pii-masking.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import type { JobRow, Jobs } from '../../platform/jobs/jobs.ts';
import type { AuditFilter, AuditRepository } from './audit.repository.ts';

export const VERIFY_JOB = 'audit.verify';
const EXPORT_BATCH = 2_000;

export interface Change {
  path: string;
  before: unknown;
  after: unknown;
}

/** Leaves of a JSON value by JSON pointer (objects descended; arrays compared whole). */
function leaves(
  value: unknown,
  prefix = '',
  out = new Map<string, unknown>(),
): Map<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) out.set(prefix, {});
    for (const [key, child] of entries)
      leaves(child, `${prefix}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`, out);
  } else if (value !== undefined && value !== null) {
    out.set(prefix, value);
  }
  return out;
}

/** What changed between two snapshots, one entry per changed leaf. */
export function diff(before: unknown, after: unknown): Change[] {
  const a = leaves(before);
  const b = leaves(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths
    .filter((path) => canonicalJson(a.get(path)) !== canonicalJson(b.get(path)))
    .map((path) => ({
      path: path === '' ? '/' : path,
      before: a.get(path) ?? null,
      after: b.get(path) ?? null,
    }));
}

export function toAuditEntry(row: AuditRow, links: Map<string, string[]>) {
  return {
    id: row.id,
    seq: row.seq,
    at: row.at.toISOString(),
    actor: {
      type: row.actor_type as 'staff' | 'system' | 'upstream' | 'anonymous',
      id: row.actor_id,
      email: row.actor_email,
    },
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
    linkedEventIds: row.correlation_id === null ? [] : (links.get(row.correlation_id) ?? []),
    metadata: row.metadata ?? null,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

const CSV_COLUMNS = [...AUDIT_ROW_COLUMNS, 'canonical'] as const;

function csvCell(value: unknown): string {
  const text =
    value === null || value === undefined
      ? ''
      : typeof value === 'string'
        ? value
        : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Reading, exporting and verifying the audit trail. Exports stream in batches (constant memory) and
 * carry the hash columns and the exact canonical text that was hashed, so an auditor can re-verify them
 * offline; an export is itself an audited action.
 */
export class AuditService {
  constructor(
    private readonly db: Database,
    private readonly repository: AuditRepository,
    private readonly writer: AuditWriter,
    private readonly jobs: Jobs,
  ) {}

  async page(filter: AuditFilter, cursor: number | undefined, limit: number) {
    const rows = await this.repository.page(filter, cursor, limit + 1);
    const page = rows.slice(0, limit);
    const links = await this.repository.linkedEvents(
      page.flatMap((r) => (r.correlation_id === null ? [] : [r.correlation_id])),
    );
    return {
      data: page.map((row) => toAuditEntry(row, links)),
      limit,
      nextCursor: rows.length > limit ? (page.at(-1)?.seq ?? null) : null,
    };
  }

  async get(id: string) {
    const row = await this.repository.find(id);
    if (row === undefined) throw new NotFoundError(`No audit entry ${id}.`);
    const links = await this.repository.linkedEvents(
      row.correlation_id === null ? [] : [row.correlation_id],
    );
    return { ...toAuditEntry(row, links), changes: diff(row.before, row.after) };
  }

  /** Records the export (with its filters), then yields its lines batch by batch. */
  async export(
    context: AuditContext,
    filter: AuditFilter,
    format: 'csv' | 'ndjson',
    options: { maskPersonalData: boolean },
  ): Promise<AsyncGenerator<string>> {
    await this.writer.record(this.db, context, {
      action: 'audit.export',
      resourceType: 'audit_log',
      metadata: { format, filter, masked: options.maskPersonalData },
    });
    const repository = this.repository;
    return (async function* lines() {
      if (format === 'csv') yield `${CSV_COLUMNS.join(',')}\r\n`;
      let after = 0;
      for (;;) {
        const rows = await repository.ascending(filter, after, EXPORT_BATCH);
        if (rows.length === 0) return;
        let chunk = '';
        for (const row of rows) {
          const entry = hashedEntryOf(row);
          const canonical = canonicalJson(entry);
          const shown = options.maskPersonalData
            ? (maskPii(AuditEntrySchema, entry) as typeof entry)
            : entry;
          if (format === 'ndjson') {
            chunk += `${JSON.stringify({ ...shown, prevHash: row.prev_hash, hash: row.hash })}\n`;
          } else {
            const cells = {
              seq: row.seq,
              id: row.id,
              at: entry.at,
              actor_type: row.actor_type,
              actor_id: row.actor_id,
              actor_email: row.actor_email,
              action: row.action,
              resource_type: row.resource_type,
              resource_id: row.resource_id,
              outcome: row.outcome,
              reason: row.reason,
              before: shown.before,
              after: shown.after,
              ip: shown.ip,
              user_agent: row.user_agent,
              correlation_id: row.correlation_id,
              event_id: row.event_id,
              metadata: shown.metadata,
              prev_hash: row.prev_hash,
              hash: row.hash,
              canonical: options.maskPersonalData ? '' : canonical,
            };
            chunk += `${CSV_COLUMNS.map((c) => csvCell(cells[c])).join(',')}\r\n`;
          }
        }
        yield chunk;
        after = rows.at(-1)?.seq ?? after;
      }
    })();
  }

  async startVerification(context: AuditContext): Promise<JobRow> {
    const job = await this.jobs.enqueue(VERIFY_JOB, {}, context.actor.email ?? context.actor.id);
    await this.writer.record(this.db, context, {
      action: 'audit.verify',
      resourceType: 'job',
      resourceId: job.id,
    });
    return job;
  }

  verify(
    onProgress?: (checked: number, total: number) => Promise<void> | void,
    signal?: AbortSignal,
  ): Promise<VerifyResult> {
    return verifyAuditChain(this.db, {
      publicKeyPem: this.writer.signer.publicKeyPem,
      keyId: this.writer.signer.keyId,
      ...(onProgress === undefined ? {} : { onProgress }),
      ...(signal === undefined ? {} : { signal }),
    });
  }

  async checkpoints() {
    const rows = await this.repository.checkpoints(100);
    return {
      keyId: this.writer.signer.keyId,
      publicKeyPem: this.writer.signer.publicKeyPem,
      checkpoints: rows.map((c) => ({
        seq: c.seq,
        hash: c.hash,
        signedAt: c.signed_at.toISOString(),
        keyId: c.key_id,
        signature: c.signature,
      })),
    };
  }
}
