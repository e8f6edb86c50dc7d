import type { USER_ROLES } from '@backoffice/contracts';

export type UserRole = (typeof USER_ROLES)[number];

export interface KnownAccount {
  id: string;
  email: string;
  name: string;
  role: UserRole;
}

/**
 * Accounts present in every sandbox, whatever the seed, so that people and tests can sign in without
 * looking anything up. Their password is the sandbox password (SANDBOX_USER_PASSWORD).
 */
export const KNOWN_ACCOUNTS: readonly KnownAccount[] = [
  {
    id: '5a4db0c0-0000-4000-8000-000000000001',
    email: 'admin@sandbox.example',
    name: 'Sandbox Admin',
    role: 'Admin',
  },
  {
    id: '5a4db0c0-0000-4000-8000-000000000002',
    email: 'staff@sandbox.example',
    name: 'Sandbox Staff',
    role: 'Staff',
  },
  {
    id: '5a4db0c0-0000-4000-8000-000000000003',
    email: 'customer@sandbox.example',
    name: 'Sandbox Customer',
    role: 'Customer',
  },
];

export const DEFAULT_USER_PASSWORD = 'sandbox-password';
