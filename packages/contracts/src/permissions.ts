/**
 * The permission catalogue: `resource:action`. Routes declare one; roles grant them, with wildcards
 * (`users:*` grants every users permission, `*` grants everything). Later features add theirs here,
 * with the routes that use them: a permission no route checks would be granted to no effect.
 */
export const PERMISSIONS = {
  'users:read': 'Search users and view their details, sessions and activity',
  'users:read_pii': 'See personal data (email, name) unmasked',
  'users:reveal_pii':
    'See one user’s personal data for a limited time, giving a justification (audited)',
  'users:write': 'Edit user profiles (name, email)',
  'users:role': 'Change a user’s platform role (with a recent second factor)',
  'users:block': 'Block and unblock users (and disable and enable their accounts)',
  'users:sessions': 'End users’ sessions (force logout)',
  'transactions:read': 'View transactions',
  'budgets:read': 'View budgets',
  'pets:read': 'View pets (Virtual Pet)',
  'payments:read': 'View payments (Virtual Pet)',
  'dashboard:read': 'View dashboards and platform health',
  'audit:read': 'Read the audit trail',
  'audit:export': 'Export the audit trail',
  'audit:verify': 'Verify the audit trail’s hash chain',
  'roles:manage': 'Create roles, edit the permission matrix, see role history',
  'staff:manage':
    'Create, disable and assign roles to staff accounts; list and revoke their sessions',
  'system:read': 'View ingestion sources, dead letters and system status',
  'events:replay': 'Replay or discard dead letters',
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

/**
 * The permission that shows personal data unmasked: without it, every field marked `pii()` is masked in
 * responses, exports and live channels alike.
 */
export const PERSONAL_DATA_PERMISSION = 'users:read_pii' satisfies Permission;

/** A grant is a permission, `<resource>:*`, or `*`. */
export type Grant = Permission | `${string}:*` | '*';

export function isValidGrant(grant: string): grant is Grant {
  if (grant === '*') return true;
  if (grant.endsWith(':*')) {
    const resource = grant.slice(0, -2);
    return PERMISSION_NAMES.some((p) => p.startsWith(`${resource}:`));
  }
  return Object.hasOwn(PERMISSIONS, grant);
}

export function grants(held: readonly string[], required: Permission): boolean {
  const resource = required.split(':')[0];
  return held.some((g) => g === '*' || g === required || g === `${resource}:*`);
}

/** Every permission a set of grants gives, expanded (for `me` and the UI's canAccess). */
export function expandGrants(held: readonly string[]): Permission[] {
  return PERMISSION_NAMES.filter((p) => grants(held, p));
}

export const BUILTIN_ROLES = {
  Admin: { description: 'Everything', grants: ['*'] },
  Staff: {
    description:
      'Support staff: read users, transactions and dashboards, block and unblock; personal data masked',
    grants: [
      'users:read',
      'users:reveal_pii',
      'users:block',
      'transactions:read',
      'budgets:read',
      'pets:read',
      'payments:read',
      'dashboard:read',
      'audit:read',
    ],
  },
} as const satisfies Record<string, { description: string; grants: readonly Grant[] }>;

export type BuiltinRoleName = keyof typeof BUILTIN_ROLES;
