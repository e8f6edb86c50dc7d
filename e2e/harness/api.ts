import { signWebhook } from '@backoffice/contracts/webhook-signature';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './server.ts';

/** Setting up a scenario through the API (faster than through the UI, which other tests cover). */
export async function apiSignIn(
  url: string,
  email = ADMIN_EMAIL,
  password = ADMIN_PASSWORD,
): Promise<string> {
  const response = await fetch(`${url}/v1/admin/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

export async function api<T>(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** POST /v1/ingest/events, signed with the webhook secret the server was started with. */
export async function ingest(url: string, secret: string, events: unknown[]) {
  const body = JSON.stringify({ events });
  const response = await fetch(`${url}/v1/ingest/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signWebhook(secret, body) },
    body,
  });
  if (!response.ok) throw new Error(`ingest: ${response.status} ${await response.text()}`);
  return (await response.json()) as { accepted: number; duplicates: number; rejected: unknown[] };
}
