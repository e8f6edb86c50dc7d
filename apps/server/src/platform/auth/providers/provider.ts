/** What an external identity provider proves about a bearer token it issued. */
export interface ExternalIdentity {
  subject: string;
  email: string;
  name: string | null;
  /** Our role names, mapped from the provider's. */
  roles: string[];
  expiresAt: Date;
}

/**
 * An identity provider whose tokens we verify but do not issue: a platform service's sessions (main spec)
 * or an OIDC provider's JWTs (Keycloak…). verify() throws UnauthorizedError (bad token),
 * ForbiddenError (valid, but not staff) or ServiceUnavailableError (cannot tell right now).
 */
export interface ExternalIdentityProvider {
  readonly name: 'upstream-session' | 'oidc';
  verify(token: string): Promise<ExternalIdentity>;
  /** Signs in with email and password at the provider, when it allows that (the main spec's identity service does). */
  login?(email: string, password: string): Promise<string>;
}
