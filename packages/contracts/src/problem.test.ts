import { describe, expect, it } from 'vitest';
import { ProblemSchema } from './problem.ts';

describe('ProblemSchema', () => {
  it('accepts an RFC 9457 document with extension members', () => {
    const problem = {
      type: 'urn:backoffice:problem:validation',
      title: 'The request is not valid',
      status: 400,
      detail: 'Invalid body',
      instance: '/v1/admin/users',
      correlationId: 'abc',
      errors: [{ location: 'body', pointer: '/email', message: 'Invalid email' }],
      retryAfterSeconds: 3,
    };
    expect(ProblemSchema.parse(problem)).toEqual(problem);
  });

  it('requires type, title and status', () => {
    expect(ProblemSchema.safeParse({ title: 'x', status: 400 }).success).toBe(false);
    expect(ProblemSchema.safeParse({ type: 'x', status: 400 }).success).toBe(false);
    expect(ProblemSchema.safeParse({ type: 'x', title: 'x' }).success).toBe(false);
  });
});
