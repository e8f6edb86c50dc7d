import type { Channel, ServerMessage } from '@backoffice/contracts';

/** The socket's close code for a session that was revoked or expired (the server's 401). */
export const CLOSE_SESSION_ENDED = 4401;

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'ended';

export interface Backoff {
  /** The first retry waits about this long… */
  baseMs: number;
  /** …each next one twice as long, up to this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 1_000, maxMs: 30_000 };

/** How often the client asks "still there?"; a socket that missed the previous answer is replaced. */
export const PING_MS = 25_000;

/**
 * Exponential back-off with "equal jitter": attempt n waits between half and all of
 * min(max, base·2ⁿ), so many clients dropped at once do not come back at once, and none retries at 0.
 */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The socket's address for a ticket, on this page's origin (wss: under https:). */
export function socketUrl(ticket: string, location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/v1/admin/ws?ticket=${encodeURIComponent(ticket)}`;
}

/** The part of the browser's WebSocket this uses (a fake one in tests). */
export interface SocketLike {
  readyState: number;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  send: (data: string) => void;
  close: (code?: number, reason?: string) => void;
}

export interface LiveConnectionOptions {
  channels: readonly Channel[];
  /** A single-use ticket for the next attempt (POST /v1/admin/realtime/ticket). */
  ticket: () => Promise<string>;
  onMessage: (message: ServerMessage) => void;
  /** The state, and while reconnecting how long until the next attempt. */
  onState: (state: LiveState, retryInMs?: number) => void;
  /** Closed with 4401, or no ticket for want of a session: the session is over. */
  onSessionEnded: () => void;
  /** May this failure to get a ticket be retried? (A 401 cannot: the session is over.) */
  isFatal?: (error: unknown) => boolean;
  backoff?: Backoff;
  random?: () => number;
  openSocket?: (url: string) => SocketLike;
  location?: Pick<Location, 'protocol' | 'host'>;
}

function isServerMessage(value: unknown): value is ServerMessage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string'
  );
}

/**
 * One live connection: gets a ticket, opens the socket, subscribes to the channels (the server answers
 * each with a snapshot), and on any loss reconnects with back-off — a new ticket and a new subscription
 * each time, hence a fresh snapshot. Close code 4401 ends it for good: the session is over.
 */
export class LiveConnection {
  private socket: SocketLike | undefined;
  private attempt = 0;
  private stopped = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private answered = true;

  constructor(private readonly options: LiveConnectionOptions) {}

  start(): void {
    this.stopped = false;
    this.options.onState('connecting');
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    const socket = this.socket;
    this.socket = undefined;
    if (socket !== undefined) {
      socket.onclose = null;
      socket.onmessage = null;
      socket.close(1000, 'done');
    }
  }

  private async connect(): Promise<void> {
    let ticket: string;
    try {
      ticket = await this.options.ticket();
    } catch (error) {
      if (this.stopped) return;
      if (this.options.isFatal?.(error) === true) return this.end();
      return this.retry();
    }
    if (this.stopped) return;
    const open = this.options.openSocket ?? ((url: string) => new WebSocket(url));
    let socket: SocketLike;
    try {
      socket = open(socketUrl(ticket, this.options.location ?? window.location));
    } catch {
      return this.retry();
    }
    this.socket = socket;
    socket.onopen = () => {
      socket.send(JSON.stringify({ type: 'subscribe', channels: this.options.channels }));
      this.answered = true;
      clearInterval(this.pingTimer);
      this.pingTimer = setInterval(() => this.ping(socket), PING_MS);
      this.options.onState('live');
    };
    socket.onmessage = (event) => {
      // Anything from the server shows the connection works: the next loss starts the back-off anew.
      this.attempt = 0;
      this.answered = true;
      let message: unknown;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if (isServerMessage(message)) this.options.onMessage(message);
    };
    socket.onerror = () => undefined;
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      clearInterval(this.pingTimer);
      if (this.stopped) return;
      if (event.code === CLOSE_SESSION_ENDED) return this.end();
      this.retry();
    };
  }

  /** A socket that did not answer the last ping is dead even if the browser has not noticed. */
  private ping(socket: SocketLike): void {
    if (!this.answered) {
      socket.close(4000, 'no answer to ping');
      // Closing a half-open socket may never fire `close`: do not wait for it.
      socket.onclose?.(new CloseEvent('close', { code: 4000 }));
      return;
    }
    this.answered = false;
    socket.send(JSON.stringify({ type: 'ping' }));
  }

  private retry(): void {
    const delay = backoffDelay(
      this.attempt,
      this.options.backoff ?? DEFAULT_BACKOFF,
      this.options.random ?? Math.random,
    );
    this.attempt += 1;
    this.options.onState('reconnecting', delay);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private end(): void {
    this.stopped = true;
    this.options.onState('ended');
    this.options.onSessionEnded();
  }
}
