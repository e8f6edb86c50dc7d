import { z } from 'zod';

interface AuditActionInfo {
  /** `backoffice`: a person (or the CLI) acted through the backoffice; `platform`: derived from a platform event. */
  readonly source: 'backoffice' | 'platform';
  readonly description: string;
}

/**
 * Every action the audit trail records, in one typed catalogue: the writer (`AuditInput.action`)
 * accepts no other, and later mechanisms (approvals) name their actions from it. Backoffice
 * actions are `<resource, plural>.<verb>`; entries derived from platform events keep the event's type
 * (`<resource>.<past participle>`).
 */
export const AUDIT_ACTIONS = {
  'access.denied': {
    source: 'backoffice',
    description: 'A request was refused for lack of a permission',
  },
  'auth.login': { source: 'backoffice', description: 'A staff member signed in (or was refused)' },
  'auth.logout': { source: 'backoffice', description: 'A staff member signed out' },
  'auth.mfa_enrolment_started': {
    source: 'backoffice',
    description: 'An authenticator enrolment began',
  },
  'auth.mfa_enabled': {
    source: 'backoffice',
    description: 'Two-factor authentication was turned on',
  },
  'auth.mfa_disabled': {
    source: 'backoffice',
    description: 'Two-factor authentication was turned off',
  },
  'auth.mfa_verified': {
    source: 'backoffice',
    description: 'A second factor was proven (step-up)',
  },
  'auth.password_changed': {
    source: 'backoffice',
    description: 'A staff member changed their password',
  },
  'auth.recovery_codes_regenerated': {
    source: 'backoffice',
    description: 'New recovery codes were issued',
  },
  'auth.session_revoked': {
    source: 'backoffice',
    description: 'A staff member ended one of their sessions',
  },
  'audit.export': { source: 'backoffice', description: 'The audit trail was exported' },
  'audit.verify': { source: 'backoffice', description: 'The audit chain was verified' },
  'resources.export': {
    source: 'backoffice',
    description: 'A list was exported (which, in what format, with which filters)',
  },
  'dead_letters.replay': { source: 'backoffice', description: 'A dead letter was replayed' },
  'dead_letters.discard': { source: 'backoffice', description: 'A dead letter was discarded' },
  'roles.create': { source: 'backoffice', description: 'A role was created' },
  'roles.update': { source: 'backoffice', description: 'A role was renamed or described' },
  'roles.delete': { source: 'backoffice', description: 'A role was deleted' },
  'roles.grants_changed': { source: 'backoffice', description: 'A role’s permissions changed' },
  'staff.create': { source: 'backoffice', description: 'A staff account was created' },
  'staff.update': { source: 'backoffice', description: 'A staff account’s name or email changed' },
  'staff.disable': { source: 'backoffice', description: 'A staff account was disabled' },
  'staff.enable': { source: 'backoffice', description: 'A staff account was enabled' },
  'staff.roles_changed': { source: 'backoffice', description: 'A staff member’s roles changed' },
  'staff.password_reset': {
    source: 'backoffice',
    description: 'A staff member’s password was reset',
  },
  'staff.mfa_reset': {
    source: 'backoffice',
    description: 'A staff member’s second factor was reset',
  },
  'staff.session_revoked': {
    source: 'backoffice',
    description: 'A staff member’s session was ended',
  },
  'users.block': {
    source: 'backoffice',
    description: 'A user was blocked (through the User Service)',
  },
  'users.unblock': {
    source: 'backoffice',
    description: 'A user was unblocked (through the User Service)',
  },
  'users.disable': {
    source: 'backoffice',
    description: 'A user’s account was disabled (through the User Service)',
  },
  'users.enable': {
    source: 'backoffice',
    description: 'A user’s account was enabled again (through the User Service)',
  },
  'users.update': {
    source: 'backoffice',
    description: 'A user’s profile changed (through the User Service)',
  },
  'users.force_logout': { source: 'backoffice', description: 'A user’s sessions were ended' },
  'users.pii_revealed': {
    source: 'backoffice',
    description: 'A user’s personal data was revealed, with a reason',
  },
  'user.blocked': { source: 'platform', description: 'The User Service blocked a user' },
  'user.unblocked': { source: 'platform', description: 'The User Service unblocked a user' },
  'user.disabled': {
    source: 'platform',
    description: 'The User Service disabled a user’s account',
  },
  'user.enabled': { source: 'platform', description: 'The User Service enabled a user’s account' },
  'session.ended': {
    source: 'platform',
    description: 'The platform ended a user’s session at someone’s request',
  },
  'user.updated': { source: 'platform', description: 'The User Service changed a user’s profile' },
} as const satisfies Record<string, AuditActionInfo>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export const AuditActionSchema = z.enum(
  Object.keys(AUDIT_ACTIONS) as [AuditAction, ...AuditAction[]],
);

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, value);
}
