import {
  CreatedStaffSchema,
  PermissionCatalogueSchema,
  PermissionMatrixSchema,
  RoleHistoryEntrySchema,
  RoleSchema,
  SessionSchema,
  StaffSchema,
} from '@backoffice/contracts';
import { call } from './client.ts';
import { dataListOf, pageOf } from './schemas.ts';
import type { NewRole, NewStaff, PageParams, StaffFilter } from './types.ts';

const RoleHistoryPage = pageOf(RoleHistoryEntrySchema);
const StaffPage = pageOf(StaffSchema);

/** Roles and the permission matrix (`roles:manage`). */
export const rolesApi = {
  catalogue: () => call('permissions', { schema: PermissionCatalogueSchema }),
  list: () => call('roles', { schema: dataListOf(RoleSchema) }),
  get: (id: string) => call('role', { params: { id }, schema: RoleSchema }),
  create: (body: NewRole) => call('createRole', { body, schema: RoleSchema }),
  update: (id: string, body: { name?: string; description?: string }) =>
    call('updateRole', { params: { id }, body, schema: RoleSchema }),
  remove: (id: string, reason?: string) =>
    call('deleteRole', { params: { id }, query: { reason } }),
  matrix: (id: string) => call('roleMatrix', { params: { id }, schema: PermissionMatrixSchema }),
  setGrants: (id: string, grants: string[], reason?: string) =>
    call('setRoleGrants', {
      params: { id },
      body: { grants, ...(reason === undefined ? {} : { reason }) },
      schema: PermissionMatrixSchema,
    }),
  history: (id: string, { page, limit }: PageParams) =>
    call('roleHistory', { params: { id }, query: { page, limit }, schema: RoleHistoryPage }),
};

/** Staff accounts and their sessions (`staff:manage`). */
export const staffApi = {
  list: (filter: StaffFilter, { page, limit }: PageParams) =>
    call('staffList', { query: { ...filter, page, limit }, schema: StaffPage }),
  get: (id: string) => call('staff', { params: { id }, schema: StaffSchema }),
  create: (body: NewStaff) => call('createStaff', { body, schema: CreatedStaffSchema }),
  setStatus: (id: string, status: 'active' | 'disabled', reason?: string) =>
    call('updateStaff', {
      params: { id },
      body: { status, ...(reason === undefined ? {} : { reason }) },
      schema: StaffSchema,
    }),
  rename: (id: string, name: string) =>
    call('updateStaff', { params: { id }, body: { name }, schema: StaffSchema }),
  setRoles: (id: string, roleIds: string[], reason?: string) =>
    call('setStaffRoles', {
      params: { id },
      body: { roleIds, ...(reason === undefined ? {} : { reason }) },
      schema: StaffSchema,
    }),
  resetMfa: (id: string, reason: string) =>
    call('resetStaffMfa', { params: { id }, body: { reason }, schema: StaffSchema }),
  sessions: (staffId?: string) =>
    call('staffSessions', { query: { staffId }, schema: dataListOf(SessionSchema) }),
  revokeSession: (id: string, reason?: string) =>
    call('revokeStaffSession', { params: { id }, query: { reason } }),
};
