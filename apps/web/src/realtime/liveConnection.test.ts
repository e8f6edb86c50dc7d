import type { ServerMessage } from '@backoffice/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CLOSE_SESSION_ENDED,
  LiveConnection,
  PING_MS,
  backoffDelay,
  socketUrl,
  type LiveConnectionOptions,
  type LiveState,
  type SocketLike,
} from './liveConnection.ts';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: unknown[] = [];
  closedWith: number | undefined;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data));
  }
  close(code = 1000) {
    this.closedWith = code;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  receive(message: unknown) {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(message) }));
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close', { code }));
  }
}

function setup(overrides: Partial<LiveConnectionOptions> = {}) {
  const sockets: FakeSocket[] = [];
  const states: [LiveState, number | undefined][] = [];
  const messages: ServerMessage[] = [];
  let tickets = 0;
  const options: LiveConnectionOptions = {
    channels: ['dashboard.metrics', 'users.activity'],
    ticket: () => Promise.resolve(`ticket-${++tickets}`),
    onMessage: (m) => messages.push(m),
    onState: (state, retryInMs) => states.push([state, retryInMs]),
    onSessionEnded: vi.fn(),
    random: () => 0.5,
    location: { protocol: 'http:', host: 'backoffice.test:8084' },
    openSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    ...overrides,
  };
  const connection = new LiveConnection(options);
  return { connection, sockets, states, messages, options };
}

describe('backoffDelay', () => {
  const backoff = { baseMs: 1_000, maxMs: 30_000 };
  it('doubles per attempt, between half and all of the ceiling, up to the maximum', () => {
    expect(backoffDelay(0, backoff, () => 0)).toBe(500);
    expect(backoffDelay(0, backoff, () => 1)).toBe(1_000);
    expect(backoffDelay(3, backoff, () => 0)).toBe(4_000);
    expect(backoffDelay(3, backoff, () => 1)).toBe(8_000);
    expect(backoffDelay(20, backoff, () => 1)).toBe(30_000);
    expect(backoffDelay(20, backoff, () => 0)).toBe(15_000);
  });
});

describe('socketUrl', () => {
  it('uses the page’s origin, wss: under https:, with the ticket encoded', () => {
    expect(socketUrl('a+b/c', { protocol: 'http:', host: 'localhost:8084' })).toBe(
      'ws://localhost:8084/v1/admin/ws?ticket=a%2Bb%2Fc',
    );
    expect(socketUrl('t', { protocol: 'https:', host: 'admin.example.com' })).toBe(
      'wss://admin.example.com/v1/admin/ws?ticket=t',
    );
  });
});

describe('LiveConnection', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('opens the socket with a ticket, subscribes, and hands on the server’s messages', async () => {
    const { connection, sockets, states, messages } = setup();
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(sockets[0]?.url).toBe('ws://backoffice.test:8084/v1/admin/ws?ticket=ticket-1');
    sockets[0]?.open();
    expect(sockets[0]?.sent).toEqual([
      { type: 'subscribe', channels: ['dashboard.metrics', 'users.activity'] },
    ]);
    const snapshot = { type: 'snapshot', channel: 'dashboard.metrics', data: { n: 1 }, at: 'now' };
    sockets[0]?.receive(snapshot);
    sockets[0]?.onmessage?.(new MessageEvent('message', { data: 'not json' }));
    expect(messages).toEqual([snapshot]);
    expect(states.map(([s]) => s)).toEqual(['connecting', 'live']);
    connection.stop();
  });

  it('reconnects with growing, jittered delays, a new ticket and a new subscription each time', async () => {
    const { connection, sockets, states } = setup();
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]?.open();
    sockets[0]?.drop();
    expect(states.at(-1)).toEqual(['reconnecting', 750]);

    await vi.advanceTimersByTimeAsync(749);
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets[1]?.url).toContain('ticket=ticket-2');
    sockets[1]?.drop();
    expect(states.at(-1)).toEqual(['reconnecting', 1_500]);

    await vi.advanceTimersByTimeAsync(1_500);
    sockets[2]?.open();
    expect(sockets[2]?.sent).toEqual([
      { type: 'subscribe', channels: ['dashboard.metrics', 'users.activity'] },
    ]);
    // A message means the connection works: the next loss waits the shortest delay again.
    sockets[2]?.receive({ type: 'subscribed', channel: 'dashboard.metrics', at: 'now' });
    sockets[2]?.drop();
    expect(states.at(-1)).toEqual(['reconnecting', 750]);
    connection.stop();
  });

  it('retries when no ticket can be had, but stops for good on a fatal answer', async () => {
    const failing = vi.fn(() => Promise.reject(new Error('network down')));
    const { connection, states } = setup({ ticket: failing });
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(states.at(-1)?.[0]).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(failing).toHaveBeenCalledTimes(2);
    connection.stop();

    const ended = vi.fn();
    const fatal = setup({
      ticket: () => Promise.reject(new Error('401')),
      isFatal: () => true,
      onSessionEnded: ended,
    });
    fatal.connection.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(fatal.states.at(-1)?.[0]).toBe('ended');
    expect(ended).toHaveBeenCalledOnce();
  });

  it('treats close code 4401 as the end of the session: no reconnect', async () => {
    const ended = vi.fn();
    const { connection, sockets, states } = setup({ onSessionEnded: ended });
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]?.open();
    sockets[0]?.drop(CLOSE_SESSION_ENDED);
    expect(ended).toHaveBeenCalledOnce();
    expect(states.at(-1)?.[0]).toBe('ended');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('pings, and replaces a socket that stopped answering', async () => {
    const { connection, sockets, states } = setup();
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]?.open();
    await vi.advanceTimersByTimeAsync(PING_MS);
    expect(sockets[0]?.sent.at(-1)).toEqual({ type: 'ping' });
    sockets[0]?.receive({ type: 'pong', at: 'now' });
    await vi.advanceTimersByTimeAsync(PING_MS);
    expect(sockets[0]?.closedWith).toBeUndefined();
    // No pong this time.
    await vi.advanceTimersByTimeAsync(PING_MS);
    expect(sockets[0]?.closedWith).toBe(4000);
    expect(states.at(-1)?.[0]).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sockets).toHaveLength(2);
    connection.stop();
  });

  it('stops cleanly: closes the socket and schedules nothing more', async () => {
    const { connection, sockets } = setup();
    connection.start();
    await vi.advanceTimersByTimeAsync(0);
    sockets[0]?.open();
    connection.stop();
    expect(sockets[0]?.closedWith).toBe(1000);
    sockets[0]?.drop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
  });
});
