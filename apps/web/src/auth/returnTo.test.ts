import { describe, expect, it } from 'vitest';
import { safeReturnTo, withReturnTo } from './returnTo.ts';

describe('safeReturnTo', () => {
  it('accepts a path of the application', () => {
    expect(safeReturnTo('/access/staff?status=active')).toBe('/access/staff?status=active');
  });

  it('refuses other origins and the sign-in page', () => {
    expect(safeReturnTo('https://evil.example')).toBe('/');
    expect(safeReturnTo('//evil.example/x')).toBe('/');
    expect(safeReturnTo('/\\evil.example')).toBe('/');
    expect(safeReturnTo('/login?returnTo=/x')).toBe('/');
    expect(safeReturnTo(null)).toBe('/');
  });
});

describe('withReturnTo', () => {
  it('remembers where the person was', () => {
    expect(withReturnTo('/login', { pathname: '/access/roles', search: '?page=2' })).toBe(
      '/login?returnTo=%2Faccess%2Froles%3Fpage%3D2',
    );
    expect(withReturnTo('/login', { pathname: '/', search: '' })).toBe('/login');
  });
});
