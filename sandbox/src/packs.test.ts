import { describe, expect, it } from 'vitest';
import { ConfigError, parseCommandLine, parseSandboxOptions } from './config.ts';
import { servicesOf } from './packs.ts';
import { ACTIONS, ratesFromHistory, type HistoryCount } from './traffic/rhythm.ts';

const NOW = new Date('2026-01-02T03:04:05.000Z');

describe('--packs (SANDBOX_PACKS)', () => {
  it('runs Money Planner by default; the flag or the variable names the packs, each once', () => {
    const serve = (argv: string[], env: NodeJS.ProcessEnv = {}) => {
      const command = parseCommandLine(argv, env, NOW);
      if (command.command !== 'serve') throw new Error('expected serve');
      return command.config;
    };
    expect(serve([])).toMatchObject({
      packs: ['money-planner'],
      petPort: 8085,
      paymentPort: 8086,
    });
    expect(serve(['--packs', 'money-planner,virtual-pet,virtual-pet']).packs).toEqual([
      'money-planner',
      'virtual-pet',
    ]);
    expect(serve([], { SANDBOX_PACKS: ' virtual-pet ', SANDBOX_PET_PORT: '9085' })).toMatchObject({
      packs: ['virtual-pet'],
      petPort: 9085,
    });
    expect(parseSandboxOptions({ packs: ['virtual-pet'] }).packs).toEqual(['virtual-pet']);
  });

  it('names an unknown pack, and refuses an empty list', () => {
    expect(() => parseCommandLine(['--packs', 'money-planner,pets'], {}, NOW)).toThrow(
      /--packs \(SANDBOX_PACKS\): unknown pack "pets" \(known: money-planner, virtual-pet\)/,
    );
    expect(() => parseSandboxOptions({ packs: [] })).toThrow(ConfigError);
  });

  it('takes faults for the services the packs run, and only those', () => {
    expect(
      parseSandboxOptions({ packs: ['virtual-pet'], faults: 'pet-service:error:503' }).faults,
    ).toEqual({ 'pet-service': { mode: 'error', status: 503, delayMs: 2000 } });
    expect(() =>
      parseSandboxOptions({ packs: ['virtual-pet'], faults: 'budget-service:down' }),
    ).toThrow(
      'faults: "budget-service:down": the service must be one of user-service, pet-service, payment-service',
    );
    expect(() => parseCommandLine(['--faults', 'payment-service:down'], {}, NOW)).toThrow(
      '--faults (SANDBOX_FAULTS)',
    );
  });

  it('knows which services each pack runs: the User Service always', () => {
    expect(servicesOf()).toEqual(['user-service', 'transaction-service', 'budget-service']);
    expect(servicesOf(['virtual-pet'])).toEqual(['user-service', 'pet-service', 'payment-service']);
    expect(servicesOf(['money-planner', 'virtual-pet'])).toHaveLength(5);
  });

  it('passes the packs to generate, and leaves them unset (Money Planner) when not given', () => {
    expect(parseCommandLine(['generate', '--packs', 'virtual-pet'], {}, NOW)).toMatchObject({
      command: 'generate',
      packs: ['virtual-pet'],
    });
    expect(parseCommandLine(['generate'], {}, NOW)).toMatchObject({ packs: undefined });
  });
});

describe('the live rhythm of the packs', () => {
  const counts: HistoryCount[] = (
    ['sign-up', 'login', 'transaction', 'pet', 'pet-care', 'payment'] as const
  ).map((kind) => ({ kind, hour: 12, count: 70 }));

  it('gives the actions of the packs not running no rate at all', () => {
    const rated = (packs: Parameters<typeof ratesFromHistory>[2]) => {
      const rates = ratesFromHistory(counts, 7, packs);
      return ACTIONS.filter((action) => (rates[action][12] ?? 0) > 0);
    };
    expect(rated(['money-planner'])).toEqual([
      'transaction',
      'login',
      'logout',
      'sign-up',
      'transaction-correction',
      'transaction-deletion',
      'budget-change',
      'budget-creation',
      'budget-deletion',
    ]);
    expect(rated(['virtual-pet'])).toEqual([
      'login',
      'logout',
      'sign-up',
      'failed-login',
      'pet-creation',
      'pet-care',
      'pet-transfer',
      'pet-deletion',
      'payment',
      'payment-refund',
    ]);
    const rates = ratesFromHistory(counts, 7, ['virtual-pet']);
    expect(rates.payment[12]).toBe(10);
    expect(rates['failed-login'][12]).toBeCloseTo(0.5);
  });
});
