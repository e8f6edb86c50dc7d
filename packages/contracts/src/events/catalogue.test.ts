import { describe, expect, it } from 'vitest';
import { EventEnvelopeSchema } from './envelope.ts';
import { isKnownEventType, parseKnownPayload } from './catalogue.ts';

/** The main spec's sample events, verbatim but for concrete uuids in place of "uuid". */
const prdUserCreated = {
  event_id: '6f1c2b4e-8a4b-4d6e-9a0f-1b2c3d4e5f60',
  event_type: 'user.created',
  timestamp: '2024-01-15T10:30:00Z',
  version: '1.0',
  data: {
    user: {
      id: '0b9a6c1e-2f3d-4e5f-8a7b-9c0d1e2f3a4b',
      email: 'user@example.com',
      role: 'Customer',
      state: 'Active',
      created_at: '2024-01-15T10:30:00Z',
    },
  },
  metadata: {
    source_service: 'user-service',
    correlation_id: '5e4d3c2b-1a09-4f8e-b7d6-c5b4a3928170',
  },
};

describe('event contracts', () => {
  it('accept the main spec sample envelope, keeping extra fields', () => {
    const envelope = EventEnvelopeSchema.parse({ ...prdUserCreated, partition_key: 'x' });
    expect(envelope).toMatchObject({ partition_key: 'x' });
    if (!isKnownEventType(envelope.event_type)) throw new Error('unknown');
    const check = parseKnownPayload({ ...envelope, event_type: envelope.event_type });
    expect(check.ok).toBe(true);
  });

  it('reject an envelope without event_id or with a malformed event_type', () => {
    const { event_id: _, ...noId } = prdUserCreated;
    expect(EventEnvelopeSchema.safeParse(noId).success).toBe(false);
    expect(
      EventEnvelopeSchema.safeParse({ ...prdUserCreated, event_type: 'UserCreated' }).success,
    ).toBe(false);
  });

  it('refuse an unsupported major version and name the invalid payload fields', () => {
    const v2 = parseKnownPayload({ ...prdUserCreated, event_type: 'user.created', version: '2.0' });
    expect(v2).toMatchObject({ ok: false, reason: 'unsupported_version' });
    const bad = parseKnownPayload({
      ...prdUserCreated,
      event_type: 'user.created',
      data: { user: { ...prdUserCreated.data.user, role: 'Superuser' } },
    });
    expect(bad).toMatchObject({ ok: false, reason: 'invalid_payload' });
    expect(bad.ok === false && bad.message).toContain('data.user.role');
  });
});
