import type { EventOf, KnownEvent } from '@backoffice/contracts';
import { sql } from 'kysely';
import type { AuditInput, AuditWriter } from '../../platform/audit/writer.ts';
import type { Projection, Trx } from '../../platform/events/types.ts';

type ActorEvent = EventOf<
  | 'user.blocked'
  | 'user.unblocked'
  | 'user.disabled'
  | 'user.enabled'
  | 'user.updated'
  | 'session.ended'
>;

interface UpstreamAction {
  actorId: string;
  userId: string;
  input: AuditInput;
}

/** The actor an event records, and the audit entry it stands for; undefined when nobody acted on it. */
function upstreamAction(event: ActorEvent): UpstreamAction | undefined {
  const common = {
    eventId: event.event_id,
    occurredAt: new Date(event.timestamp),
    metadata: { sourceService: event.metadata.source_service },
  };
  switch (event.event_type) {
    case 'user.blocked':
      return event.data.blocked_by == null
        ? undefined
        : {
            actorId: event.data.blocked_by,
            userId: event.data.user_id,
            input: {
              ...common,
              action: 'user.blocked',
              resourceType: 'user',
              resourceId: event.data.user_id,
              reason: event.data.reason ?? null,
            },
          };
    case 'user.unblocked':
      return event.data.unblocked_by == null
        ? undefined
        : {
            actorId: event.data.unblocked_by,
            userId: event.data.user_id,
            input: {
              ...common,
              action: 'user.unblocked',
              resourceType: 'user',
              resourceId: event.data.user_id,
              reason: event.data.reason ?? null,
            },
          };
    case 'user.disabled':
    case 'user.enabled': {
      const actorId =
        event.event_type === 'user.disabled' ? event.data.disabled_by : event.data.enabled_by;
      return actorId == null
        ? undefined
        : {
            actorId,
            userId: event.data.user_id,
            input: {
              ...common,
              action: event.event_type,
              resourceType: 'user',
              resourceId: event.data.user_id,
              reason: event.data.reason ?? null,
            },
          };
    }
    case 'user.updated':
      return event.data.updated_by == null
        ? undefined
        : {
            actorId: event.data.updated_by,
            userId: event.data.user.id,
            input: {
              ...common,
              action: 'user.updated',
              resourceType: 'user',
              resourceId: event.data.user.id,
              before: event.data.old_values,
              after: event.data.new_values,
            },
          };
    case 'session.ended':
      return event.data.reason !== 'forced' || event.data.ended_by == null
        ? undefined
        : {
            actorId: event.data.ended_by,
            userId: event.data.user_id,
            input: {
              ...common,
              action: 'session.ended',
              resourceType: 'user',
              resourceId: event.data.user_id,
              metadata: { ...common.metadata, sessionId: event.data.session_id },
            },
          };
  }
}

/**
 * The event-sourced part of the audit trail (main spec): platform events that record who acted — a
 * block, an unblock, a profile change, a forced sign-out — become audit entries linked to their event.
 * When the backoffice itself initiated the action (the actor is one of our staff, or our entry with the
 * same correlation id exists), the event is linked to that entry by correlation id instead of copied.
 * Idempotent, and never emptied by a rebuild.
 */
export function auditProjection(writer: AuditWriter): Projection {
  return {
    name: 'audit',
    eventTypes: [
      'user.blocked',
      'user.unblocked',
      'user.disabled',
      'user.enabled',
      'user.updated',
      'session.ended',
    ],
    tables: [],
    async apply(trx: Trx, events: KnownEvent[]): Promise<void> {
      for (const event of events as ActorEvent[]) {
        const action = upstreamAction(event);
        if (action === undefined) continue;
        const correlationId = event.metadata.correlation_id;
        const seen = await sql<{ found: boolean }>`
          SELECT EXISTS (SELECT 1 FROM audit_logs WHERE event_id = ${event.event_id})
              OR EXISTS (SELECT 1 FROM audit_event_links WHERE event_id = ${event.event_id}) AS found
        `.execute(trx);
        if (seen.rows[0]?.found === true) continue;
        const ours = await sql<{ found: boolean }>`
          SELECT EXISTS (SELECT 1 FROM staff_users WHERE id::text = ${action.actorId})
              OR EXISTS (SELECT 1 FROM audit_logs WHERE correlation_id = ${correlationId}
                         AND resource_id = ${action.userId} AND actor_type = 'staff') AS found
        `.execute(trx);
        if (ours.rows[0]?.found === true) {
          await trx
            .insertInto('audit_event_links')
            .values({
              event_id: event.event_id,
              correlation_id: correlationId,
              event_type: event.event_type,
              resource_id: action.userId,
            })
            .execute();
        } else {
          await writer.record(
            trx,
            {
              actor: { type: 'upstream', id: action.actorId, email: null },
              ip: null,
              userAgent: null,
              correlationId,
            },
            action.input,
          );
        }
      }
    },
  };
}
