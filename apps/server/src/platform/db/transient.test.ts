import { describe, expect, it } from 'vitest';
import { AuditUnavailableError } from '../audit/writer.ts';
import { isTransient } from './transient.ts';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe('isTransient', () => {
  it('retries connection, rollback and lock-timeout failures', () => {
    for (const code of ['08006', '40001', '40P01', '53300', '57P01', '55P03', 'ECONNRESET'])
      expect(isTransient(pgError(code)), code).toBe(true);
    expect(isTransient(new Error('Connection terminated unexpectedly'))).toBe(true);
  });

  it('blames the events for constraint and data errors', () => {
    for (const code of ['23505', '22003', '22P02', '42703'])
      expect(isTransient(pgError(code)), code).toBe(false);
    expect(isTransient(new Error('a bug in a projection'))).toBe(false);
  });

  it('judges a wrapped error by its cause, as the audit writer wraps the database’s', () => {
    expect(isTransient(new AuditUnavailableError('unavailable', { cause: pgError('55P03') }))).toBe(
      true,
    );
    expect(isTransient(new AuditUnavailableError('unavailable', { cause: pgError('23505') }))).toBe(
      false,
    );
  });
});
