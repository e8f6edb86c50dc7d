import type { FeatureModule } from '../../platform/modules/feature-module.ts';
import { identityProjection } from './identity.projection.ts';
import { keycloakFormat } from './keycloak-format.ts';

/** The Keycloak event types the sign-in history can be filtered by (any other is listed too). */
export const KEYCLOAK_EVENT_TYPES = [
  'LOGIN',
  'LOGIN_ERROR',
  'LOGOUT',
  'LOGOUT_ERROR',
  'REGISTER',
  'REGISTER_ERROR',
  'CODE_TO_TOKEN',
  'REFRESH_TOKEN',
  'UPDATE_PROFILE',
  'UPDATE_EMAIL',
  'UPDATE_PASSWORD',
  'VERIFY_EMAIL',
  'SEND_RESET_PASSWORD',
  'RESET_PASSWORD',
  'DELETE_ACCOUNT',
] as const;

/**
 * Identity (Virtual Pet pack): Keycloak's events, in Keycloak's own JSON, enter through every source
 * (the `keycloak` format maps them to the envelope) and become the users' sign-in history, a declared
 * resource with IP addresses and user names masked as personal data.
 */
export const identityFeature: FeatureModule = {
  name: 'identity',
  formats: [keycloakFormat],
  tiles: [{ counter: 'identity.failed_sign_ins', label: 'Failed sign-ins (Keycloak)' }],
  projections: () => [identityProjection],
  resources: [
    {
      name: 'sign-ins',
      title: 'Sign-in history',
      singular: 'identity event',
      description:
        'Sign-ins, failed sign-ins, sign-outs and other user events from Keycloak (read model)',
      table: 'identity_events',
      key: 'id',
      permission: 'users:read',
      subject: 'userId',
      defaultSort: '-occurredAt',
      fields: [
        { name: 'id', column: 'id', type: 'uuid', label: 'Event id', sortable: true },
        {
          name: 'occurredAt',
          column: 'occurred_at',
          type: 'timestamp',
          label: 'When',
          filter: true,
          sortable: true,
        },
        {
          name: 'type',
          column: 'type',
          type: 'enum',
          label: 'Type',
          values: KEYCLOAK_EVENT_TYPES,
          filter: true,
        },
        {
          name: 'userId',
          column: 'user_id',
          type: 'text',
          label: 'User',
          nullable: true,
          filter: true,
          links: 'users',
        },
        {
          name: 'username',
          column: 'username',
          type: 'text',
          label: 'User name',
          nullable: true,
          pii: 'email',
        },
        {
          name: 'clientId',
          column: 'client_id',
          type: 'text',
          label: 'Client',
          nullable: true,
          filter: true,
        },
        {
          name: 'ipAddress',
          column: 'ip_address',
          type: 'text',
          label: 'IP address',
          nullable: true,
          pii: 'ip',
          filter: true,
        },
        { name: 'error', column: 'error', type: 'text', label: 'Error', nullable: true },
        {
          name: 'realmId',
          column: 'realm_id',
          type: 'text',
          label: 'Realm',
          nullable: true,
          list: false,
        },
        {
          name: 'sessionId',
          column: 'session_id',
          type: 'text',
          label: 'Session',
          nullable: true,
          list: false,
        },
      ],
    },
  ],
};
