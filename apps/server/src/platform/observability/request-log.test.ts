import { describe, expect, it } from 'vitest';
import { loggedUrl } from './request-log.ts';

describe('loggedUrl', () => {
  it('leaves out query values that may name a person, keeps the plain ones', () => {
    expect(loggedUrl('/v1/admin/users?q=alice%40example.com&state=Blocked&page=2')).toBe(
      '/v1/admin/users?q=…&state=Blocked&page=2',
    );
    expect(loggedUrl('/v1/admin/ws?ticket=wst_secret')).toBe('/v1/admin/ws?ticket=…');
    expect(loggedUrl('/healthz')).toBe('/healthz');
  });
});
