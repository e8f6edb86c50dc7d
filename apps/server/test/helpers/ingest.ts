import { signWebhook } from '@backoffice/contracts/webhook-signature';
import type { FastifyInstance } from 'fastify';

/** Posts events to the signed webhook as a platform service would; fails unless they are accepted. */
export async function ingest(
  app: FastifyInstance,
  secret: string,
  batch: readonly unknown[],
): Promise<{ accepted: number; duplicates: number; rejected: unknown[] }> {
  const raw = JSON.stringify(batch);
  const response = await app.inject({
    method: 'POST',
    url: '/v1/ingest/events',
    headers: { 'content-type': 'application/json', ...signWebhook(secret, raw) },
    payload: raw,
  });
  if (response.statusCode !== 202)
    throw new Error(`ingestion failed: ${response.statusCode} ${response.body}`);
  return response.json();
}
