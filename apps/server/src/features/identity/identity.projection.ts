import type { EventOf, KnownEvent } from '@backoffice/contracts';
import { upsertRows, type ColumnSpec } from '../../platform/events/projection-kit.ts';
import type { Projection, ProjectionContext, Trx } from '../../platform/events/types.ts';

interface IdentityEventRow {
  id: string;
  user_id: string | null;
  type: string;
  realm_id: string | null;
  client_id: string | null;
  session_id: string | null;
  ip_address: string | null;
  username: string | null;
  error: string | null;
  details: string;
  occurred_at: string;
}

const COLUMNS: ColumnSpec<IdentityEventRow> = [
  ['id', 'uuid'],
  ['user_id', 'text'],
  ['type', 'text'],
  ['realm_id', 'text'],
  ['client_id', 'text'],
  ['session_id', 'text'],
  ['ip_address', 'text'],
  ['username', 'text'],
  ['error', 'text'],
  ['details', 'jsonb'],
  ['occurred_at', 'timestamptz'],
];

/**
 * Keycloak's user events (sign-ins, failed sign-ins, sign-outs, registrations, profile changes…), one
 * row each: the sign-in history of the user's page. Events are facts, never changed, so a row is only
 * ever inserted. Admin events stay in the event log (nothing reads them yet).
 */
export const identityProjection: Projection = {
  name: 'identity',
  eventTypes: ['keycloak.event'],
  tables: ['identity_events'],

  async apply(trx: Trx, events: KnownEvent[], context: ProjectionContext): Promise<void> {
    const rows = (events as EventOf<'keycloak.event'>[]).map(({ event_id, timestamp, data }) => {
      if (data.type === 'LOGIN_ERROR') context.count('identity.failed_sign_ins', 1);
      return {
        id: event_id,
        user_id: data.userId ?? null,
        type: data.type,
        realm_id: data.realmId ?? null,
        client_id: data.clientId ?? null,
        session_id: data.sessionId ?? null,
        ip_address: data.ipAddress ?? null,
        username: data.details?.username ?? null,
        error: data.error ?? null,
        details: JSON.stringify(data.details ?? {}),
        occurred_at: timestamp,
      };
    });
    await upsertRows(trx, 'identity_events', COLUMNS, rows, { conflict: ['id'], update: [] });
  },
};
