import { grants as grantsPermission, type Permission } from '@backoffice/contracts';
import type { ProviderName } from '../../db/schema.ts';

/** Who is making the request, as proven by their bearer token. */
export interface Principal {
  staffId: string;
  email: string;
  name: string | null;
  provider: ProviderName;
  roles: string[];
  /** Grants as roles hold them (wildcards included). */
  grants: string[];
  sessionId: string;
  sessionCreatedAt: Date;
  sessionExpiresAt: Date;
  mfaVerifiedAt: Date | null;
  mfaEnrolled: boolean;
  /** One of the person's roles requires a second factor (AUTH_MFA_REQUIRED_ROLES). */
  mfaRequired: boolean;
  mustChangePassword: boolean;
  /** Whose personal data this person revealed, until when; read with `revealedSubjects`. */
  reveals: ReadonlyMap<string, Date>;
}

/** The people whose personal data this principal may see now, by a reveal. */
export function revealedSubjects(principal: Principal, now = Date.now()): Set<string> {
  const subjects = new Set<string>();
  for (const [subject, until] of principal.reveals)
    if (until.getTime() > now) subjects.add(subject);
  return subjects;
}

export function can(principal: Principal | null, permission: Permission): boolean {
  return principal !== null && grantsPermission(principal.grants, permission);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for routes that require authentication, after it succeeded. */
    principal: Principal | null;
  }

  interface FastifyContextConfig {
    /** Requires a signed-in staff member holding this permission. */
    permission?: Permission;
    /** Requires a signed-in staff member, whatever their permissions (own profile, MFA, sign-out). */
    authenticated?: boolean;
    /** Reachable before the account is complete (second factor enrolled, temporary password changed). */
    allowIncompleteAccount?: boolean;
    /** Also accepts a single-use `?ticket=` (POST /v1/admin/realtime/ticket) instead of a bearer token. */
    ticketAuth?: boolean;
    /** A sensitive action: needs a second factor proven within AUTH_STEP_UP_SECONDS. */
    stepUp?: boolean;
    /**
     * What some requests of the route need besides (a change of role in a profile update): checked
     * once the request is valid, when `when` says so.
     */
    sensitive?: {
      readonly what: string;
      when(request: FastifyRequest): boolean;
      readonly permission?: Permission;
      readonly stepUp?: boolean;
    };
    /** The action's name for the approval gate: a request may need a second person's approval. */
    approval?: string;
  }
}
