import { SignJWT, importPKCS8, importSPKI, jwtVerify, type CryptoKey, type JWTPayload } from 'jose';

/**
 * Service tokens: the short-lived JWT the backoffice presents to a platform service's admin endpoints
 * (main spec: "Backoffice → Backend Services: JWT service tokens").
 *
 *   iss = "backoffice", aud = the service ("user-service", …), sub = the staff member acting (or
 *   "backoffice" for the system), exp ≤ 5 minutes, jti unique. Signed HS256 with a shared secret, or
 *   EdDSA (Ed25519) with a private key whose public key the services hold.
 */
export const SERVICE_TOKEN_ISSUER = 'backoffice';
export const SERVICE_AUDIENCES = [
  'user-service',
  'transaction-service',
  'budget-service',
  'pet-service',
  'payment-service',
] as const;
export type ServiceAudience = (typeof SERVICE_AUDIENCES)[number];

export type SigningKey =
  { kind: 'secret'; secret: string } | { kind: 'ed25519'; privateKeyPem: string };
export type VerificationKey =
  { kind: 'secret'; secret: string } | { kind: 'ed25519'; publicKeyPem: string };

export interface ServiceTokenClaims extends JWTPayload {
  sub: string;
  /** The acting staff member's email, for the service's own logs. */
  actor_email?: string;
}

async function signingMaterial(
  key: SigningKey,
): Promise<{ alg: string; key: CryptoKey | Uint8Array }> {
  return key.kind === 'secret'
    ? { alg: 'HS256', key: new TextEncoder().encode(key.secret) }
    : { alg: 'EdDSA', key: await importPKCS8(key.privateKeyPem, 'EdDSA') };
}

export async function signServiceToken(
  key: SigningKey,
  options: { audience: string; subject: string; actorEmail?: string; ttlSeconds?: number },
): Promise<string> {
  const { alg, key: material } = await signingMaterial(key);
  return new SignJWT(options.actorEmail === undefined ? {} : { actor_email: options.actorEmail })
    .setProtectedHeader({ alg, typ: 'JWT' })
    .setIssuer(SERVICE_TOKEN_ISSUER)
    .setAudience(options.audience)
    .setSubject(options.subject)
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .setExpirationTime(`${Math.min(options.ttlSeconds ?? 60, 300)}s`)
    .sign(material);
}

/** Verifies signature, issuer, audience and expiry (30 s clock tolerance); throws on any failure. */
export async function verifyServiceToken(
  key: VerificationKey,
  token: string,
  audience: ServiceAudience,
): Promise<ServiceTokenClaims> {
  const material =
    key.kind === 'secret'
      ? new TextEncoder().encode(key.secret)
      : await importSPKI(key.publicKeyPem, 'EdDSA');
  const { payload } = await jwtVerify(token, material, {
    issuer: SERVICE_TOKEN_ISSUER,
    audience,
    algorithms: key.kind === 'secret' ? ['HS256'] : ['EdDSA'],
    clockTolerance: 30,
    requiredClaims: ['exp', 'sub'],
  });
  return payload as ServiceTokenClaims;
}
