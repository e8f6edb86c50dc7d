import { z } from 'zod';
import type { Permission } from '../permissions.ts';
import { pii } from '../pii.ts';
import { DashboardHealthSchema, DashboardMetricsSchema } from './dashboard.ts';

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
export const ActivityItemSchema = z.object({
  kind: z.string(),
  at: z.string(),
  userId: z.string(),
  email: pii(z.string(), 'email').nullish(),
  /** transactions.activity: amount and type. */
  amount: z.string().optional(),
  transactionType: z.string().optional(),
});

export type ActivityItem = z.infer<typeof ActivityItemSchema>;

/** What each channel's snapshots and updates carry: personal data is masked by these schemas. */
export const CHANNEL_DATA = {
  'dashboard.metrics': DashboardMetricsSchema,
  'system.health': DashboardHealthSchema,
  'users.activity': z.array(ActivityItemSchema),
  'transactions.activity': z.array(ActivityItemSchema),
} as const satisfies Record<Channel, z.ZodType>;
