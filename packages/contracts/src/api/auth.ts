import { z } from 'zod';
import { PERMISSION_NAMES } from '../permissions.ts';
import { TextSchema } from './common.ts';

export const AUTH_PROVIDERS = ['builtin', 'upstream-session', 'oidc'] as const;
export type AuthProviderName = (typeof AUTH_PROVIDERS)[number];

export const LoginRequestSchema = z.object({
  email: TextSchema.trim().min(3).max(320),
  password: TextSchema.min(1).max(1024),
  /** A 6-digit TOTP code, or a recovery code, when the account has two-factor authentication. */
  totp: TextSchema.trim().min(6).max(32).optional(),
});

export const StaffIdentitySchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string().nullable(),
    roles: z.array(z.string()),
    permissions: z.array(z.enum(PERMISSION_NAMES)),
  })
  .meta({ id: 'StaffIdentity' });

export const MfaStatusSchema = z.object({
  enrolled: z.boolean(),
  /** The policy requires it for one of the person's roles. */
  required: z.boolean(),
  /** When this session last proved a second factor (sign-in with a code, or step-up). */
  verifiedAt: z.iso.datetime().nullable(),
});

export const LoginResponseSchema = z
  .object({
    token: z.string(),
    expiresAt: z.iso.datetime(),
    user: StaffIdentitySchema,
    mfa: MfaStatusSchema,
    passwordChangeRequired: z.boolean(),
  })
  .meta({ id: 'LoginResponse' });

export const MeResponseSchema = z
  .object({
    user: StaffIdentitySchema,
    provider: z.enum(AUTH_PROVIDERS),
    mfa: MfaStatusSchema,
    passwordChangeRequired: z.boolean(),
    session: z.object({ id: z.uuid(), createdAt: z.iso.datetime(), expiresAt: z.iso.datetime() }),
    features: z
      .array(z.string())
      .describe(
        'The features this instance runs (those of its domain packs): a screen offers an action only where the feature behind it runs',
      ),
  })
  .meta({ id: 'Me' });

export const SessionSchema = z
  .object({
    id: z.uuid(),
    staffId: z.uuid(),
    staffEmail: z.string(),
    provider: z.enum(AUTH_PROVIDERS),
    createdAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    current: z.boolean(),
  })
  .meta({ id: 'StaffSession' });

export const TotpEnrolmentSchema = z.object({
  secret: z.string().describe('Base32 secret, for entering by hand'),
  otpauthUri: z.string().describe('otpauth:// URI, for a QR code'),
});

export const TotpCodeSchema = z.object({ code: TextSchema.trim().min(6).max(32) });

export const RecoveryCodesSchema = z.object({
  recoveryCodes: z
    .array(z.string())
    .describe('Shown once: each works one time instead of a TOTP code'),
});

export const PasswordChangeSchema = z.object({
  currentPassword: TextSchema.min(1).max(1024),
  newPassword: TextSchema.min(12).max(1024),
});

export const RealtimeTicketSchema = z.object({
  ticket: z.string(),
  expiresAt: z.iso.datetime(),
});
