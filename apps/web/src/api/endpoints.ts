/**
 * Every operation of the API the UI calls, and only here: the client takes one of these, so a test
 * can check each against the server's OpenAPI document (endpoints.openapi.test.ts).
 * Paths use `:name` for parameters, as the server's routes do.
 */
export interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** Called without a session (sign-in): a 401 is an answer, not an expired session. */
  public?: boolean;
}

export const endpoints = {
  login: { method: 'POST', path: '/v1/admin/auth/login', public: true },
  logout: { method: 'POST', path: '/v1/admin/auth/logout' },
  me: { method: 'GET', path: '/v1/admin/auth/me' },
  changePassword: { method: 'POST', path: '/v1/admin/auth/password' },
  ownSessions: { method: 'GET', path: '/v1/admin/auth/sessions' },
  revokeOwnSession: { method: 'DELETE', path: '/v1/admin/auth/sessions/:id' },
  startTotp: { method: 'POST', path: '/v1/admin/auth/mfa/totp' },
  confirmTotp: { method: 'POST', path: '/v1/admin/auth/mfa/totp/confirm' },
  verifyMfa: { method: 'POST', path: '/v1/admin/auth/mfa/verify' },
  disableTotp: { method: 'POST', path: '/v1/admin/auth/mfa/totp/disable' },
  regenerateRecoveryCodes: { method: 'POST', path: '/v1/admin/auth/mfa/recovery-codes' },

  permissions: { method: 'GET', path: '/v1/admin/permissions' },
  roles: { method: 'GET', path: '/v1/admin/roles' },
  createRole: { method: 'POST', path: '/v1/admin/roles' },
  role: { method: 'GET', path: '/v1/admin/roles/:id' },
  updateRole: { method: 'PATCH', path: '/v1/admin/roles/:id' },
  deleteRole: { method: 'DELETE', path: '/v1/admin/roles/:id' },
  roleMatrix: { method: 'GET', path: '/v1/admin/roles/:id/permissions' },
  setRoleGrants: { method: 'PUT', path: '/v1/admin/roles/:id/permissions' },
  roleHistory: { method: 'GET', path: '/v1/admin/roles/:id/history' },

  staffList: { method: 'GET', path: '/v1/admin/staff' },
  createStaff: { method: 'POST', path: '/v1/admin/staff' },
  staff: { method: 'GET', path: '/v1/admin/staff/:id' },
  updateStaff: { method: 'PATCH', path: '/v1/admin/staff/:id' },
  setStaffRoles: { method: 'PUT', path: '/v1/admin/staff/:id/roles' },
  resetStaffMfa: { method: 'POST', path: '/v1/admin/staff/:id/mfa/reset' },
  staffSessions: { method: 'GET', path: '/v1/admin/sessions' },
  revokeStaffSession: { method: 'DELETE', path: '/v1/admin/sessions/:id' },

  // Declared resources (docs/resources.md): `:resource` is one of the names the first one lists.
  resources: { method: 'GET', path: '/v1/admin/resources' },
  resourceList: { method: 'GET', path: '/v1/admin/:resource' },
  resourceItem: { method: 'GET', path: '/v1/admin/:resource/:id' },
  resourceExport: { method: 'GET', path: '/v1/admin/:resource/export' },

  dashboardMetrics: { method: 'GET', path: '/v1/admin/dashboard/metrics' },
  dashboardHealth: { method: 'GET', path: '/v1/admin/dashboard/health' },
  realtimeTicket: { method: 'POST', path: '/v1/admin/realtime/ticket' },

  users: { method: 'GET', path: '/v1/admin/users' },
  exportUsers: { method: 'GET', path: '/v1/admin/users/export' },
  user: { method: 'GET', path: '/v1/admin/users/:id' },
  updateUser: { method: 'PUT', path: '/v1/admin/users/:id' },
  userSessions: { method: 'GET', path: '/v1/admin/users/:id/sessions' },
  userTransactions: { method: 'GET', path: '/v1/admin/users/:id/transactions' },
  blockUser: { method: 'POST', path: '/v1/admin/users/:id/block' },
  unblockUser: { method: 'POST', path: '/v1/admin/users/:id/unblock' },
  disableUser: { method: 'POST', path: '/v1/admin/users/:id/disable' },
  enableUser: { method: 'POST', path: '/v1/admin/users/:id/enable' },
  forceLogoutUser: { method: 'POST', path: '/v1/admin/users/:id/force-logout' },
  revealUser: { method: 'POST', path: '/v1/admin/users/:id/reveal' },
  bulkBlockUsers: { method: 'POST', path: '/v1/admin/users/bulk/block' },
  bulkUnblockUsers: { method: 'POST', path: '/v1/admin/users/bulk/unblock' },
  bulkForceLogoutUsers: { method: 'POST', path: '/v1/admin/users/bulk/force-logout' },
  transaction: { method: 'GET', path: '/v1/admin/transactions/:id' },

  auditLogs: { method: 'GET', path: '/v1/admin/system/audit-logs' },
  auditLog: { method: 'GET', path: '/v1/admin/system/audit-logs/:id' },
  exportAuditLogs: { method: 'GET', path: '/v1/admin/system/audit-logs/export' },
  verifyAuditChain: { method: 'POST', path: '/v1/admin/system/audit-logs/verify' },
  job: { method: 'GET', path: '/v1/admin/system/jobs/:id' },
  schedules: { method: 'GET', path: '/v1/admin/system/schedules' },

  ingestionStatus: { method: 'GET', path: '/v1/admin/system/ingestion' },
  deadLetters: { method: 'GET', path: '/v1/admin/system/dead-letters' },
  deadLetter: { method: 'GET', path: '/v1/admin/system/dead-letters/:id' },
  replayDeadLetter: { method: 'POST', path: '/v1/admin/system/dead-letters/:id/replay' },
  discardDeadLetter: { method: 'POST', path: '/v1/admin/system/dead-letters/:id/discard' },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof endpoints;
