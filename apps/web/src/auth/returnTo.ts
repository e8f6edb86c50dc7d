/**
 * Where to go after signing in: only a path of this application (never another origin, which would
 * make the sign-in page an open redirect), never back to the sign-in page.
 */
export function safeReturnTo(value: string | null | undefined, fallback = '/'): string {
  if (value === null || value === undefined) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  if (value === '/login' || value.startsWith('/login?')) return fallback;
  return value;
}

export function withReturnTo(path: string, location: { pathname: string; search: string }): string {
  const here = `${location.pathname}${location.search}`;
  return here === '/' ? path : `${path}?returnTo=${encodeURIComponent(here)}`;
}
