import type { EventOf, KnownEvent } from '@backoffice/contracts';
import type { Selectable } from 'kysely';
import type { UserSessionsTable } from '../../db/schema.ts';
import {
  compareVersions,
  groupBy,
  loadRows,
  upsertRows,
  versionOf,
  type ColumnSpec,
} from '../../platform/events/projection-kit.ts';
import type { Projection, ProjectionContext, Trx } from '../../platform/events/types.ts';
import { userDeltas } from './user-deltas.ts';

type SessionEvent = EventOf<'session.created' | 'session.ended'>;
type SessionRow = Selectable<UserSessionsTable>;

const COLUMNS: ColumnSpec<SessionRow> = [
  ['session_id', 'text'],
  ['user_id', 'uuid'],
  ['created_at', 'timestamptz'],
  ['expires_at', 'timestamptz'],
  ['ended_at', 'timestamptz'],
  ['end_reason', 'text'],
  ['ip', 'text'],
  ['user_agent', 'text'],
];

const isActive = (session: SessionRow | undefined): boolean =>
  session !== undefined && session.created_at !== null && session.ended_at === null;

/**
 * A session is active from session.created until session.ended; the end is final, whichever arrives
 * first. Both fields keep the earliest report, so the order of arrival does not matter.
 */
export function foldSession(
  current: SessionRow | undefined,
  events: readonly SessionEvent[],
): SessionRow {
  const sorted = [...events].sort((a, b) => compareVersions(versionOf(a), versionOf(b)));
  const first = sorted[0];
  if (first === undefined) throw new Error('foldSession needs at least one event');
  let next: SessionRow = current ?? {
    session_id: first.data.session_id,
    user_id: first.data.user_id,
    created_at: null,
    expires_at: null,
    ended_at: null,
    end_reason: null,
    ip: null,
    user_agent: null,
  };
  for (const event of sorted) {
    if (event.event_type === 'session.created') {
      if (next.created_at !== null) continue;
      next = {
        ...next,
        user_id: event.data.user_id,
        created_at: new Date(event.data.created_at),
        expires_at: event.data.expires_at == null ? null : new Date(event.data.expires_at),
        ip: event.data.ip ?? null,
        user_agent: event.data.user_agent ?? null,
      };
    } else {
      const endedAt = new Date(event.data.ended_at);
      if (next.ended_at !== null && next.ended_at <= endedAt) continue;
      next = { ...next, ended_at: endedAt, end_reason: event.data.reason };
    }
  }
  return next;
}

export const sessionsProjection: Projection = {
  name: 'sessions',
  eventTypes: ['session.created', 'session.ended'],
  tables: ['user_sessions'],

  async apply(trx: Trx, events: KnownEvent[], context: ProjectionContext): Promise<void> {
    const bySession = groupBy(events as SessionEvent[], (e) => e.data.session_id);
    const current = await loadRows(
      trx,
      'user_sessions',
      'session_id',
      [...bySession.keys()],
      'text',
    );
    const changed: SessionRow[] = [];

    for (const [sessionId, sessionEvents] of bySession) {
      const before = current.get(sessionId);
      const after = foldSession(before, sessionEvents);
      if (before !== undefined && sameSession(before, after)) continue;
      changed.push(after);
      const delta = Number(isActive(after)) - Number(isActive(before));
      context.shared(userDeltas).add(after.user_id, 'activeSessions', delta);
      context.count('sessions.active', delta);
      if (after.created_at !== null) {
        context.shared(userDeltas).seen(after.user_id, 'lastLoginAt', after.created_at);
        context.shared(userDeltas).seen(after.user_id, 'lastActivityAt', after.created_at);
      }
    }

    await upsertRows(trx, 'user_sessions', COLUMNS, changed, { conflict: ['session_id'] });
  },
};

function sameSession(a: SessionRow, b: SessionRow): boolean {
  return COLUMNS.every(([column]) => {
    const x = a[column];
    const y = b[column];
    return x instanceof Date && y instanceof Date ? x.getTime() === y.getTime() : x === y;
  });
}
