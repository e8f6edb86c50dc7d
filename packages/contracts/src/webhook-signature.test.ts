import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  computeSignature,
  signWebhook,
  verifyWebhook,
} from './webhook-signature.ts';

const body = Buffer.from('{"events":[]}');
const now = new Date('2026-11-20T12:00:00Z');

function verify(
  headers: Record<string, string>,
  overrides: Partial<Parameters<typeof verifyWebhook>[0]> = {},
) {
  return verifyWebhook({
    secrets: ['current-secret'],
    signatureHeader: headers[SIGNATURE_HEADER],
    timestampHeader: headers[TIMESTAMP_HEADER],
    body,
    now,
    ...overrides,
  });
}

describe('webhook signatures', () => {
  it('accepts what signWebhook produced with the same secret', () => {
    expect(verify(signWebhook('current-secret', body, now))).toEqual({ ok: true });
  });

  it('is HMAC-SHA256 of "<timestamp>.<body>" in lowercase hex (the documented format)', () => {
    // Known answer, computed independently: printf '1700000000.abc' | openssl dgst -sha256 -hmac k
    expect(computeSignature('k', 'abc', 1700000000)).toBe(
      'sha256=c376a9c40b165c5a84ca858dcf9aa41434accca94f6b7866a5e64fdf4d1b53e4',
    );
    expect(computeSignature('k', 'abc')).toBe(
      'sha256=' + createHmac('sha256', 'k').update('abc').digest('hex'),
    );
  });

  it('accepts any configured secret (rotation) and any of several signatures', () => {
    const headers = signWebhook('old-secret', body, now);
    expect(verify(headers, { secrets: ['current-secret', 'old-secret'] })).toEqual({ ok: true });
    const both = `${computeSignature('nope', body, Number(headers[TIMESTAMP_HEADER]))}, ${headers[SIGNATURE_HEADER]}`;
    expect(verify({ ...headers, [SIGNATURE_HEADER]: both }, { secrets: ['old-secret'] })).toEqual({
      ok: true,
    });
  });

  it('rejects a wrong secret, a changed body and a changed timestamp', () => {
    const headers = signWebhook('current-secret', body, now);
    expect(verify(headers, { secrets: ['other'] })).toMatchObject({
      ok: false,
      reason: 'mismatch',
    });
    expect(verify(headers, { body: Buffer.from('{"events":[1]}') })).toMatchObject({
      reason: 'mismatch',
    });
    const shifted = {
      ...headers,
      [TIMESTAMP_HEADER]: String(Number(headers[TIMESTAMP_HEADER]) - 1),
    };
    expect(verify(shifted)).toMatchObject({ reason: 'mismatch' });
  });

  it('rejects a request signed more than 5 minutes ago or ahead', () => {
    const old = signWebhook('current-secret', body, new Date(now.getTime() - 301_000));
    expect(verify(old)).toMatchObject({ ok: false, reason: 'stale' });
    const future = signWebhook('current-secret', body, new Date(now.getTime() + 301_000));
    expect(verify(future)).toMatchObject({ ok: false, reason: 'stale' });
    const recent = signWebhook('current-secret', body, new Date(now.getTime() - 299_000));
    expect(verify(recent)).toEqual({ ok: true });
  });

  it('requires both headers unless a missing timestamp is explicitly allowed', () => {
    expect(verify({})).toMatchObject({ reason: 'missing_signature' });
    const bodyOnly = { [SIGNATURE_HEADER]: computeSignature('current-secret', body) };
    expect(verify(bodyOnly)).toMatchObject({ reason: 'missing_timestamp' });
    expect(verify(bodyOnly, { allowMissingTimestamp: true })).toEqual({ ok: true });
    expect(verify({ ...bodyOnly, [TIMESTAMP_HEADER]: 'yesterday' })).toMatchObject({
      reason: 'bad_timestamp',
    });
  });
});
