import type pg from 'pg';
import type { Logger } from 'pino';

type Handler = (payload: string) => void;

/**
 * PostgreSQL LISTEN on one connection of the pool, shared by whatever needs to hear other instances'
 * commits (the realtime hub, the principal cache, the job runner). Handlers register by channel. While
 * the connection is down, `listening` is false and nothing arrives: a cache must not trust itself then,
 * and `onReconnect` handlers run once it is back (what was sent in between is lost, so they start over).
 */
export class Notifications {
  private readonly handlers = new Map<string, Set<Handler>>();
  private readonly reconnectHandlers = new Set<() => void>();
  private client: pg.PoolClient | undefined;
  private started = false;
  private closed = false;
  private everConnected = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
  ) {}

  /** True while notifications can arrive. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  on(channel: string, handler: Handler): void {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
    let set = this.handlers.get(channel);
    if (set === undefined) {
      set = new Set();
      this.handlers.set(channel, set);
      this.client?.query(`LISTEN ${channel}`).catch((error: unknown) => {
        this.logger.warn({ err: error, channel }, 'LISTEN failed');
      });
    }
    set.add(handler);
  }

  /** Runs after the connection was lost and is back: notifications in between are lost. */
  onReconnect(handler: () => void): void {
    this.reconnectHandlers.add(handler);
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      await client.query('UNLISTEN *').catch(() => undefined);
      client.release();
    }
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      if (this.closed) return client.release();
      const connected = client;
      connected.on('notification', (message) => {
        if (message.payload === undefined) return;
        for (const handler of this.handlers.get(message.channel) ?? []) {
          try {
            handler(message.payload);
          } catch (error) {
            this.logger.warn(
              { err: error, channel: message.channel },
              'notification handler failed',
            );
          }
        }
      });
      // A lost connection errs more than once (the server's termination, then the socket's reset): the
      // listener stays, so the later ones are not unhandled, and the client is released once. Only the
      // connection in use is ours to release: one that `stop()` gave back to the pool (or that failed
      // while connecting, released below) may still err, and releasing it again would throw.
      let lost = false;
      connected.on('error', (error) => {
        if (lost || this.client !== connected) return;
        lost = true;
        this.logger.warn({ err: error }, 'notification listener lost its connection; reconnecting');
        this.client = undefined;
        connected.release(error);
        setTimeout(() => void this.connect(), 1_000).unref();
      });
      for (const channel of this.handlers.keys()) await connected.query(`LISTEN ${channel}`);
      this.client = connected;
      if (this.everConnected) for (const handler of this.reconnectHandlers) handler();
      this.everConnected = true;
    } catch (error) {
      client?.release(error instanceof Error ? error : undefined);
      this.logger.warn({ err: error }, 'notification listener cannot connect; retrying');
      setTimeout(() => void this.connect(), 2_000).unref();
    }
  }
}
