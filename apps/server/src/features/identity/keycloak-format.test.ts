import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../platform/events/decode.ts';
import { keycloakFormat } from './keycloak-format.ts';

const login = {
  time: 1_767_261_600_000,
  type: 'LOGIN',
  realmId: 'virtual-pet',
  clientId: 'pet-app',
  userId: '0b9a6c1e-2f3d-4e5f-8a7b-9c0d1e2f3a4b',
  sessionId: 'session-1',
  ipAddress: '203.0.113.24',
  details: { username: 'anna' },
};

/** As a broker delivers a message (NATS, Kafka): bytes. */
const bytes = (value: unknown) => ({
  body: Buffer.from(JSON.stringify(value)),
  position: { source: 'nats' as const, topic: 'identity.events' },
});

describe('the Keycloak format, as every source applies it', () => {
  it('maps a Keycloak user event delivered as bytes to a known event, dated by its time', () => {
    const decoded = decodeMessage(bytes(login), 0, [keycloakFormat]);
    expect(decoded).toMatchObject({
      kind: 'known',
      event: {
        event_type: 'keycloak.event',
        timestamp: '2026-01-01T10:00:00.000Z',
        version: '1.0',
        data: login,
        metadata: { source_service: 'keycloak', correlation_id: 'session-1', realm: 'virtual-pet' },
      },
    });
  });

  it('derives the same id from the same message, another from another, and keeps Keycloak’s own id', () => {
    const idOf = (message: unknown) => {
      const decoded = decodeMessage(bytes(message), 0, [keycloakFormat]);
      return decoded.kind === 'known' ? decoded.event.event_id : decoded.kind;
    };
    expect(idOf(login)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-/);
    expect(idOf(login)).toBe(idOf({ ...login }));
    expect(idOf({ ...login, time: login.time + 1 })).not.toBe(idOf(login));
    const id = 'C4A0B9D2-7E1F-4C3A-9B8D-2F6E5A4C3B21';
    expect(idOf({ ...login, id })).toBe(id.toLowerCase());
  });

  it('maps an admin event, and refuses a Keycloak message without a usable time, naming it', () => {
    const admin = decodeMessage(
      bytes({ time: login.time, realmId: 'r', operationType: 'DELETE', resourcePath: 'users/x' }),
      0,
      [keycloakFormat],
    );
    expect(admin).toMatchObject({ kind: 'known', event: { event_type: 'keycloak.admin_event' } });
    for (const time of [undefined, 'yesterday', 1e20]) {
      const decoded = decodeMessage(bytes({ ...login, time }), 0, [keycloakFormat]);
      expect(decoded).toMatchObject({ kind: 'rejected', reason: 'invalid_envelope' });
      expect(decoded.kind === 'rejected' && decoded.detail).toContain('timestamp');
    }
  });

  it('leaves envelopes alone, and is not applied where no pack brings it', () => {
    const envelope = {
      event_id: '6f1c2b4e-8a4b-4d6e-9a0f-1b2c3d4e5f60',
      event_type: 'keycloak.event',
      timestamp: '2026-01-01T10:00:00Z',
      version: '1.0',
      data: { ...login, type: 'LOGOUT' },
      metadata: { source_service: 'bridge', correlation_id: 'c' },
    };
    expect(decodeMessage(bytes(envelope), 0, [keycloakFormat])).toMatchObject({
      kind: 'known',
      event: { event_id: envelope.event_id, metadata: { source_service: 'bridge' } },
    });
    expect(decodeMessage(bytes(login), 0, [])).toMatchObject({
      kind: 'rejected',
      reason: 'invalid_envelope',
    });
  });

  it('never lets unstorable text through: a lone surrogate in a Keycloak message is still refused', () => {
    const raw = JSON.stringify(login).replace('"anna"', '"an\\ud800na"');
    const decoded = decodeMessage({ body: Buffer.from(raw), position: { source: 'nats' } }, 0, [
      keycloakFormat,
    ]);
    expect(decoded).toMatchObject({ kind: 'rejected', reason: 'unstorable' });
  });
});
