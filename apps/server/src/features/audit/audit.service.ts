import { AuditEntrySchema, type AuditActor } from '@backoffice/contracts';
import type { Database } from '../../platform/db/database.ts';
import { canonicalJson } from '../../platform/audit/chain.ts';
import { readCheckpointFiles } from '../../platform/audit/checkpoint-files.ts';
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
import { csvLine } from '../../platform/http/export.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import type { JobRow, Jobs } from '../../platform/jobs/jobs.ts';
import type { AuditFilter, AuditNames, AuditRepository } from './audit.repository.ts';

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

const sourceServiceOf = (row: AuditRow): string | null => {
  const metadata = row.metadata as { sourceService?: unknown } | null;
  return typeof metadata?.sourceService === 'string' ? metadata.sourceService : null;
};

const platformLabel = (service: string | null, names: AuditNames) =>
  `${service === null ? 'Platform' : names.service(service)} (platform)`;

function actorOf(
  type: AuditActor['type'],
  id: string | null,
  email: string | null,
  sourceService: string | null,
  names: AuditNames,
): AuditActor {
  switch (type) {
    case 'staff': {
      const staff = id === null ? undefined : names.staff.get(id);
      const label = staff?.name ?? staff?.email ?? email ?? id ?? 'Staff';
      return { type, id, email: email ?? staff?.email ?? null, label, person: null };
    }
    case 'upstream':
      return {
        type,
        id,
        email,
        label: platformLabel(sourceService, names),
        person: (id === null ? undefined : names.users.get(id)) ?? null,
      };
    case 'system':
      return {
        type,
        id,
        email,
        label: email === null ? 'System' : `System (${email})`,
        person: null,
      };
    case 'anonymous':
      return {
        type,
        id,
        email,
        label: email === null ? 'Anonymous' : `${email} (not signed in)`,
        person: null,
      };
  }
}

function toAuditEntry(row: AuditRow, links: Map<string, string[]>, names: AuditNames) {
  const sourceService = sourceServiceOf(row);
  const staff = row.resource_id === null ? undefined : names.staff.get(row.resource_id);
  return {
    id: row.id,
    seq: row.seq,
    at: row.at.toISOString(),
    occurredAt: (row.occurred_at ?? row.at).toISOString(),
    source: row.event_id === null ? ('backoffice' as const) : ('platform' as const),
    sourceService,
    actor: actorOf(
      row.actor_type as AuditActor['type'],
      row.actor_id,
      row.actor_email,
      sourceService,
      names,
    ),
    action: row.action,
    resource: {
      type: row.resource_type,
      id: row.resource_id,
      label:
        row.resource_id === null
          ? null
          : row.resource_type === 'role'
            ? (names.roles.get(row.resource_id) ?? null)
            : row.resource_type === 'staff'
              ? (staff?.name ?? staff?.email ?? null)
              : null,
      email:
        row.resource_type === 'user' && row.resource_id !== null
          ? (names.users.get(row.resource_id) ?? null)
          : null,
    },
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

/** Someone the read model records by id only (a user's "blocked by"), and the service that reported it. */
export interface ActorMention {
  id: string;
  sourceService: string;
}

/**
 * Audit entries as every response shows them — the audit log, a user's history — with people, not
 * ids: staff by name, platform actors as their service (and the platform account, when known), and
 * resources by name. The one place display names are resolved; customer emails are marked personal
 * data in the contract, so the response masking path masks them per permission.
 *
 * `actors` are described with the same lookup (one statement for everything): each is one of our
 * staff, or else an account of the platform service that reported it.
 */
export async function describeAudit(
  repository: AuditRepository,
  rows: AuditRow[],
  actors: readonly ActorMention[] = [],
) {
  const ids = (type: string, pick: (row: AuditRow) => string | null) =>
    rows.flatMap((row) => {
      const id = row.resource_type === type ? pick(row) : null;
      return id === null ? [] : [id];
    });
  const { names, links } = await repository.lookup({
    staff: [
      ...rows.flatMap((r) => (r.actor_type === 'staff' && r.actor_id !== null ? [r.actor_id] : [])),
      ...ids('staff', (r) => r.resource_id),
      ...actors.map((a) => a.id),
    ],
    roles: ids('role', (r) => r.resource_id),
    users: [
      ...rows.flatMap((r) =>
        r.actor_type === 'upstream' && r.actor_id !== null ? [r.actor_id] : [],
      ),
      ...ids('user', (r) => r.resource_id),
      ...actors.map((a) => a.id),
    ],
    correlationIds: rows.flatMap((r) => (r.correlation_id === null ? [] : [r.correlation_id])),
  });
  return {
    entries: rows.map((row) => toAuditEntry(row, links, names)),
    actors: actors.map(({ id, sourceService }) =>
      names.staff.has(id)
        ? actorOf('staff', id, null, null, names)
        : actorOf('upstream', id, null, sourceService, names),
    ),
  };
}

export async function describeAuditEntries(repository: AuditRepository, rows: AuditRow[]) {
  return (await describeAudit(repository, rows)).entries;
}

const CSV_COLUMNS = [...AUDIT_ROW_COLUMNS, 'canonical'] as const;

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

  async page(filter: AuditFilter, cursor: string | undefined, limit: number) {
    const [ms, seq] = (cursor ?? '').split('.').map(Number);
    const after = cursor === undefined ? undefined : { happened: new Date(ms ?? 0), seq: seq ?? 0 };
    const rows = await this.repository.page(filter, after, limit + 1);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      data: await describeAuditEntries(this.repository, page),
      limit,
      nextCursor:
        rows.length > limit && last !== undefined
          ? `${(last.occurred_at ?? last.at).getTime()}.${last.seq}`
          : null,
    };
  }

  async get(id: string) {
    const row = await this.repository.find(id);
    if (row === undefined) throw new NotFoundError(`No audit entry ${id}.`);
    const [entry] = await describeAuditEntries(this.repository, [row]);
    return { ...entry!, changes: diff(row.before, row.after) };
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
      if (format === 'csv') yield csvLine(CSV_COLUMNS);
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
              occurred_at: entry.occurredAt ?? null,
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
            chunk += csvLine(CSV_COLUMNS.map((c) => cells[c]));
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

  /** Verifies the chain, and against the checkpoints exported outside the database when configured. */
  async verify(
    onProgress?: (checked: number, total: number) => Promise<void> | void,
    signal?: AbortSignal,
  ): Promise<VerifyResult> {
    const dir = this.writer.checkpointExportDir;
    return verifyAuditChain(this.db, {
      publicKeyPem: this.writer.signer.publicKeyPem,
      keyId: this.writer.signer.keyId,
      exportedCheckpoints: dir === undefined ? [] : await readCheckpointFiles(dir),
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
