import type { EventOf, KnownEvent } from '@backoffice/contracts';
import type { Selectable } from 'kysely';
import type { UserSummariesTable } from '../../db/schema.ts';
import {
  Deltas,
  arrayParam,
  isNewer,
  loadRows,
  groupBy,
  upsertRows,
  utcDay,
  versionOf,
  type ColumnSpec,
  type Version,
} from '../../platform/events/projection-kit.ts';
import type { Projection, ProjectionContext, Trx } from '../../platform/events/types.ts';
import { sql } from 'kysely';

type UserEvent = EventOf<
  | 'user.created'
  | 'user.updated'
  | 'user.blocked'
  | 'user.unblocked'
  | 'user.disabled'
  | 'user.enabled'
>;

/** The columns this projection owns; the counters of user_summaries belong to the other projections. */
export interface UserProfileState {
  id: string;
  email: string | null;
  name: string | null;
  role: string | null;
  state: string | null;
  created_at: Date | null;
  updated_at: Date | null;
  blocked_at: Date | null;
  blocked_by: string | null;
  block_reason: string | null;
  profile_version_at: Date | null;
  profile_version_id: string | null;
  state_version_at: Date | null;
  state_version_id: string | null;
  pending_state: string | null;
  pending_since: Date | null;
  pending_correlation_id: string | null;
}

const COLUMNS: ColumnSpec<UserProfileState> = [
  ['id', 'uuid'],
  ['email', 'text'],
  ['name', 'text'],
  ['role', 'text'],
  ['state', 'text'],
  ['created_at', 'timestamptz'],
  ['updated_at', 'timestamptz'],
  ['blocked_at', 'timestamptz'],
  ['blocked_by', 'uuid'],
  ['block_reason', 'text'],
  ['profile_version_at', 'timestamptz'],
  ['profile_version_id', 'uuid'],
  ['state_version_at', 'timestamptz'],
  ['state_version_id', 'uuid'],
  ['pending_state', 'text'],
  ['pending_since', 'timestamptz'],
  ['pending_correlation_id', 'text'],
];

function userIdOf(event: UserEvent): string {
  switch (event.event_type) {
    case 'user.created':
    case 'user.updated':
      return event.data.user.id;
    case 'user.blocked':
    case 'user.unblocked':
    case 'user.disabled':
    case 'user.enabled':
      return event.data.user_id;
  }
}

function newest<E extends KnownEvent>(events: readonly E[]): E | undefined {
  let best: E | undefined;
  for (const event of events) {
    if (best === undefined || isNewer(versionOf(event), versionOf(best))) best = event;
  }
  return best;
}

const version = (at: Date | null, id: string | null): Version | null =>
  at === null || id === null ? null : { at, id };

function emptyUser(id: string): UserProfileState {
  return {
    id,
    email: null,
    name: null,
    role: null,
    state: null,
    created_at: null,
    updated_at: null,
    blocked_at: null,
    blocked_by: null,
    block_reason: null,
    profile_version_at: null,
    profile_version_id: null,
    state_version_at: null,
    state_version_id: null,
    pending_state: null,
    pending_since: null,
    pending_correlation_id: null,
  };
}

/**
 * Folds a user's events over their current row. Profile (email, name, role, registration) and state
 * (Active/Blocked/Disabled and why; the block columns say since when, by whom and why the account is
 * not usable, whichever the reason) are versioned separately: user.blocked carries no profile, so a profile
 * arriving after a newer block must still be applied, and an older state must not undo the block.
 * A state event settles the pending state a staff action set before the User Service confirmed it.
 */
export function foldUser(
  current: UserProfileState,
  events: readonly UserEvent[],
): UserProfileState {
  let next = current;

  const profileEvent = newest(
    events.filter(
      (e): e is EventOf<'user.created' | 'user.updated'> =>
        e.event_type === 'user.created' || e.event_type === 'user.updated',
    ),
  );
  if (profileEvent !== undefined) {
    const v = versionOf(profileEvent);
    if (isNewer(v, version(next.profile_version_at, next.profile_version_id))) {
      const user = profileEvent.data.user;
      next = {
        ...next,
        email: user.email,
        name: user.name ?? null,
        role: user.role,
        created_at: new Date(user.created_at),
        profile_version_at: v.at,
        profile_version_id: v.id,
      };
    }
  }

  const stateEvent = newest(events);
  if (stateEvent !== undefined) {
    const v = versionOf(stateEvent);
    if (isNewer(v, version(next.state_version_at, next.state_version_id))) {
      next = {
        ...next,
        ...stateAfter(next, stateEvent),
        state_version_at: v.at,
        state_version_id: v.id,
      };
      // A staff action awaiting this confirmation is settled: by the state it asked for, or its correlation id.
      const confirms =
        next.state === next.pending_state ||
        stateEvent.metadata.correlation_id === next.pending_correlation_id;
      if (next.pending_state !== null && confirms) {
        next = { ...next, pending_state: null, pending_since: null, pending_correlation_id: null };
      }
    }
  }

  if (next !== current) {
    const latest = [next.profile_version_at, next.state_version_at].filter(
      (d): d is Date => d !== null,
    );
    next = { ...next, updated_at: new Date(Math.max(...latest.map((d) => d.getTime()))) };
  }
  return next;
}

