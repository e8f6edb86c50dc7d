import {
  LoginResponseSchema,
  MeResponseSchema,
  RecoveryCodesSchema,
  SessionSchema,
  TotpEnrolmentSchema,
} from '@backoffice/contracts';
import { call } from './client.ts';
import { dataListOf, timestampOf } from './schemas.ts';
import type { LoginRequest } from './types.ts';

/** Sign-in, the signed-in person's own account, sessions and second factor. */
export const authApi = {
  login: (body: LoginRequest) => call('login', { body, schema: LoginResponseSchema }),
  logout: () => call('logout'),
  me: () => call('me', { schema: MeResponseSchema }),
  changePassword: (currentPassword: string, newPassword: string) =>
    call('changePassword', { body: { currentPassword, newPassword } }),
  sessions: () => call('ownSessions', { schema: dataListOf(SessionSchema) }),
  revokeSession: (id: string) => call('revokeOwnSession', { params: { id } }),
  startTotp: () => call('startTotp', { schema: TotpEnrolmentSchema }),
  confirmTotp: (code: string) =>
    call('confirmTotp', { body: { code }, schema: RecoveryCodesSchema }),
  verifyMfa: (code: string) =>
    call('verifyMfa', { body: { code }, schema: timestampOf('verifiedAt') }),
  disableTotp: (code: string) => call('disableTotp', { body: { code } }),
  regenerateRecoveryCodes: (code: string) =>
    call('regenerateRecoveryCodes', { body: { code }, schema: RecoveryCodesSchema }),
};
