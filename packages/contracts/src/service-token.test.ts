import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signServiceToken, verifyServiceToken } from './service-token.ts';

const secret = { kind: 'secret', secret: 'a-shared-secret-of-enough-length' } as const;

describe('service tokens', () => {
  it('round-trips with a shared secret, carrying the acting staff member', async () => {
    const token = await signServiceToken(secret, {
      audience: 'user-service',
      subject: 'staff-1',
      actorEmail: 'ops@example.com',
    });
    const claims = await verifyServiceToken(secret, token, 'user-service');
    expect(claims).toMatchObject({
      iss: 'backoffice',
      aud: 'user-service',
      sub: 'staff-1',
      actor_email: 'ops@example.com',
    });
  });

  it('round-trips with an Ed25519 key pair', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const token = await signServiceToken(
      {
        kind: 'ed25519',
        privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
      { audience: 'budget-service', subject: 'backoffice' },
    );
    const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await expect(
      verifyServiceToken({ kind: 'ed25519', publicKeyPem }, token, 'budget-service'),
    ).resolves.toMatchObject({
      sub: 'backoffice',
    });
  });

  it('rejects another audience, another key, and an expired token', async () => {
    const token = await signServiceToken(secret, { audience: 'user-service', subject: 's' });
    await expect(verifyServiceToken(secret, token, 'transaction-service')).rejects.toThrow();
    await expect(
      verifyServiceToken({ kind: 'secret', secret: 'x'.repeat(32) }, token, 'user-service'),
    ).rejects.toThrow();
    const expired = await signServiceToken(secret, {
      audience: 'user-service',
      subject: 's',
      ttlSeconds: -60,
    });
    await expect(verifyServiceToken(secret, expired, 'user-service')).rejects.toThrow(/exp/);
  });
});
