import { describe, expect, it } from 'vitest';
import { ConfigError, parseCommandLine, serviceTokenKey, UsageError } from './config.ts';

const NOW = new Date('2026-01-02T03:04:05.000Z');

describe('the command line', () => {
  it('serves with the documented defaults', () => {
    const command = parseCommandLine([], {}, NOW);
    expect(command.command).toBe('serve');
    if (command.command !== 'serve') return;
    expect(command.config).toMatchObject({
      users: 2000,
      transactions: 100_000,
      rate: 'history',
      seed: 42,
      publish: 'webhook',
      userPort: 8080,
      transactionPort: 8081,
      budgetPort: 8083,
      host: '127.0.0.1',
      batchSize: 500,
      databaseUrl: undefined,
      faults: {},
    });
    expect(serviceTokenKey(command.config)).toEqual({
      kind: 'secret',
      secret: 'sandbox-dev-service-token-secret',
    });
  });

  it('reads SANDBOX_ variables, and a flag wins over its variable', () => {
    const command = parseCommandLine(
      ['--users', '10', '--publish', 'nats', '--faults', 'user-service:down'],
      {
        SANDBOX_USERS: '99',
        SANDBOX_RATE: '0',
        SANDBOX_DATABASE_URL: 'postgres://u:p@localhost:5432/sandbox',
        KAFKA_BROKERS: 'a:9092, b:9092',
        DATABASE_URL: 'postgres://the-backoffice-own/db',
        PORT: '1234',
      },
      NOW,
    );
    if (command.command !== 'serve') throw new Error('expected serve');
    expect(command.config).toMatchObject({
      users: 10,
      rate: 0,
      publish: 'nats',
      databaseUrl: 'postgres://u:p@localhost:5432/sandbox',
      kafkaBrokers: ['a:9092', 'b:9092'],
      userPort: 8080,
      faults: { 'user-service': { mode: 'down' } },
    });
  });

  it('names each invalid option by flag and variable in one line', () => {
    expect(() => parseCommandLine(['--users=-5', '--publish', 'pigeon'], {}, NOW)).toThrow(
      ConfigError,
    );
    expect(() => parseCommandLine(['--users=-5'], {}, NOW)).toThrow(
      /^Invalid sandbox options: --users \(SANDBOX_USERS\): /,
    );
    expect(() => parseCommandLine([], { SANDBOX_USER_PORT: 'x' }, NOW)).toThrow(
      '--user-port (SANDBOX_USER_PORT)',
    );
  });

  it('calls an unknown flag or command a usage error', () => {
    expect(() => parseCommandLine(['--userz', '1'], {}, NOW)).toThrow(UsageError);
    expect(() => parseCommandLine(['frobnicate'], {}, NOW)).toThrow(UsageError);
  });

  it('parses generate, with now as the default end', () => {
    expect(
      parseCommandLine(['generate', '--users', '5', '--out', '/tmp/x.ndjson'], {}, NOW),
    ).toEqual({
      command: 'generate',
      users: 5,
      transactions: 100_000,
      seed: 42,
      out: '/tmp/x.ndjson',
      end: NOW,
    });
    const explicit = parseCommandLine(['generate', '--end', '2025-06-01T00:00:00Z'], {}, NOW);
    expect(explicit).toMatchObject({ out: '-', end: new Date('2025-06-01T00:00:00Z') });
    expect(() => parseCommandLine(['generate', '--end', 'soon'], {}, NOW)).toThrow(ConfigError);
    expect(parseCommandLine(['generate', '--help'], {}, NOW).command).toBe('help');
  });
});
