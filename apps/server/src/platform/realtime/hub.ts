import {
  CHANNEL_DATA,
  CHANNELS,
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
import { servicesSeenBy, type ServiceHealth } from '../upstream/plugin.ts';
import { CHANGES_CHANNEL, type ChangeMessage } from './changes.ts';

interface Client {
  socket: WebSocket;
  principal: Principal;
  channels: Set<Channel>;
  alive: boolean;
}

export interface HubSources {
  dashboard: () => Promise<unknown>;
  health: () => Promise<unknown>;
  recentUsers: () => Promise<ActivityItem[]>;
  recentTransactions: () => Promise<ActivityItem[]>;
  /** The emails of these users, for activity whose event names only the user's id. */
  emailsOf: (userIds: string[]) => Promise<Map<string, string>>;
}

const HEARTBEAT_MS = 30_000;
const REVALIDATE_MS = 60_000;
/** Dashboard updates are coalesced: at most one per this many milliseconds. */
const DASHBOARD_MS = 500;

export const CLOSE_SESSION_ENDED = 4401;

/**
 * The live side of the API. Each instance keeps its sockets; changes reach every instance through
 * PostgreSQL LISTEN/NOTIFY (a committed batch's changes; revoked sessions), so a client connected to any
 * instance sees what any instance ingested. A client subscribes to channels its permissions allow and
 * gets a snapshot at once, then updates: dashboard metrics coalesced to two a second, activity items as
 * they come (personal data masked without users:read_pii), health after each check.
 */
export class RealtimeHub {
  private readonly clients = new Set<Client>();
  private timers: NodeJS.Timeout[] = [];
  private dashboardTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly notifications: Notifications,
    private readonly authenticator: Authenticator,
    private readonly sources: HubSources,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  start(): void {
    this.listen();
    this.timers = [
      setInterval(() => this.heartbeat(), HEARTBEAT_MS).unref(),
      setInterval(() => void this.revalidate(), REVALIDATE_MS).unref(),
    ];
  }

  stop(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    clearTimeout(this.dashboardTimer);
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

  /** The upstream health checker's results, to system.health subscribers. */
  publishHealth(health: unknown): void {
    this.broadcast('system.health', 'update', () => health);
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
      if (!Object.hasOwn(CHANNELS, name)) {
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

  private snapshot(channel: Channel): Promise<unknown> {
    switch (channel) {
      case 'dashboard.metrics':
        return this.sources.dashboard();
      case 'system.health':
        return this.sources.health();
      case 'users.activity':
        return this.sources.recentUsers().then((items) => this.withEmails(items));
      case 'transactions.activity':
        return this.sources.recentTransactions().then((items) => this.withEmails(items));
    }
  }

  /**
   * Who an activity item is about, by email: a block, a sign-in or a transaction event names only the
   * user's id ("User 04f5a2fd" told staff nothing).
   */
  private async withEmails(items: ActivityItem[]): Promise<ActivityItem[]> {
    const missing = [...new Set(items.filter((i) => i.email == null).map((i) => i.userId))];
    if (missing.length === 0) return items;
    const emails = await this.sources.emailsOf(missing);
    return items.map((item) =>
      item.email == null ? { ...item, email: emails.get(item.userId) ?? null } : item,
    );
  }

  /**
   * Personal data in a channel's messages, as its schema marks it, is masked without users:read_pii.
   * Health (a snapshot is the whole document, an update the services' checks) carries the services'
   * URLs: see servicesSeenBy.
   */
  private forClient(client: Client, channel: Channel, data: unknown): unknown {
    if (channel === 'system.health') {
      if (Array.isArray(data)) return servicesSeenBy(client.principal, data as ServiceHealth[]);
      const health = data as { services: ServiceHealth[] };
      return { ...health, services: servicesSeenBy(client.principal, health.services) };
    }
    return can(client.principal, 'users:read_pii') ? data : maskPii(CHANNEL_DATA[channel], data);
  }

  private onChange(change: ChangeMessage): void {
    this.broadcastActivity('users.activity', change.users);
    this.broadcastActivity('transactions.activity', change.transactions);
    this.dashboardTimer ??= setTimeout(() => {
      this.dashboardTimer = undefined;
      if (![...this.clients].some((c) => c.channels.has('dashboard.metrics'))) return;
      this.sources
        .dashboard()
        .then((metrics) => this.broadcast('dashboard.metrics', 'update', () => metrics))
        .catch((error: unknown) => this.logger.warn({ err: error }, 'dashboard update failed'));
    }, DASHBOARD_MS);
  }

  private broadcastActivity(channel: Channel, items: ActivityItem[]): void {
    if (items.length === 0 || ![...this.clients].some((c) => c.channels.has(channel))) return;
    this.withEmails(items)
      .then((named) => this.broadcast(channel, 'event', () => named))
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
