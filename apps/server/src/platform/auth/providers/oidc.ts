import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import { ForbiddenError, ServiceUnavailableError, UnauthorizedError } from '../../http/errors.ts';
import type { ExternalIdentity, ExternalIdentityProvider } from './provider.ts';

export interface OidcOptions {
  issuer: string;
  audience: string;
  /** Unset: discovered from `<issuer>/.well-known/openid-configuration`. */
  jwksUrl: string | undefined;
  /** Dot path to the provider's roles in the token, e.g. Keycloak's `realm_access.roles`. */
  roleClaim: string;
  roleMap: Record<string, string>;
  emailClaim: string;
  nameClaim: string;
}

function claimAt(payload: JWTPayload, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => {
    if (typeof value !== 'object' || value === null) return undefined;
    return (value as Record<string, unknown>)[key];
  }, payload);
}

const DiscoverySchema = z.looseObject({ jwks_uri: z.url() });

/**
 * Bearer JWTs from an OIDC provider (Keycloak and others), verified against the issuer's JWKS with
 * issuer, audience and expiry checked, roles mapped from a configurable claim.
 */
export class OidcProvider implements ExternalIdentityProvider {
  readonly name = 'oidc' as const;
  private jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

  constructor(private readonly options: OidcOptions) {}

  async verify(token: string): Promise<ExternalIdentity> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.keySet(), {
        issuer: this.options.issuer,
        audience: this.options.audience,
        algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'EdDSA'],
        requiredClaims: ['sub', 'exp'],
      }));
    } catch (error) {
      if (error instanceof ServiceUnavailableError) throw error;
      if (keysUnavailable(error)) {
        throw new ServiceUnavailableError('The identity provider’s keys cannot be fetched.', {
          cause: error,
        });
      }
      throw new UnauthorizedError(`The token is not valid: ${describe(error)}.`);
    }

    const email = claimAt(payload, this.options.emailClaim);
    if (typeof email !== 'string' || email === '') {
      throw new UnauthorizedError(`The token has no ${this.options.emailClaim} claim.`);
    }
    const name = claimAt(payload, this.options.nameClaim);
    const theirs = claimAt(payload, this.options.roleClaim);
    const roles = (Array.isArray(theirs) ? theirs : typeof theirs === 'string' ? [theirs] : [])
      .map((role) => this.options.roleMap[String(role)])
      .filter((role): role is string => role !== undefined);
    if (roles.length === 0) throw new ForbiddenError('The token grants no backoffice role.');
    return {
      subject: payload.sub ?? '',
      email,
      name: typeof name === 'string' ? name : null,
      roles: [...new Set(roles)],
      expiresAt: new Date((payload.exp ?? 0) * 1000),
    };
  }

  private async keySet(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.jwks !== undefined) return this.jwks;
    let url = this.options.jwksUrl;
    if (url === undefined) {
      const discovery = new URL(
        '.well-known/openid-configuration',
        this.options.issuer.replace(/\/?$/, '/'),
      );
      try {
        const response = await fetch(discovery, { signal: AbortSignal.timeout(5_000) });
        url = DiscoverySchema.parse(await response.json()).jwks_uri;
      } catch (error) {
        throw new ServiceUnavailableError(`OIDC discovery at ${discovery.toString()} failed.`, {
          cause: error,
        });
      }
    }
    this.jwks = createRemoteJWKSet(new URL(url), {
      timeoutDuration: 5_000,
      cooldownDuration: 30_000,
    });
    return this.jwks;
  }
}

/** Failing to get the keys (network, timeout, bad JWKS response) says nothing about the token. */
function keysUnavailable(error: unknown): boolean {
  if (!(error instanceof errors.JOSEError)) return true;
  return (
    error instanceof errors.JWKSTimeout ||
    error instanceof errors.JWKSInvalid ||
    error.code === 'ERR_JOSE_GENERIC'
  );
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'it has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `claim ${error.claim} is not acceptable`;
  if (error instanceof errors.JWKSNoMatchingKey) return 'it is signed with an unknown key';
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'its signature does not verify';
  return error instanceof Error ? error.message : 'unreadable';
}
