import { describe, expect, it } from 'vitest';
import { decodeMessage } from './decode.ts';

describe('decodeMessage', () => {
  it('says why a text is not JSON without quoting it: it may be personal data', () => {
    for (const text of ['alice@example.com', '{"name": Alice Smith}', '[1,2']) {
      const decoded = decodeMessage({ body: Buffer.from(text), position: { source: 'nats' } }, 0);
      expect(decoded).toMatchObject({ kind: 'rejected', reason: 'not_json', raw: text });
      const detail = (decoded as { detail: string }).detail;
      expect(detail).toMatch(/^not JSON( \(at position \d+\))?$/);
    }
  });
});
