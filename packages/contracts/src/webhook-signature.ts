import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed webhooks (ingest endpoint `POST /v1/ingest/events`), shared by senders and the receiver.
 *
 *   X-Backoffice-Timestamp: <unix seconds>
 *   X-Backoffice-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *
 * The timestamp is inside the signed text, so a captured request cannot be replayed later than the
 * receiver's tolerance (5 minutes). Without a timestamp header (only when the receiver allows it) the
 * signed text is the raw body alone. Several signatures may be sent comma-separated (a sender rotating
 * its secret); the receiver accepts the request if any matches any of its secrets.
 */
export const SIGNATURE_HEADER = 'x-backoffice-signature';
export const TIMESTAMP_HEADER = 'x-backoffice-timestamp';
export const DEFAULT_TOLERANCE_SECONDS = 300;

function signedText(body: Buffer | string, timestamp: number | undefined): Buffer {
  const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return timestamp === undefined ? raw : Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), raw]);
}

export function computeSignature(
  secret: string,
  body: Buffer | string,
  timestamp?: number,
): string {
  return `sha256=${createHmac('sha256', secret).update(signedText(body, timestamp)).digest('hex')}`;
}

/** The headers a sender adds to a request whose raw body is `body`. */
export function signWebhook(
  secret: string,
  body: Buffer | string,
  now: Date = new Date(),
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    [TIMESTAMP_HEADER]: String(timestamp),
    [SIGNATURE_HEADER]: computeSignature(secret, body, timestamp),
  };
}

export type SignatureCheck =
  | { ok: true }
  | {
      ok: false;
      reason: 'missing_signature' | 'missing_timestamp' | 'bad_timestamp' | 'stale' | 'mismatch';
      message: string;
    };

export interface VerifyOptions {
  secrets: readonly string[];
  signatureHeader: string | undefined;
  timestampHeader: string | undefined;
  body: Buffer;
  now?: Date;
  toleranceSeconds?: number;
  /** Accept requests without a timestamp header (the signature then covers the body only). */
  allowMissingTimestamp?: boolean;
}

export function verifyWebhook(options: VerifyOptions): SignatureCheck {
  const { secrets, signatureHeader, timestampHeader, body } = options;
  if (signatureHeader === undefined || signatureHeader.trim() === '') {
    return {
      ok: false,
      reason: 'missing_signature',
      message: `the ${SIGNATURE_HEADER} header is missing`,
    };
  }
  let timestamp: number | undefined;
  if (timestampHeader === undefined || timestampHeader === '') {
    if (options.allowMissingTimestamp !== true) {
      return {
        ok: false,
        reason: 'missing_timestamp',
        message: `the ${TIMESTAMP_HEADER} header is missing`,
      };
    }
  } else {
    if (!/^\d{1,12}$/.test(timestampHeader)) {
      return {
        ok: false,
        reason: 'bad_timestamp',
        message: `${TIMESTAMP_HEADER} must be unix seconds`,
      };
    }
    timestamp = Number(timestampHeader);
    const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
    const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
    if (Math.abs(nowSeconds - timestamp) > tolerance) {
      return {
        ok: false,
        reason: 'stale',
        message: `the request was signed ${nowSeconds - timestamp} s ago; at most ${tolerance} s is accepted`,
      };
    }
  }
  const given = signatureHeader
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.startsWith('sha256='))
    .map((s) => Buffer.from(s, 'utf8'));
  for (const secret of secrets) {
    const expected = Buffer.from(computeSignature(secret, body, timestamp), 'utf8');
    if (given.some((g) => g.length === expected.length && timingSafeEqual(g, expected)))
      return { ok: true };
  }
  return { ok: false, reason: 'mismatch', message: 'the signature does not match' };
}
