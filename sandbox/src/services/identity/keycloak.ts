import type { KeycloakAdminEvent, KeycloakEvent } from '../../outbox/events.ts';

/**
 * The Virtual Pet platform's identity provider, Keycloak: what it reports when people register, sign
 * in (or fail to), sign out and change their profile, and when an administrator disables or enables an
 * account. The sandbox's User Service does the work and puts these messages in the outbox beside its
 * own events; the live service and the generated history build them here, so both look alike.
 */
export const KEYCLOAK_REALM = 'virtual-pet';
export const KEYCLOAK_CLIENTS = ['virtual-pet-web', 'virtual-pet-mobile'] as const;
export type KeycloakClient = (typeof KEYCLOAK_CLIENTS)[number];
/** The client the User Service calls Keycloak's admin API with (its service account). */
export const ADMIN_CLIENT = 'user-service';

const REDIRECT_URI: Record<KeycloakClient, string> = {
  'virtual-pet-web': 'https://app.virtual-pet.example/',
  'virtual-pet-mobile': 'com.virtualpet.app:/oauth2redirect',
};

/** The app a sign-in came from, by its user agent: the mobile app's client, or the web app's. */
export function clientOf(userAgent: string | null | undefined): KeycloakClient {
  return userAgent != null && /iPhone|iPad|Android/.test(userAgent)
    ? 'virtual-pet-mobile'
    : 'virtual-pet-web';
}

/** Keycloak's `error` of a failed sign-in. */
export type SignInError = 'invalid_user_credentials' | 'user_not_found' | 'user_disabled';

export interface KeycloakEventInput {
  id: string;
  time: number;
  type: KeycloakEvent['type'];
  userId: string | null;
  /** The email, Keycloak's username here (for a failed sign-in: the one typed). */
  username: string;
  sessionId?: string | null;
  ipAddress: string | null;
  clientId: KeycloakClient;
  error?: SignInError;
  /** More details (UPDATE_PROFILE: previous_email, updated_email…). */
  details?: Record<string, string>;
}

/** The details Keycloak gives with each type of event. */
function detailsOf(input: KeycloakEventInput): Record<string, string> {
  const common = { auth_method: 'openid-connect' };
  const redirect = { redirect_uri: REDIRECT_URI[input.clientId] };
  const username = input.username;
  switch (input.type) {
    case 'REGISTER':
      return {
        ...common,
        auth_type: 'code',
        register_method: 'form',
        ...redirect,
        email: username,
        username,
      };
    case 'LOGIN':
      return {
        ...common,
        auth_type: 'code',
        ...redirect,
        consent: 'no_consent_required',
        ...(input.sessionId == null ? {} : { code_id: input.sessionId }),
        username,
      };
    case 'LOGIN_ERROR':
      return { ...common, auth_type: 'code', ...redirect, username };
    case 'LOGOUT':
      return { ...common, ...redirect, username };
    case 'UPDATE_PROFILE':
      return { ...common, context: 'ACCOUNT', username };
  }
}

/** A user event, as Keycloak's event listeners publish it. */
export function keycloakEvent(input: KeycloakEventInput): KeycloakEvent {
  return {
    id: input.id,
    time: input.time,
    type: input.type,
    realmId: KEYCLOAK_REALM,
    realmName: KEYCLOAK_REALM,
    clientId: input.clientId,
    userId: input.userId,
    sessionId: input.sessionId ?? null,
    ipAddress: input.ipAddress,
    ...(input.error === undefined ? {} : { error: input.error }),
    details: { ...detailsOf(input), ...input.details },
  };
}

/**
 * The admin event of an account switched off or on (Keycloak's `enabled`), done by `actorId` (the
 * staff member, null for a system action) through the User Service.
 */
export function accountSwitchEvent(input: {
  id: string;
  time: number;
  userId: string;
  username: string;
  enabled: boolean;
  actorId: string | null;
  ipAddress: string | null;
}): KeycloakAdminEvent {
  return {
    id: input.id,
    time: input.time,
    realmId: KEYCLOAK_REALM,
    authDetails: {
      realmId: KEYCLOAK_REALM,
      clientId: ADMIN_CLIENT,
      userId: input.actorId,
      ipAddress: input.ipAddress,
    },
    operationType: 'UPDATE',
    resourceType: 'USER',
    resourcePath: `users/${input.userId}`,
    representation: JSON.stringify({
      id: input.userId,
      username: input.username,
      enabled: input.enabled,
    }),
  };
}
