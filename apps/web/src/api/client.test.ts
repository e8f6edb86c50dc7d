import { MeResponseSchema } from '@backoffice/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  HttpError,
  PROBLEM_INVALID_RESPONSE,
  PROBLEM_NETWORK,
  buildUrl,
  call,
  configureClient,
  getToken,
  setToken,
} from './client.ts';

function problem(
  status: number,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return new Response(
    JSON.stringify({
      type: 'urn:backoffice:problem:x',
      title: 'Problem',
      status,
      correlationId: 'srv-1',
      ...extra,
    }),
    { status, headers: { 'content-type': 'application/problem+json', ...headers } },
  );
}

const me = {
  user: {
    id: '00000000-0000-4000-8000-000000000001',
    email: 'ann@example.com',
    name: 'Ann',
    roles: ['Admin'],
    permissions: ['users:read'],
  },
  provider: 'builtin',
  mfa: { enrolled: false, required: false, verifiedAt: null },
  passwordChangeRequired: false,
  session: {
    id: '00000000-0000-4000-8000-000000000002',
    createdAt: '2026-11-20T10:00:00.000Z',
    expiresAt: '2026-11-20T22:00:00.000Z',
  },
  features: ['users'],
};

describe('the API client', () => {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock);
    fetchMock.mockReset();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    configureClient({});
  });

  it('sends the bearer token from localStorage and a correlation id, and validates the answer', async () => {
    setToken('tok-1');
    expect(window.localStorage.getItem('access_token')).toBe('tok-1');
    fetchMock.mockResolvedValueOnce(Response.json(me));
    const result = await call('me', { schema: MeResponseSchema });
    expect(result.user.email).toBe('ann@example.com');
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/v1/admin/auth/me');
    const headers = init?.headers as Record<string, string>;
    expect(headers.authorization).toBe('Bearer tok-1');
    expect(headers['x-correlation-id']).toMatch(/^web-[0-9a-f]{24}$/);
  });

  it('sends no token to the sign-in endpoint', async () => {
    setToken('old');
    fetchMock.mockResolvedValueOnce(problem(401));
    await expect(call('login', { body: { email: 'a', password: 'b' } })).rejects.toBeInstanceOf(
      HttpError,
    );
    const headers = fetchMock.mock.calls[0]![1]?.headers as Record<string, string>;
    expect(headers.authorization).toBeUndefined();
    expect(headers['content-type']).toBe('application/json');
  });

  it('turns a problem response into an HttpError carrying the problem', async () => {
    fetchMock.mockResolvedValueOnce(problem(409, { detail: 'Name taken' }));
    const error = await call('createRole', { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    const http = error as HttpError;
    expect(http.status).toBe(409);
    expect(http.message).toBe('Name taken');
    expect(http.correlationId).toBe('srv-1');
    expect(http.isServerFailure).toBe(false);
  });

  it('reads Retry-After on a 429 and the second-factor request on a 401', async () => {
    fetchMock.mockResolvedValueOnce(problem(429, {}, { 'retry-after': '42' }));
    const locked = (await call('login', { body: {} }).catch((e: unknown) => e)) as HttpError;
    expect(locked.retryAfterSeconds).toBe(42);
    fetchMock.mockResolvedValueOnce(problem(401, { mfaRequired: true }));
    const mfa = (await call('login', { body: {} }).catch((e: unknown) => e)) as HttpError;
    expect(mfa.mfaRequired).toBe(true);
  });

  it('reports a 401 on a signed-in call as the end of the session, but not on sign-in', async () => {
    const unauthorized = vi.fn();
    configureClient({ unauthorized });
    fetchMock.mockResolvedValueOnce(problem(401));
    await call('login', { body: {} }).catch(() => undefined);
    expect(unauthorized).not.toHaveBeenCalled();
    fetchMock.mockResolvedValueOnce(problem(401));
    await call('roles').catch(() => undefined);
    expect(unauthorized).toHaveBeenCalledOnce();
  });

  it('reports a required action (403 change_password / enrol_mfa)', async () => {
    const requiredAction = vi.fn();
    configureClient({ requiredAction });
    fetchMock.mockResolvedValueOnce(problem(403, { requiredAction: 'change_password' }));
    const error = (await call('roles').catch((e: unknown) => e)) as HttpError;
    expect(error.requiredAction).toBe('change_password');
    expect(requiredAction).toHaveBeenCalledWith('change_password', error);
  });

  it('asks for step-up on 403 verify_mfa and retries once verified', async () => {
    const stepUp = vi.fn(() => Promise.resolve());
    configureClient({ stepUp });
    fetchMock
      .mockResolvedValueOnce(problem(403, { requiredAction: 'verify_mfa' }))
      .mockResolvedValueOnce(new Response(null, { status: 204 }));
    await expect(call('deleteRole', { params: { id: 'r1' } })).resolves.toBeUndefined();
    expect(stepUp).toHaveBeenCalledOnce();
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it('fails with the original error when step-up is cancelled', async () => {
    configureClient({ stepUp: () => Promise.reject(new Error('cancelled')) });
    fetchMock.mockResolvedValueOnce(problem(403, { requiredAction: 'verify_mfa' }));
    const error = (await call('deleteRole', { params: { id: 'r1' } }).catch(
      (e: unknown) => e,
    )) as HttpError;
    expect(error.requiredAction).toBe('verify_mfa');
    expect(fetchMock).toHaveBeenCalledOnce();
  });

  it('turns a network failure into a problem with the correlation id it sent', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    const error = (await call('roles').catch((e: unknown) => e)) as HttpError;
    expect(error.status).toBe(0);
    expect(error.problem.type).toBe(PROBLEM_NETWORK);
    const sent = (fetchMock.mock.calls[0]![1]?.headers as Record<string, string>)[
      'x-correlation-id'
    ];
    expect(error.correlationId).toBe(sent);
    expect(error.isServerFailure).toBe(true);
  });

  it('refuses an answer that breaks its contract, naming the operation', async () => {
    fetchMock.mockResolvedValueOnce(Response.json({ user: { email: 42 } }));
    const error = (await call('me', { schema: MeResponseSchema }).catch(
      (e: unknown) => e,
    )) as HttpError;
    expect(error.problem.type).toBe(PROBLEM_INVALID_RESPONSE);
    expect(error.problem.detail).toContain('GET /v1/admin/auth/me');
    expect(error.isServerFailure).toBe(true);
  });

  it('keeps a problem without a body as its status text', async () => {
    fetchMock.mockResolvedValueOnce(
      new Response('<html>', { status: 502, statusText: 'Bad Gateway' }),
    );
    const error = (await call('roles').catch((e: unknown) => e)) as HttpError;
    expect(error.problem.title).toBe('Bad Gateway');
    expect(error.isServerFailure).toBe(true);
  });

  it('forgets the token on sign-out', () => {
    setToken('x');
    setToken(null);
    expect(getToken()).toBeNull();
  });
});

describe('buildUrl', () => {
  it('fills path parameters and leaves out empty query values', () => {
    expect(
      buildUrl(
        '/v1/admin/roles/:id/history',
        { id: 'a b' },
        { page: 2, limit: 25, q: undefined, r: '' },
      ),
    ).toBe('/v1/admin/roles/a%20b/history?page=2&limit=25');
  });

  it('refuses a missing path parameter', () => {
    expect(() => buildUrl('/v1/admin/roles/:id')).toThrow(/missing path parameter id/);
  });
});
