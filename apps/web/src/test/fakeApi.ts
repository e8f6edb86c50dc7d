import { vi } from 'vitest';

type Handler = (request: { url: URL; body: unknown }) => Response | Promise<Response>;

/** Answers the client's fetches from a table of `METHOD /path` handlers; anything else is a 404. */
export function fakeApi(handlers: Record<string, Handler>) {
  const calls: string[] = [];
  const bodies: Record<string, unknown[]> = {};
  const fetchMock = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href, 'http://backoffice.test');
    const method = init?.method ?? 'GET';
    const key = `${method} ${url.pathname}`;
    calls.push(key);
    const handler = handlers[key];
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    (bodies[key] ??= []).push(body);
    if (handler === undefined)
      return problem(404, { title: 'Not found', detail: `no fake for ${key}` });
    return handler({ url, body });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, bodies, fetchMock };
}

export function problem(
  status: number,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return new Response(
    JSON.stringify({
      type: `urn:backoffice:problem:${status}`,
      title: `Problem ${status}`,
      status,
      correlationId: `corr-${status}`,
      ...extra,
    }),
    { status, headers: { 'content-type': 'application/problem+json', ...headers } },
  );
}

export const ADMIN_ID = '00000000-0000-4000-8000-000000000001';

export function meResponse(
  options: {
    permissions?: string[];
    roles?: string[];
    passwordChangeRequired?: boolean;
    mfa?: { enrolled: boolean; required: boolean };
    features?: string[];
  } = {},
) {
  return {
    user: {
      id: ADMIN_ID,
      email: 'ann@example.com',
      name: 'Ann Admin',
      roles: options.roles ?? ['Admin'],
      permissions: options.permissions ?? [
        'users:read',
        'dashboard:read',
        'audit:read',
        'roles:manage',
        'staff:manage',
        'system:read',
        'events:replay',
      ],
    },
    provider: 'builtin',
    mfa: { verifiedAt: null, ...(options.mfa ?? { enrolled: false, required: false }) },
    passwordChangeRequired: options.passwordChangeRequired ?? false,
    session: {
      id: '00000000-0000-4000-8000-000000000002',
      createdAt: '2026-11-20T10:00:00.000Z',
      expiresAt: '2026-11-20T22:00:00.000Z',
    },
    features: options.features ?? ['users', 'transactions', 'budgets', 'audit', 'dashboard'],
  };
}

export const loginResponse = (me = meResponse()) => ({
  token: 'tok-new',
  expiresAt: me.session.expiresAt,
  user: me.user,
  mfa: me.mfa,
  passwordChangeRequired: me.passwordChangeRequired,
});
