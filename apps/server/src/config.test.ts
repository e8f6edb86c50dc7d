import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8084);
    expect(config.host).toBe('localhost');
    expect(config.logLevel).toBe('info');
    expect(config.database.url).toBeUndefined();
    expect(config.dataDir).toBe(path.resolve('.data'));
    expect(config.http.corsOrigins).toEqual([]);
  });

  it('reads and converts every kind of value', () => {
    const config = loadConfig({
      PORT: '9000',
      DATABASE_URL: 'postgres://u:p@db:5432/backoffice',
      CORS_ORIGINS: 'https://a.example, https://b.example,',
      TRUST_PROXY: 'true',
      BACKOFFICE_DATA_DIR: '/var/lib/backoffice',
    });
    expect(config.port).toBe(9000);
    expect(config.database.url).toBe('postgres://u:p@db:5432/backoffice');
    expect(config.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.http.trustProxy).toBe(true);
    expect(config.dataDir).toBe('/var/lib/backoffice');
  });

  it('reads settings for the embedded PostgreSQL, and refuses anything but name=value', () => {
    expect(loadConfig({}).embeddedPostgres.settings).toEqual({});
    expect(
      loadConfig({ EMBEDDED_POSTGRES_SETTINGS: 'shared_buffers=2GB, work_mem=16MB' })
        .embeddedPostgres.settings,
    ).toEqual({ shared_buffers: '2GB', work_mem: '16MB' });
    expect(() => loadConfig({ EMBEDDED_POSTGRES_SETTINGS: 'shared_buffers=1GB -c x' })).toThrow(
      ConfigError,
    );
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).port).toBe(8084);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['TRUST_PROXY', 'maybe'],
  ])('rejects %s=%s with a message naming the variable and the value', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(
      new RegExp(`^Invalid configuration: ${name}: .*\\(got "${value}"\\)`),
    );
  });

  it('serves the Money Planner pack by default, and the packs BACKOFFICE_PACKS names', () => {
    expect(loadConfig({}).packs).toEqual(['money-planner']);
    expect(loadConfig({ BACKOFFICE_PACKS: ' money-planner, money-planner ,' }).packs).toEqual([
      'money-planner',
    ]);
    expect(() => loadConfig({ BACKOFFICE_PACKS: 'money-planner,bakery' })).toThrow(
      /BACKOFFICE_PACKS: unknown pack "bakery" \(known: money-planner/,
    );
    expect(() => loadConfig({ BACKOFFICE_PACKS: ',' })).toThrow(
      /BACKOFFICE_PACKS: name at least one pack/,
    );
  });

  it('names every invalid variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT: .*; LOG_LEVEL: /);
  });

  describe('demo mode', () => {
    const platform = {
      USER_SERVICE_URL: 'http://users:8080',
      SERVICE_JWT_SECRET: 'a-service-token-secret-of-32-chars!',
    };

    it('is on when no platform service is configured, with a first Admin and no MFA at sign-in', () => {
      const config = loadConfig({});
      expect(config.sandbox).toEqual({
        users: 2000,
        transactions: 100_000,
        rate: 'history',
        seed: 42,
      });
      expect(config.bootstrapAdmin).toEqual({ email: 'admin@example.com', password: undefined });
      expect(config.auth.mfaRequiredRoles).toEqual([]);
    });

    it('keeps an explicit second-factor policy and bootstrap account', () => {
      const config = loadConfig({
        AUTH_MFA_REQUIRED_ROLES: 'Admin',
        BACKOFFICE_BOOTSTRAP_ADMIN_EMAIL: 'me@example.com',
        SANDBOX_USERS: '50',
      });
      expect(config.auth.mfaRequiredRoles).toEqual(['Admin']);
      expect(config.bootstrapAdmin?.email).toBe('me@example.com');
      expect(config.sandbox?.users).toBe(50);
    });

    it('is off with a platform service configured, or BACKOFFICE_SANDBOX=off', () => {
      for (const env of [platform, { BACKOFFICE_SANDBOX: 'off' }]) {
        const config = loadConfig(env);
        expect(config.sandbox).toBeUndefined();
        expect(config.bootstrapAdmin).toBeUndefined();
        expect(config.auth.mfaRequiredRoles).toEqual(['Admin']);
      }
    });

    it('lets upstream-session sign-in use the sandbox’s User Service, but not without one', () => {
      expect(loadConfig({ AUTH_PROVIDER: 'upstream-session' }).auth.provider).toBe(
        'upstream-session',
      );
      expect(() =>
        loadConfig({ AUTH_PROVIDER: 'upstream-session', BACKOFFICE_SANDBOX: 'off' }),
      ).toThrow(/USER_SERVICE_URL: required/);
    });

    it('needs a service-token key once a service URL is set', () => {
      expect(() => loadConfig({ USER_SERVICE_URL: 'http://users:8080' })).toThrow(
        /SERVICE_JWT_SECRET: required/,
      );
      expect(loadConfig(platform).upstream.userServiceUrl).toBe('http://users:8080');
    });
  });
});
