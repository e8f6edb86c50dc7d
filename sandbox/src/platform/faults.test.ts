import { describe, expect, it } from 'vitest';
import { FaultSwitch, parseFaults } from './faults.ts';

describe('SANDBOX_FAULTS', () => {
  it('parses several services’ faults, with their status, delay and path prefix', () => {
    expect(
      parseFaults(
        'user-service:error:503, transaction-service:slow:1500,budget-service:down@/v1/budgets',
      ),
    ).toEqual({
      'user-service': { mode: 'error', status: 503, delayMs: 2000 },
      'transaction-service': { mode: 'slow', status: 500, delayMs: 1500 },
      'budget-service': { mode: 'down', status: 500, delayMs: 2000, pathPrefix: '/v1/budgets' },
    });
    expect(parseFaults('')).toEqual({});
  });

  it('names the faulty item', () => {
    expect(() => parseFaults('pet-service:error')).toThrow(
      '"pet-service:error": the service must be',
    );
    expect(() => parseFaults('user-service:error:200')).toThrow('"user-service:error:200": status');
    expect(() => parseFaults('user-service:melt')).toThrow('mode');
  });
});

describe('FaultSwitch', () => {
  it('never applies to the control routes, and applies to the rest only under its prefix', () => {
    const faults = new FaultSwitch({ mode: 'error', status: 500, delayMs: 0, pathPrefix: '/v1' });
    expect(faults.matching('/v1/users')).toBeDefined();
    expect(faults.matching('/health')).toBeUndefined();
    faults.set({ mode: 'down', status: 500, delayMs: 0 });
    expect(faults.matching('/health')).toBeDefined();
    expect(faults.matching('/__sandbox/faults')).toBeUndefined();
    faults.set({ mode: 'off', status: 500, delayMs: 0 });
    expect(faults.current).toEqual({ mode: 'off' });
  });
});
