import {
  CHANNEL_DATA,
  CHANNELS,
  PERSONAL_DATA_PERMISSION,
  ClientMessageSchema,
  type ActivityItem,
  type Channel,
  type ServerMessage,
} from '@backoffice/contracts';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { SESSIONS_CHANNEL } from '../auth/sessions.repository.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import { maskPii } from '../auth/pii-masking.ts';
import { can, type Principal } from '../auth/principal.ts';
import type { Notifications } from '../db/notifications.ts';
import { recentActivity, type ActivityFeed } from './activity.ts';
import { CHANGES_CHANNEL, type ChangeMessage } from './changes.ts';
import type { Database } from '../db/database.ts';

interface Client {
  socket: WebSocket;
  principal: Principal;
  channels: Set<Channel>;
  alive: boolean;
}

/** What a feature gives the hub for one of its channels. */
export interface ChannelSource {
  /** The channel's state, sent on subscribe (an activity feed's default: its latest items). */
  readonly snapshot?: () => Promise<unknown>;
  /** Sends a fresh snapshot as an update after each committed batch (at most two a second). */
  readonly refreshOnChange?: boolean;
  /** Updates that do not come from events (health checks): the hub calls this once, at start. */
  readonly subscribe?: (publish: (data: unknown) => void) => void;
  /** Completes activity items before they are sent, once per message (whose id an item names). */
  readonly enrich?: (items: ActivityItem[]) => Promise<ActivityItem[]>;
  /**
   * What one person may see of a message. Default: personal data, as the channel's schema marks it,
   * masked without the personal-data permission.
   */
  readonly visibleTo?: (principal: Principal, data: unknown) => unknown;
}

export interface HubOptions {
  channels: Partial<Record<Channel, ChannelSource>>;
  feeds: readonly ActivityFeed[];
}

const HEARTBEAT_MS = 30_000;
const REVALIDATE_MS = 60_000;
/** Snapshot refreshes after a change are coalesced: at most one per this many milliseconds. */
const REFRESH_MS = 500;

export const CLOSE_SESSION_ENDED = 4401;

/**
 * The live side of the API. Each instance keeps its sockets; changes reach every instance through
 * PostgreSQL LISTEN/NOTIFY (a committed batch's changes; revoked sessions), so a client connected to any
 * instance sees what any instance ingested. A client subscribes to channels its permissions allow and
 * gets a snapshot at once, then updates: dashboard metrics coalesced to two a second, activity items as
 * they come (personal data masked without the personal-data permission), health after each check.
 */
export class RealtimeHub {
  private readonly clients = new Set<Client>();
  private timers: NodeJS.Timeout[] = [];
  private refreshTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly notifications: Notifications,
    private readonly authenticator: Authenticator,
    private readonly options: HubOptions,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  start(): void {
    this.listen();
    for (const [channel, source] of this.sources())
      source.subscribe?.((data) => this.broadcast(channel, 'update', () => data));
    this.timers = [
      setInterval(() => this.heartbeat(), HEARTBEAT_MS).unref(),
      setInterval(() => void this.revalidate(), REVALIDATE_MS).unref(),
    ];
  }

  stop(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    clearTimeout(this.refreshTimer);
    for (const client of this.clients) client.socket.close(1001, 'server shutting down');
    this.clients.clear();
    return Promise.resolve();
  }

  attach(socket: WebSocket, principal: Principal): void {
    const client: Client = { socket, principal, channels: new Set(), alive: true };
    this.clients.add(client);
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', () => this.clients.delete(client));
    socket.on('message', (raw: Buffer) => void this.receive(client, raw));
  }

  private sources(): [Channel, ChannelSource][] {
    return Object.entries(this.options.channels) as [Channel, ChannelSource][];
  }