function stateAfter(
  current: UserProfileState,
  event: UserEvent,
): Pick<UserProfileState, 'state' | 'blocked_at' | 'blocked_by' | 'block_reason'> {
  const at = new Date(event.timestamp);
  const active = { state: 'Active', blocked_at: null, blocked_by: null, block_reason: null };
  switch (event.event_type) {
    case 'user.blocked':
      return {
        state: 'Blocked',
        blocked_at: at,
        blocked_by: event.data.blocked_by ?? null,
        block_reason: event.data.reason ?? null,
      };
    case 'user.disabled':
      return {
        state: 'Disabled',
        blocked_at: at,
        blocked_by: event.data.disabled_by ?? null,
        block_reason: event.data.reason ?? null,
      };
    case 'user.unblocked':
    case 'user.enabled':
      return active;
    case 'user.created':
    case 'user.updated': {
      const state = event.data.user.state;
      if (state === 'Active') return active;
      // Already so: keep who blocked (or disabled) and why. Newly so through an update: that's all we know.
      if (current.state === state) return current;
      const by = event.event_type === 'user.updated' ? (event.data.updated_by ?? null) : null;
      return { state, blocked_at: at, blocked_by: by, block_reason: null };
    }
  }
}

/** What a user row adds to the counters: only users whose profile we know are counted. */
function contribute(
  user: UserProfileState,
  sign: 1 | -1,
  counters: Deltas,
  registrations: Deltas,
): void {
  if (user.email === null) return;
  counters.add('users.total', sign);
  if (user.state === 'Blocked') counters.add('users.blocked', sign);
  if (user.state === 'Disabled') counters.add('users.disabled', sign);
  if (user.role !== null) counters.add(`users.role.${user.role}`, sign);
  if (user.created_at !== null) registrations.add(utcDay(user.created_at), sign);
}

function pickState(row: Selectable<UserSummariesTable>): UserProfileState {
  const state = emptyUser(row.id);
  for (const [column] of COLUMNS)
    (state as unknown as Record<string, unknown>)[column] = row[column];
  return state;
}

export const usersProjection: Projection = {
  name: 'users',
  eventTypes: [
    'user.created',
    'user.updated',
    'user.blocked',
    'user.unblocked',
    'user.disabled',
    'user.enabled',
  ],
  tables: ['user_summaries', 'daily_user_metrics'],

  async apply(trx: Trx, events: KnownEvent[], context: ProjectionContext): Promise<void> {
    const byUser = groupBy(events as UserEvent[], userIdOf);
    const current = await loadRows(trx, 'user_summaries', 'id', [...byUser.keys()]);
    const changed: UserProfileState[] = [];
    const counters = new Deltas();
    const registrations = new Deltas();

    for (const [id, userEvents] of byUser) {
      const row = current.get(id);
      const before = row === undefined ? emptyUser(id) : pickState(row);
      const after = foldUser(before, userEvents);
      if (after === before) continue;
      changed.push(after);
      contribute(before, -1, counters, registrations);
      contribute(after, 1, counters, registrations);
    }

    await upsertRows(trx, 'user_summaries', COLUMNS, changed, { conflict: ['id'] });
    for (const [name, delta] of counters.values) context.count(name, delta);
    await addRegistrations(trx, registrations);
  },
};

async function addRegistrations(trx: Trx, registrations: Deltas): Promise<void> {
  if (registrations.values.size === 0) return;
  await sql`
    INSERT INTO daily_user_metrics (date, registrations)
    SELECT * FROM unnest(${arrayParam([...registrations.values.keys()], 'date')}, ${arrayParam(
      [...registrations.values.values()],
      'int',
    )})
    ON CONFLICT (date) DO UPDATE SET registrations = daily_user_metrics.registrations + EXCLUDED.registrations
  `.execute(trx);
}
