import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../../test/helpers/app.ts';
import { signedIn } from '../../../../test/helpers/auth.ts';
import { createTestDatabase, type TestDatabase } from '../../../../test/helpers/database.ts';

/**
 * OIDC with a locally generated key set, served over real HTTP like Keycloak's realm endpoints:
 * discovery document and JWKS.
 */
describe('AUTH_PROVIDER=oidc', () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  let idp: Server;
  let issuer: string;
  let key: CryptoKey;
  let strangerKey: CryptoKey;
  let jwksUp = true;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = {
      ...(await exportJWK(pair.publicKey)),
      kid: 'realm-key-1',
      alg: 'RS256',
      use: 'sig',
    };
    idp = createServer((request, response) => {
      if (request.url?.endsWith('/.well-known/openid-configuration')) {
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({ issuer, jwks_uri: `${issuer}/protocol/openid-connect/certs` }),
        );
      } else if (request.url?.endsWith('/certs') && jwksUp) {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ keys: [jwk] }));
      } else {
        response.statusCode = 503;
        response.end();
      }
    });
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}/realms/platform`;

    database = await createTestDatabase();
    ({ app } = await buildTestApp(database, {
      AUTH_PROVIDER: 'oidc',
      OIDC_ISSUER: issuer,
      OIDC_AUDIENCE: 'backoffice',
      OIDC_ROLE_MAP: 'backoffice-admin=Admin,backoffice-support=Staff',
    }));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    await new Promise((resolve) => idp.close(resolve));
  });

  function token(
    claims: Record<string, unknown> = {},
    options: { audience?: string; expiresIn?: string; signWith?: CryptoKey; kid?: string } = {},
  ) {
    return new SignJWT({
      email: 'agent@platform.example',
      name: 'Support Agent',
      realm_access: { roles: ['offline_access', 'backoffice-support'] },
      ...claims,
    })
      .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'realm-key-1' })
      .setIssuer(issuer)
      .setAudience(options.audience ?? 'backoffice')
      .setSubject('kc-user-42')
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '5m')
      .sign(options.signWith ?? key);
  }

  const me = (bearer: string) =>
    app.inject({
      method: 'GET',
      url: '/v1/admin/auth/me',
      headers: { authorization: `Bearer ${bearer}` },
    });

  it('accepts a valid token, maps its realm roles to ours, and provisions the staff account', async () => {
    const response = await me(await token());
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      provider: 'oidc',
      user: { email: 'agent@platform.example', name: 'Support Agent', roles: ['Staff'] },
    });
    const account = await database.db
      .selectFrom('staff_users')
      .select(['provider', 'external_subject'])
      .where('email', '=', 'agent@platform.example')
      .executeTakeFirst();
    expect(account).toEqual({ provider: 'oidc', external_subject: 'kc-user-42' });
  });

  it.each([
    ['an expired token', () => token({}, { expiresIn: '-1m' }), /expired/],
    ['a token for another audience', () => token({}, { audience: 'billing' }), /claim aud/],
    [
      'a token signed with an unknown key',
      () => token({}, { signWith: strangerKey, kid: 'other-key' }),
      /unknown key/,
    ],
    [
      'a token whose signature does not verify',
      () => token({}, { signWith: strangerKey }),
      /signature/,
    ],
  ])('refuses %s with 401', async (_name, make, detail) => {
    const response = await me(await make());
    expect(response.statusCode).toBe(401);
    expect(response.json<{ detail: string }>().detail).toMatch(detail);
  });

  it('answers 403 to a valid token that grants no backoffice role', async () => {
    const response = await me(await token({ realm_access: { roles: ['customer'] } }));
    expect(response.statusCode).toBe(403);
  });

  it('keeps a revoked token refused although its signature is still valid', async () => {
    const bearer = await token({ email: 'revoked@platform.example' }, { expiresIn: '10m' });
    expect((await me(bearer)).statusCode).toBe(200);
    const admin = await signedIn(app, database.db, ['Admin']);
    const sessions = await app.inject({
      method: 'GET',
      url: '/v1/admin/sessions',
      headers: admin.headers,
    });
    const session = sessions
      .json<{ data: { id: string; staffEmail: string }[] }>()
      .data.find((s) => s.staffEmail === 'revoked@platform.example');
    await app.inject({
      method: 'DELETE',
      url: `/v1/admin/sessions/${session?.id ?? ''}`,
      headers: admin.headers,
    });
    expect((await me(bearer)).statusCode).toBe(401);
  });

  it('answers 503, not 401, when the identity provider’s keys cannot be fetched', async () => {
    const { app: cold } = await buildTestApp(database, {
      AUTH_PROVIDER: 'oidc',
      OIDC_ISSUER: issuer,
      OIDC_AUDIENCE: 'backoffice',
      OIDC_ROLE_MAP: 'backoffice-support=Staff',
    });
    jwksUp = false;
    try {
      const response = await cold.inject({
        method: 'GET',
        url: '/v1/admin/auth/me',
        headers: { authorization: `Bearer ${await token()}` },
      });
      expect(response.statusCode).toBe(503);
    } finally {
      jwksUp = true;
      await cold.close();
    }
  });

  it('still accepts the backoffice’s own sessions (the way in when the provider is down)', async () => {
    const admin = await signedIn(app, database.db, ['Admin']);
    expect(
      (await app.inject({ method: 'GET', url: '/v1/admin/roles', headers: admin.headers }))
        .statusCode,
    ).toBe(200);
  });
});
