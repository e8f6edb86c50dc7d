import { fileNameOf } from './audit.ts';
import type { ExportFormat } from './resources.ts';
import {
  type UserStateAction,
  BulkResultSchema,
  ForceLogoutResultSchema,
  RevealResultSchema,
  TransactionDetailSchema,
  TransactionItemSchema,
  UserActionResultSchema,
  UserDetailSchema,
  UserListItemSchema,
  UserListResponseSchema,
  UserSessionSchema,
} from '@backoffice/contracts';
import { call } from './client.ts';
import { dataListOf, pageOf } from './schemas.ts';
import type { PageParams, UserFilter, UserUpdate } from './types.ts';

const TransactionPage = pageOf(TransactionItemSchema);

/** Block/unblock, and disable/enable where the account switch runs (the Virtual Pet pack). */
const STATE_ENDPOINTS = {
  block: 'blockUser',
  unblock: 'unblockUser',
  disable: 'disableUser',
  enable: 'enableUser',
} as const satisfies Record<UserStateAction, string>;

export type BulkAction = 'block' | 'unblock' | 'force-logout';

const BULK_ENDPOINTS = {
  block: 'bulkBlockUsers',
  unblock: 'bulkUnblockUsers',
  'force-logout': 'bulkForceLogoutUsers',
} as const;

/** Users (read model) and the support actions relayed to the User Service. */
export const usersApi = {
  list: (filter: UserFilter, { page, limit }: PageParams, cursor?: string) =>
    call('users', {
      query: { ...filter, page, limit, cursor },
      schema: UserListResponseSchema,
    }),
  /** Every user of the filter, in its sort order, as the server streams (and audits) it. */
  export: (filter: UserFilter, format: ExportFormat) =>
    call('exportUsers', {
      query: { ...filter, format },
      read: async (response) => ({
        blob: await response.blob(),
        fileName: fileNameOf(response.headers.get('content-disposition'), `users.${format}`),
      }),
    }),
  get: (id: string) => call('user', { params: { id }, schema: UserDetailSchema }),
  sessions: (id: string) =>
    call('userSessions', { params: { id }, schema: dataListOf(UserSessionSchema) }),
  transactions: (id: string, range: { from?: string; to?: string }, { page, limit }: PageParams) =>
    call('userTransactions', {
      params: { id },
      query: { ...range, page, limit },
      schema: TransactionPage,
    }),
  transaction: (id: string) =>
    call('transaction', { params: { id }, schema: TransactionDetailSchema }),
  setState: (id: string, action: UserStateAction, reason: string) =>
    call(STATE_ENDPOINTS[action], {
      params: { id },
      body: { reason },
      schema: UserActionResultSchema,
    }),
  update: (id: string, body: UserUpdate) =>
    call('updateUser', { params: { id }, body, schema: UserListItemSchema }),
  forceLogout: (id: string, reason?: string) =>
    call('forceLogoutUser', {
      params: { id },
      body: reason === undefined ? {} : { reason },
      schema: ForceLogoutResultSchema,
    }),
  reveal: (id: string, reason: string) =>
    call('revealUser', { params: { id }, body: { reason }, schema: RevealResultSchema }),
  bulk: (action: BulkAction, userIds: readonly string[], reason: string) =>
    call(BULK_ENDPOINTS[action], {
      body: { userIds, reason },
      schema: BulkResultSchema,
    }),
};
