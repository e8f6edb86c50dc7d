import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * `npm start` as a new user runs it: no DATABASE_URL, no platform configured, a fresh data directory.
 * The embedded PostgreSQL starts, the sandbox's services start in-process and publish to our webhook,
 * a first Admin is printed, and the read model fills. A restart reuses everything.
 */
describe('demo mode (npm start on a bare machine)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'backoffice-demo-'));
    // As root, the embedded PostgreSQL runs as `postgres`, which must be able to traverse it.
    await fs.chmod(dataDir, 0o755);
  });
  afterAll(() => fs.rm(dataDir, { recursive: true, force: true }));

  function start(): Promise<Running> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: '0',
        HOST: '127.0.0.1',
        BACKOFFICE_DATA_DIR: dataDir,
        SANDBOX_USERS: '40',
        SANDBOX_TRANSACTIONS: '400',
        SANDBOX_RATE: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    return new Promise((resolve, reject) => {
      const timer = setInterval(() => {
        const ready = /"url":"(http:[^"]+)".*"msg":"backoffice ready"/.exec(output);
        if (ready?.[1] !== undefined && output.includes('demo platform ready')) {
          clearInterval(timer);
          resolve({
            child,
            url: ready[1].replace('localhost', '127.0.0.1'),
            output: () => output,
            exited,
          });
        }
      }, 100);
      void exited.then((code) => {
        clearInterval(timer);
        reject(new Error(`exited (${code}) before it was ready:\n${output}`));
      });
    });
  }

  async function stop(running: Running): Promise<number | null> {
    running.child.kill('SIGTERM');
    return running.exited;
  }

  async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function signIn(url: string, password: string): Promise<Record<string, string>> {
    const response = await fetch(`${url}/v1/admin/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@example.com', password }),
    });
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    return { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  }

  let password = '';

  it('starts with the demo platform, prints the first Admin, and fills the read model', async () => {
    const running = await start();
    try {
      const printed = /Sign in as admin@example\.com \/ (\S+)/.exec(running.output());
      expect(printed, running.output()).not.toBeNull();
      password = printed?.[1] ?? '';
      const headers = await signIn(running.url, password);

      // 40 generated users and the sandbox's 3 known accounts, all from events.
      const users = await waitFor('the users', async () => {
        const response = await fetch(`${running.url}/v1/admin/users?limit=100`, { headers });
        const page = (await response.json()) as {
          total: number;
          data: { id: string; state: string; role: string }[];
        };
        return page.total === 43 ? page.data : undefined;
      });

      // A write goes to the in-process User Service, and its event comes back through the webhook.
      const target = users.find((u) => u.state === 'Active' && u.role === 'Customer');
      const blocked = await fetch(`${running.url}/v1/admin/users/${target?.id}/block`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ reason: 'demo check' }),
      });
      expect(blocked.status).toBe(200);
      await waitFor('the confirming event', async () => {
        const response = await fetch(`${running.url}/v1/admin/users/${target?.id}`, { headers });
        const user = (await response.json()) as { state: string; pending: boolean };
        return user.state === 'Blocked' && !user.pending ? user : undefined;
      });

      // Its history came in as a backlog the sandbox reported: caught up, said once.
      const caughtUp = await waitFor('the caught-up line', () =>
        Promise.resolve(
          /"msg":"read model caught up: (\d+) events in [\d.]+ s"/.exec(running.output()) ??
            undefined,
        ),
      );
      expect(Number(caughtUp[1])).toBeGreaterThan(500);
      const metrics = await fetch(`${running.url}/v1/admin/dashboard/metrics`, { headers });
      expect(((await metrics.json()) as { catchingUp: unknown }).catchingUp).toBeNull();
    } finally {
      expect(await stop(running)).toBe(0);
    }
    expect(running.output()).toContain('"msg":"stopped"');
  }, 120_000);

  it('restarts on the same data: same Admin, same users, no second seeding', async () => {
    const running = await start();
    try {
      expect(running.output()).toContain(
        `Sign in as admin@example.com. Password: run \`jq -r .bootstrapAdminPassword ${dataDir}/secrets.json\``,
      );
      expect(running.output()).not.toContain(password);
      expect(running.output()).not.toContain('Catching up');
      const headers = await signIn(running.url, password);
      const response = await fetch(`${running.url}/v1/admin/users?limit=1`, { headers });
      expect(((await response.json()) as { total: number }).total).toBe(43);
    } finally {
      expect(await stop(running)).toBe(0);
    }
  }, 120_000);
});
