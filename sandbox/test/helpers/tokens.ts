import { SERVICE_TOKEN_ISSUER, signServiceToken } from '@backoffice/contracts/service-token';
import { SignJWT } from 'jose';
import type { ServiceName } from '../../src/platform/faults.ts';

export const TEST_TOKEN_SECRET = 'test-service-token-secret-0123456789';
/** The staff member the tests act as (the token's `sub`). */
export const STAFF_ID = '0c6a2b1e-4f5d-4e6a-9b7c-8d9e0f1a2b3c';

export function serviceToken(
  audience: ServiceName,
  options: { subject?: string; secret?: string } = {},
): Promise<string> {
  return signServiceToken(
    { kind: 'secret', secret: options.secret ?? TEST_TOKEN_SECRET },
    { audience, subject: options.subject ?? STAFF_ID },
  );
}

/** A token that expired two minutes ago (beyond the 30 s clock tolerance). */
export function expiredServiceToken(audience: ServiceName): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(SERVICE_TOKEN_ISSUER)
    .setAudience(audience)
    .setSubject(STAFF_ID)
    .setIssuedAt(now - 300)
    .setExpirationTime(now - 120)
    .sign(new TextEncoder().encode(TEST_TOKEN_SECRET));
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
