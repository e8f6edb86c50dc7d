import type { Problem } from '@backoffice/contracts';
import { ProblemSchema } from '@backoffice/contracts';
import { endpoints, type Endpoint, type EndpointName } from './endpoints.ts';

/** The session token, where the main spec keeps it. */
export const TOKEN_KEY = 'access_token';

export const PROBLEM_NETWORK = 'urn:backoffice:problem:client:network';
export const PROBLEM_INVALID_RESPONSE = 'urn:backoffice:problem:client:invalid-response';

export type RequiredAction = 'enrol_mfa' | 'change_password' | 'verify_mfa';

/**
 * The one error type of the data-access layer: every failed call — an HTTP error, no network, or a
 * response that does not match its contract — carries an RFC 9457 problem document, with the
 * correlation id to quote (the client sends one, so even a request that never arrived has one).
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  /** 0 when no response arrived. */
  readonly status: number;
  readonly problem: Problem;
  readonly endpoint: Endpoint;

  constructor(endpoint: Endpoint, status: number, problem: Problem) {
    super(problem.detail ?? problem.title);
    this.endpoint = endpoint;
    this.status = status;
    this.problem = problem;
  }

  get correlationId(): string | undefined {
    return this.problem.correlationId;
  }

  /** What the person must do before the server accepts more (403 with `requiredAction`). */
  get requiredAction(): RequiredAction | undefined {
    const action = this.problem.requiredAction;
    return action === 'enrol_mfa' || action === 'change_password' || action === 'verify_mfa'
      ? action
      : undefined;
  }

  /** Sign-in answered 401 asking for the second factor. */
  get mfaRequired(): boolean {
    return this.problem.mfaRequired === true;
  }

  /** Seconds to wait after a 429 (from `Retry-After`). */
  get retryAfterSeconds(): number | undefined {
    const value = this.problem.retryAfterSeconds;
    return typeof value === 'number' ? value : undefined;
  }

  /** Not the person's doing: the server failed, the network failed, or the answer made no sense. */
  get isServerFailure(): boolean {
    return (
      this.status === 0 || this.status >= 500 || this.problem.type === PROBLEM_INVALID_RESPONSE
    );
  }
}

export function isHttpError(error: unknown): error is HttpError {
  return error instanceof HttpError;
}

export function getToken(): string | null {
  return window.localStorage.getItem(TOKEN_KEY);
}

const tokenListeners = new Set<() => void>();

export function setToken(token: string | null): void {
  if (token === null) window.localStorage.removeItem(TOKEN_KEY);
  else window.localStorage.setItem(TOKEN_KEY, token);
  for (const listener of tokenListeners) listener();
}

/** Called when this tab (or, through the storage event, another tab) signs in or out. */
export function onTokenChange(listener: () => void): () => void {
  tokenListeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === TOKEN_KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    tokenListeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** What the application does about answers that concern the whole session, not one screen. */
export interface ClientHooks {
  /** A signed-in call got 401: the session is over. */
  unauthorized?: (error: HttpError) => void;
  /** 403 `enrol_mfa` / `change_password`: the account must be completed first. */
  requiredAction?: (action: 'enrol_mfa' | 'change_password', error: HttpError) => void;
  /** 403 `verify_mfa`: ask for a code; resolving retries the call once, rejecting fails it. */
  stepUp?: (error: HttpError) => Promise<void>;
}

let hooks: ClientHooks = {};

export function configureClient(next: ClientHooks): void {
  hooks = next;
}

/** 1–128 of `A-Z a-z 0-9 . _ : -`, as the server accepts; random without a secure context too. */
export function newCorrelationId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export type QueryValue = string | number | boolean | undefined | null;

export interface CallOptions<T> {
  params?: Record<string, string | number>;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** The response's contract (a zod schema); omit for 204. */
  schema?: { parse: (data: unknown) => T };
  /** Reads an answer that is not JSON (a file to download) instead of parsing it with `schema`. */
  read?: (response: Response) => Promise<T>;
  signal?: AbortSignal;
}

export function buildUrl(
  path: string,
  params: Record<string, string | number> = {},
  query: Record<string, QueryValue> = {},
): string {
  const filled = path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(value));
  });
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const qs = search.toString();
  return qs === '' ? filled : `${filled}?${qs}`;
}

async function problemOf(response: Response, correlationId: string): Promise<Problem> {
  const fallback: Problem = {
    type: `about:blank`,
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    correlationId,
  };
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return fallback;
  }
  const parsed = ProblemSchema.safeParse(body);
  if (!parsed.success) return fallback;
  const problem: Problem = {
    ...parsed.data,
    correlationId: parsed.data.correlationId ?? correlationId,
  };
  const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
  if (problem.retryAfterSeconds === undefined && Number.isFinite(retryAfter)) {
    problem.retryAfterSeconds = retryAfter;
  }
  return problem;
}

async function send<T>(
  endpoint: Endpoint,
  options: CallOptions<T>,
  stepUpDone: boolean,
): Promise<T> {
  const correlationId = newCorrelationId();
  const headers: Record<string, string> = {
    accept: options.read === undefined ? 'application/json' : '*/*',
    'x-correlation-id': correlationId,
  };
  const token = getToken();
  if (token !== null && endpoint.public !== true) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(buildUrl(endpoint.path, options.params, options.query), {
      method: endpoint.method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    if (options.signal?.aborted === true) throw error;
    throw new HttpError(endpoint, 0, {
      type: PROBLEM_NETWORK,
      title: 'The server cannot be reached',
      status: 0,
      detail: 'Check the network connection, then try again.',
      correlationId,
    });
  }

  if (!response.ok) {
    const error = new HttpError(
      endpoint,
      response.status,
      await problemOf(response, correlationId),
    );
    if (response.status === 401 && endpoint.public !== true) hooks.unauthorized?.(error);
    const action = error.requiredAction;
    if (response.status === 403 && action !== undefined) {
      if (action === 'verify_mfa' && hooks.stepUp !== undefined && !stepUpDone) {
        await hooks.stepUp(error).catch(() => {
          throw error;
        });
        return send(endpoint, options, true);
      }
      if (action === 'enrol_mfa' || action === 'change_password')
        hooks.requiredAction?.(action, error);
    }
    throw error;
  }

  if (options.read !== undefined) {
    try {
      return await options.read(response);
    } catch (error) {
      if (options.signal?.aborted === true) throw error;
      throw new HttpError(endpoint, 0, {
        type: PROBLEM_NETWORK,
        title: 'The download was interrupted',
        status: 0,
        detail: 'Check the network connection, then try again.',
        correlationId: response.headers.get('x-correlation-id') ?? correlationId,
      });
    }
  }
  if (options.schema === undefined || response.status === 204) return undefined as T;
  const responseId = response.headers.get('x-correlation-id') ?? correlationId;
  try {
    return options.schema.parse(await response.json());
  } catch (error) {
    // Always validated: a response that breaks its contract fails here, named, rather than somewhere
    // in a screen as `undefined is not a function`.
    throw new HttpError(endpoint, response.status, {
      type: PROBLEM_INVALID_RESPONSE,
      title: 'The server’s answer was not understood',
      status: response.status,
      detail: `${endpoint.method} ${endpoint.path}: ${error instanceof Error ? error.message : String(error)}`,
      correlationId: responseId,
    });
  }
}

/** Calls one operation of the API. */
export function call<T = void>(name: EndpointName, options: CallOptions<T> = {}): Promise<T> {
  return send(endpoints[name], options, false);
}
