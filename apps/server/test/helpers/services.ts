import net from 'node:net';

/**
 * Whether a service answers on host:port. Tests that need NATS (or Redis…) run when it answers and are
 * skipped with a message otherwise — except under CI=true, where its absence is a failure.
 */
export async function serviceAvailable(name: string, url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port), timeout: 1_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
  if (!reachable) {
    if (process.env.CI === 'true')
      throw new Error(`${name} is required under CI=true but does not answer at ${url}`);
    process.stderr.write(
      `\n  ⚠ ${name} does not answer at ${url}: its tests are skipped (they run under CI=true)\n\n`,
    );
  }
  return reachable;
}

export const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
