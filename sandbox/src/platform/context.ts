/**
 * Who and what caused a change, carried from the route (or the traffic loop) to the events it emits.
 * The backoffice links its audit entries to upstream events by correlation id.
 */
export interface ActionContext {
  correlationId: string;
  /** The service token's `sub` (the staff member acting), for admin actions. */
  actor?: string;
  /** Where the request came from (the identity provider's events say it). */
  client?: ClientInfo;
}

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * The actor as the events' `*_by` fields hold it. The contracts type those as uuids (a staff member),
 * but a token's `sub` may also be "backoffice" (a system action): that one is recorded as null.
 */
export function actorId(context: ActionContext): string | null {
  return context.actor !== undefined && UUID.test(context.actor) ? context.actor : null;
}
