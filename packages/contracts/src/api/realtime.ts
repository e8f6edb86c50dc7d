import { z } from 'zod';
import type { Permission } from '../permissions.ts';

/**
 * The WebSocket protocol of `GET /v1/admin/ws` (README "Live updates"). Open it with a ticket from
 * POST /v1/admin/realtime/ticket (`?ticket=…`), or an `Authorization: Bearer` header for non-browser
 * clients. Client → server: subscribe / unsubscribe / ping. Server → client: `{ type, channel, data, at }`.
 */
export const CHANNELS = {
  'dashboard.metrics': 'dashboard:read',
  'system.health': 'dashboard:read',
  'users.activity': 'users:read',
  'transactions.activity': 'transactions:read',
} as const satisfies Record<string, Permission>;

export type Channel = keyof typeof CHANNELS;
export const CHANNEL_NAMES = Object.keys(CHANNELS) as Channel[];

export const ClientMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), channels: z.array(z.string()).min(1).max(10) }),
  z.object({ type: z.literal('unsubscribe'), channels: z.array(z.string()).min(1).max(10) }),
  z.object({ type: z.literal('ping') }),
]);

export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export type ServerMessageType =
  'subscribed' | 'unsubscribed' | 'snapshot' | 'update' | 'event' | 'error' | 'pong';

export interface ServerMessage {
  type: ServerMessageType;
  channel?: Channel;
  data?: unknown;
  at: string;
}

/** An item of the users.activity and transactions.activity channels. */
export interface ActivityItem {
  kind: string;
  at: string;
  userId: string;
  email?: string | null;
  /** transactions.activity: amount and type. */
  amount?: string;
  transactionType?: string;
}
