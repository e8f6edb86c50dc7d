import { describe, expect, it } from 'vitest';
import { startupBanner } from './startup-banner.ts';

const url = 'http://localhost:8084';

describe('the startup banner', () => {
  it('gives the first Admin’s generated password on the start that created it', () => {
    const text = startupBanner({
      url,
      admin: {
        email: 'admin@example.com',
        password: '3PTHVWFCPFZMXER7',
        secretsFile: '/srv/backoffice/.data/secrets.json',
      },
      demo: { seeded: true },
      cwd: '/srv/backoffice',
    });
    expect(text).toContain(
      'Sign in as admin@example.com / 3PTHVWFCPFZMXER7   (kept in .data/secrets.json)',
    );
    expect(text).toContain('Demo mode');
    expect(text).toContain('"Catching up"');
    expect(text.indexOf('running at')).toBeLessThan(text.indexOf('Sign in'));
  });

  it('says on later starts how to read the password, not which JSON key holds it', () => {
    const text = startupBanner({
      url,
      admin: {
        email: 'admin@example.com',
        password: undefined,
        secretsFile: '/srv/backoffice/.data/secrets.json',
      },
      demo: { seeded: false },
      cwd: '/srv/backoffice',
    });
    expect(text).toContain(
      'Sign in as admin@example.com. Password: run `jq -r .bootstrapAdminPassword .data/secrets.json`',
    );
    expect(text).not.toContain('Catching up');
  });

  it('names the services of the packs the sandbox runs', () => {
    const text = startupBanner({
      url,
      demo: { seeded: false, services: ['User', 'Pet', 'Payment'] },
    });
    expect(text).toContain('User, Pet and Payment services run in this process');
    expect(startupBanner({ url, demo: { seeded: false } })).toContain(
      'User, Transaction and Budget services run',
    );
  });

  it('names a data directory outside the working directory in full, quoted when it must be', () => {
    const text = startupBanner({
      url,
      admin: {
        email: 'admin@example.com',
        password: undefined,
        secretsFile: "/var/lib/my data/it's/secrets.json",
      },
      cwd: '/srv/backoffice',
    });
    expect(text).toContain(
      "Password: run `jq -r .bootstrapAdminPassword '/var/lib/my data/it'\\''s/secrets.json'`",
    );
    expect(text).not.toContain('Demo mode');
  });
});