  private async receive(client: Client, raw: Buffer): Promise<void> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.toString('utf8'));
    } catch {
      return this.send(client, {
        type: 'error',
        data: { message: 'messages are JSON' },
        at: now(),
      });
    }
    const message = ClientMessageSchema.safeParse(parsed);
    if (!message.success) {
      return this.send(client, {
        type: 'error',
        data: {
          message: 'expected {type: "subscribe"|"unsubscribe", channels: [...]} or {type: "ping"}',
        },
        at: now(),
      });
    }
    if (message.data.type === 'ping') return this.send(client, { type: 'pong', at: now() });
    for (const name of message.data.channels) {
      if (!Object.hasOwn(CHANNELS, name) || !this.serves(name as Channel)) {
        this.send(client, { type: 'error', data: { message: `no channel ${name}` }, at: now() });
        continue;
      }
      const channel = name as Channel;
      if (message.data.type === 'unsubscribe') {
        client.channels.delete(channel);
        this.send(client, { type: 'unsubscribed', channel, at: now() });
        continue;
      }
      if (!can(client.principal, CHANNELS[channel])) {
        this.send(client, {
          type: 'error',
          channel,
          data: { message: `${channel} needs the permission ${CHANNELS[channel]}` },
          at: now(),
        });
        continue;
      }
      client.channels.add(channel);
      this.send(client, { type: 'subscribed', channel, at: now() });
      try {
        this.send(client, {
          type: 'snapshot',
          channel,
          data: this.forClient(client, channel, await this.snapshot(channel)),
          at: now(),
        });
      } catch (error) {
        this.logger.warn({ err: error, channel }, 'snapshot failed');
      }
    }
  }

  /** A channel some running feature feeds. */
  private serves(channel: Channel): boolean {
    return (
      this.options.channels[channel] !== undefined ||
      this.options.feeds.some((feed) => feed.channel === channel)
    );
  }

  private async snapshot(channel: Channel): Promise<unknown> {
    const source = this.options.channels[channel];
    if (source?.snapshot !== undefined) return source.snapshot();
    const feed = this.options.feeds.find((f) => f.channel === channel);
    return feed === undefined ? [] : this.enrich(channel, await recentActivity(this.db, feed));
  }

  private enrich(channel: Channel, items: ActivityItem[]): Promise<ActivityItem[]> {
    const enrich = this.options.channels[channel]?.enrich;
    return enrich === undefined ? Promise.resolve(items) : enrich(items);
  }

  private forClient(client: Client, channel: Channel, data: unknown): unknown {
    const visibleTo = this.options.channels[channel]?.visibleTo;
    if (visibleTo !== undefined) return visibleTo(client.principal, data);
    return can(client.principal, PERSONAL_DATA_PERMISSION)
      ? data
      : maskPii(CHANNEL_DATA[channel], data);
  }

  private onChange(change: ChangeMessage): void {
    for (const [channel, items] of Object.entries(change.activity) as [Channel, ActivityItem[]][])
      this.broadcastActivity(channel, items);
    this.refreshTimer ??= setTimeout(() => {
      this.refreshTimer = undefined;
      for (const [channel, source] of this.sources()) {
        if (source.refreshOnChange !== true || source.snapshot === undefined) continue;
        if (![...this.clients].some((c) => c.channels.has(channel))) continue;
        source
          .snapshot()
          .then((data) => this.broadcast(channel, 'update', () => data))
          .catch((error: unknown) => this.logger.warn({ err: error, channel }, 'update failed'));
      }
    }, REFRESH_MS);
  }

  private broadcastActivity(channel: Channel, items: ActivityItem[]): void {
    if (items.length === 0 || ![...this.clients].some((c) => c.channels.has(channel))) return;
    this.enrich(channel, items)
      .then((enriched) => this.broadcast(channel, 'event', () => enriched))
      .catch((error: unknown) => this.logger.warn({ err: error, channel }, 'activity failed'));
  }

  private broadcast(channel: Channel, type: ServerMessage['type'], data: () => unknown): void {
    let value: unknown;
    for (const client of this.clients) {
      if (!client.channels.has(channel)) continue;
      value ??= data();
      this.send(client, { type, channel, data: this.forClient(client, channel, value), at: now() });
    }
  }

  private send(client: Client, message: ServerMessage): void {
    if (client.socket.readyState === client.socket.OPEN)
      client.socket.send(JSON.stringify(message));
  }

  private closeSession(sessionId: string, reason: string): void {
    for (const client of this.clients) {
      if (client.principal.sessionId === sessionId) {
        client.socket.close(CLOSE_SESSION_ENDED, reason);
        this.clients.delete(client);
      }
    }
  }

  /** A socket that did not answer the previous ping is gone. */
  private heartbeat(): void {
    for (const client of this.clients) {
      if (!client.alive) {
        client.socket.terminate();
        this.clients.delete(client);
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }

  /**
   * Sessions end silently too (expiry, idle timeout), and permissions change: check each socket's
   * session now and then, and drop the channels its holder may no longer see.
   */
  async revalidate(): Promise<void> {
    const sessions = new Set([...this.clients].map((c) => c.principal.sessionId));
    for (const sessionId of sessions) {
      let principal: Principal;
      try {
        principal = await this.authenticator.authenticateSession(sessionId);
      } catch {
        this.closeSession(sessionId, 'session ended');
        continue;
      }
      for (const client of this.clients) {
        if (client.principal.sessionId !== sessionId) continue;
        client.principal = principal;
        for (const channel of client.channels) {
          if (can(principal, CHANNELS[channel])) continue;
          client.channels.delete(channel);
          this.send(client, {
            type: 'unsubscribed',
            channel,
            data: { message: `your permissions changed: ${channel} needs ${CHANNELS[channel]}` },
            at: now(),
          });
        }
      }
    }
  }

  /** Other instances' commits and revocations (and ours), through the shared LISTEN connection. */
  private listen(): void {
    this.notifications.on(SESSIONS_CHANNEL, (sessionId) => {
      if (!this.closed) this.closeSession(sessionId, 'session revoked');
    });
    this.notifications.on(CHANGES_CHANNEL, (payload) => {
      if (this.closed) return;
      try {
        this.onChange(JSON.parse(payload) as ChangeMessage);
      } catch (error) {
        this.logger.warn({ err: error }, 'unreadable change notification');
      }
    });
  }
}

const now = () => new Date().toISOString();
