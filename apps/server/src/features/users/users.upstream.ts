import { z } from 'zod';
import { USER_STATES } from '@backoffice/contracts';

/**
 * The User Service's answers, as the backoffice reads them (main spec "Prerequisites"). Loose: a
 * service adding fields never breaks us.
 */
export const UpstreamUserSchema = z.looseObject({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullish(),
  role: z.string(),
  state: z.enum(USER_STATES),
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
});

/** Block / unblock: the user after the call, and whether anything changed (false: already so). */
export const StateChangeSchema = z.looseObject({ user: UpstreamUserSchema, changed: z.boolean() });

export const ForceLogoutSchema = z.looseObject({ ended: z.number().int().min(0) });

export type UpstreamUser = z.infer<typeof UpstreamUserSchema>;
