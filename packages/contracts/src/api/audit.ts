import { z } from 'zod';
import { pii, piiSubject } from '../pii.ts';
import { DateTimeSchema, queryEnum, TextSchema } from './common.ts';

export const AUDIT_OUTCOMES = ['success', 'denied', 'failed'] as const;
export const ACTOR_TYPES = ['staff', 'system', 'upstream', 'anonymous'] as const;
/** Where an entry comes from: an action taken through the backoffice, or a platform service's event. */
export const AUDIT_SOURCES = ['backoffice', 'platform'] as const;

/**
 * Who acted, as a reader wants to see them: a person or a service, never a bare id. The actor is a
 * personal-data subject of its own: revealing the user an entry is about does not reveal who acted.
 */
const AuditActorShape = z.object({
  type: z.enum(ACTOR_TYPES),
  id: z.string().nullable(),
  email: z.string().nullable(),
  label: z
    .string()
    .describe(
      'A staff member’s name (or email), "User Service (platform)" for a platform service, "System", or "Anonymous"',
    ),
  /** For a platform actor: the platform account that acted, when the read model knows it. */
  person: pii(
    z
      .string()
      .nullable()
      .describe(
        'For a platform actor, the email of the platform account that acted (masked without users:read_pii)',
      ),
    'email',
  ),
});
export const AuditActorSchema = piiSubject(AuditActorShape, (actor) => actor.id);

/** An entry about a user holds that user's personal data. */
const aboutUser = (entry: { resource: { type: string; id: string | null } }) =>
  entry.resource.type === 'user' ? entry.resource.id : null;

const AuditEntryShape = z
  .object({
    id: z.uuid(),
    seq: z.number().int(),
    at: z.iso.datetime().describe('When the trail recorded it'),
    occurredAt: z.iso
      .datetime()
      .describe(
        'When it happened: the event’s timestamp for entries from platform events, otherwise the same as `at`',
      ),
    source: z.enum(AUDIT_SOURCES),
    /** The platform service whose event the entry comes from (metadata.source_service). */
    sourceService: z.string().nullable(),
    actor: AuditActorSchema,
    action: z.string(),
    resource: z.object({
      type: z.string(),
      id: z.string().nullable(),
      /** A role's or staff member's name, when known. */
      label: z.string().nullable(),
      /** A platform user's email, when the read model knows it (masked without users:read_pii). */
      email: pii(z.string().nullable(), 'email'),
    }),
    outcome: z.enum(AUDIT_OUTCOMES),
    reason: z.string().nullable(),
    before: pii(z.unknown(), 'json'),
    after: pii(z.unknown(), 'json'),
    ip: pii(z.string().nullable(), 'ip'),
    userAgent: z.string().nullable(),
    correlationId: z.string().nullable(),
    eventId: z.string().nullable(),
    /** Upstream events that confirmed this action (linked by correlation id). */
    linkedEventIds: z.array(z.string()),
    metadata: pii(z.unknown(), 'json'),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEntry' });

export const AuditEntrySchema = piiSubject(AuditEntryShape, aboutUser);

/** Masked as a whole: whether its values are personal data depends on its path. */
export const AuditChangeSchema = pii(
  z.object({
    path: z.string().describe('JSON pointer of the changed value'),
    before: z.unknown(),
    after: z.unknown(),
  }),
  'change',
);

export const AuditEntryDetailSchema = piiSubject(
  AuditEntryShape.extend({
    changes: z.array(AuditChangeSchema),
  }).meta({
    id: 'AuditEntryDetail',
  }),
  aboutUser,
);

export const AuditQuerySchema = z.object({
  actor: TextSchema.max(320).optional().describe('Actor id or email'),
  action: TextSchema.max(100)
    .optional()
    .describe('Exact action, or a prefix ending in * (users.*)'),
  resourceType: TextSchema.max(100).optional(),
  resourceId: TextSchema.max(200).optional(),
  outcome: queryEnum(AUDIT_OUTCOMES).optional(),
  source: queryEnum(AUDIT_SOURCES).optional(),
  from: DateTimeSchema.optional().describe('Happened at or after'),
  to: DateTimeSchema.optional().describe('Happened before'),
  q: TextSchema.trim()
    .min(2)
    .max(200)
    .optional()
    .describe('Free text over action, resource, actor and reason'),
});

export const AuditListQuerySchema = AuditQuerySchema.extend({
  cursor: z
    .string()
    .regex(/^\d{1,15}\.\d{1,15}$/, 'not a cursor this list gave: start again without one')
    .optional()
    .describe('nextCursor of the previous page'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const AuditPageSchema = z
  .object({
    data: z.array(AuditEntrySchema),
    limit: z.number().int(),
    /** Pass as `cursor` for the next page (happened earlier); null on the last page. */
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'AuditPage' });

export const AuditExportQuerySchema = AuditQuerySchema.extend({
  format: queryEnum(['csv', 'ndjson']).default('ndjson'),
});

export const JobSchema = z
  .object({
    id: z.uuid(),
    type: z.string(),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    progress: z.object({ done: z.number(), total: z.number().nullable() }).nullable(),
    result: z.unknown(),
    error: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Job' });

export const VerifyResultSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBrokenSeq: z.number().int().nullable(),
  reason: z.string().nullable(),
  checkpointsVerified: z.number().int(),
});

export const CheckpointsSchema = z
  .object({
    keyId: z.string(),
    publicKeyPem: z.string().describe('Ed25519 public key (SPKI PEM) that verifies the signatures'),
    checkpoints: z.array(
      z.object({
        seq: z.number().int(),
        hash: z.string(),
        signedAt: z.iso.datetime(),
        keyId: z.string(),
        signature: z.string(),
      }),
    ),
  })
  .meta({ id: 'AuditCheckpoints' });

export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export type AuditActor = z.infer<typeof AuditActorSchema>;
